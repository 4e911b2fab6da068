"""Cutting prompt text into pieces for the TTS engines (pure; table tests)."""

from __future__ import annotations

import pytest

from voicebot.speech.tts_split import (
    CLAUSE_PAUSE_S,
    HARD_CUT_PAUSE_S,
    SENTENCE_PAUSE_S,
    Chunk,
    split_text,
)


def texts(chunks: list[Chunk]) -> list[str]:
    return [c.text for c in chunks]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好。欢迎参加面试！请问方便吗？", ["你好。", "欢迎参加面试！", "请问方便吗？"]),
        ("第一；第二", ["第一；", "第二"]),
        ("他说：“好的。”然后走了。", ["他说：“好的。”", "然后走了。"]),
        ("Hello. How are you? Fine!", ["Hello.", "How are you?", "Fine!"]),
        ("It costs 3.5 dollars. OK.", ["It costs 3.5 dollars.", "OK."]),
        ("Mr. Smith will call. Bye.", ["Mr. Smith will call.", "Bye."]),
        ("Wait... what?", ["Wait...", "what?"]),
        ("line one\nline two", ["line one", "line two"]),
        ("  spaced   out   text  ", ["spaced out text"]),
        ("真的吗？！好。", ["真的吗？！", "好。"]),
        ("", []),
        ("。，！", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert texts(split_text(text)) == expected


def test_short_sentences_keep_their_commas() -> None:
    assert texts(split_text("你好，张伟，欢迎。")) == ["你好，张伟，欢迎。"]
    assert texts(split_text("At 10,000 feet, at 15:00, we land.")) == [
        "At 10,000 feet, at 15:00, we land."
    ]


def test_long_sentence_is_cut_at_clauses() -> None:
    text = "我们的面试大约需要十分钟，" * 3 + "请您在安静的地方接听。"
    chunks = split_text(text, max_chars=30)
    assert all(len(c.text) <= 30 for c in chunks)
    assert "".join(texts(chunks)) == text
    assert [c.pause_s for c in chunks[:-1]] == [CLAUSE_PAUSE_S] * (len(chunks) - 1)


def test_first_piece_is_short_for_dynamic_text() -> None:
    text = "张伟您好，我是某某公司的招聘助理，想和您确认一下面试时间。"
    chunks = split_text(text, max_chars=60, first_max_chars=12)
    assert texts(chunks) == ["张伟您好，", "我是某某公司的招聘助理，想和您确认一下面试时间。"]
    assert chunks[0].pause_s == CLAUSE_PAUSE_S


def test_clause_without_punctuation_is_hard_cut() -> None:
    zh = "这是一个没有任何标点符号而且特别特别长的句子" * 2
    chunks = split_text(zh, max_chars=10)
    assert all(len(c.text) <= 10 for c in chunks)
    assert "".join(texts(chunks)) == zh
    assert chunks[0].pause_s == HARD_CUT_PAUSE_S
    en = "one two three four five six seven eight nine ten eleven twelve"
    chunks = split_text(en, max_chars=20)
    assert " ".join(texts(chunks)) == en
    assert all(len(c.text) <= 20 for c in chunks)


def test_pauses_follow_punctuation_and_the_last_is_zero() -> None:
    chunks = split_text("好的。那么现在，我们开始吧", max_chars=8)
    assert [c.pause_s for c in chunks] == [SENTENCE_PAUSE_S, CLAUSE_PAUSE_S, 0.0]


def test_max_chars_floor() -> None:
    with pytest.raises(ValueError):
        split_text("x", max_chars=3)
