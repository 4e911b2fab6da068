"""WER/CER and the normalisation that makes them fair (same rules for reference and output)."""

from __future__ import annotations

import pytest

from voicebot.speech.accuracy import Score, corpus_rate, normalize_en, normalize_zh, score

EN_SAME = [
    # what we said, what Whisper wrote: equal after normalisation
    ("I answered about sixty calls a day.", "I answered about 60 calls a day"),
    ("I can start at nine thirty a.m. on Monday", "I can start at 9:30 AM on Monday."),
    ("nine thirty", "9.30"),
    ("It paid two thousand five hundred dollars", "It paid $2,500"),
    ("one hundred and twenty orders", "120 orders"),
    ("twenty-five percent", "25%"),
    ("My number is five five five, two one three", "My number is 555-213"),
    ("I'm sure it's fine, I don't know", "I am sure it is fine. I do not know."),
    ("Okay, sure!", "ok sure"),
    ("two thousand and nineteen", "2019"),
    ("a forty-hour week", "a 40 hour week"),
    ("at five pm", "at 5pm"),
]


@pytest.mark.parametrize(("said", "written"), EN_SAME)
def test_english_forms_that_mean_the_same(said: str, written: str) -> None:
    assert normalize_en(said) == normalize_en(written)


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("I worked for three years", "I worked for four years"),
        ("nine thirty", "nine forty"),
        ("yes", "no"),
        ("the customer's package", "the customers package"),
    ],
)
def test_english_differences_stay_different(said: str, written: str) -> None:
    assert normalize_en(said) != normalize_en(written)


def test_numbers_are_compared_digit_by_digit() -> None:
    assert normalize_en("sixty calls") == ["6", "0", "calls"]
    assert score("five five five two one three", "555-214", "en") == Score(1, 6)


ZH_SAME = [
    ("我在仓库工作了三年。", "我在倉庫工作了3年"),
    ("每天大概接六十个电话", "每天大概接60个电话。"),
    ("一百二十个订单", "120个订单"),
    ("两年", "2年"),
    ("九点半", "9点半"),
    ("我的电话是一三八，一二三四", "我的电话是138 1234"),
    ("二零一九年", "2019年"),
    ("十五块钱", "15块钱"),
    ("三万五千", "35000"),
    ("可以，没问题。", "可以 没问题"),
    ("ＯＫ，好的", "ok好的"),
]


@pytest.mark.parametrize(("said", "written"), ZH_SAME)
def test_mandarin_forms_that_mean_the_same(said: str, written: str) -> None:
    assert normalize_zh(said) == normalize_zh(written)


def test_mandarin_is_compared_by_character() -> None:
    assert normalize_zh("我在仓库") == ["我", "在", "仓", "库"]
    assert score("我在仓库工作了三年", "我在仓库工作了三天", "zh") == Score(1, 9)
    assert score("我在仓库工作", "我在仓库里工作", "zh") == Score(1, 6)  # an insertion
    assert score("我在仓库工作", "我仓库工作", "zh") == Score(1, 6)  # a deletion


def test_english_is_compared_by_word() -> None:
    assert score("I worked in a warehouse", "I worked at a warehouse", "en") == Score(1, 5)
    assert score("I worked in a warehouse", "", "en") == Score(5, 5)
    assert score("", "", "en").rate == 0.0
    assert score("", "hello", "en").rate == 1.0


def test_corpus_rate_weighs_by_reference_length() -> None:
    # one wrong word in a 1-word answer and none in a 9-word one: 1/10, not (1 + 0) / 2
    assert corpus_rate([Score(1, 1), Score(0, 9)]) == pytest.approx(0.1)
    assert corpus_rate([]) == 0.0
