"""Mandarin text normalisation and the 一/不 tone sandhi (pure; table tests)."""

from __future__ import annotations

import pytest

from voicebot.speech.tts_zh_g2p import ZhG2P, sandhi, to_ids
from voicebot.speech.tts_zh_normalize import LETTERS, normalize_zh


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # clock times get a day period; a period already written is kept
        ("我们15:00见", "我们下午三点见"),
        ("下午3:15开始", "下午三点十五分开始"),
        ("9:30", "上午九点半"),
        ("7:05", "早上七点零五分"),
        ("12:00", "中午十二点"),
        ("20:45", "晚上八点四十五分"),
        ("0:00", "凌晨十二点"),
        ("14:00", "下午两点"),
        ("９：３０", "上午九点半"),
        ("9:00-10:00面试", "上午九点到上午十点面试"),
        ("比分3:75", "比分3:75"),
        # numbers cn2an would misread
        ("1-2年经验", "1到两年经验"),
        ("3~5天", "3到5天"),
        ("月薪¥8,000", "月薪8000元"),
        ("$100", "100美元"),
        ("请拨打13800138000", "请拨打幺三八零零幺三八零零零"),
        ("138 0013 8000", "幺三八零零幺三八零零零"),
        ("010-12345678", "零幺零幺二三四五六七八"),
        ("2个问题", "两个问题"),
        ("第2个问题", "第2个问题"),
        ("12个人", "12个人"),
        ("2024年3月5日", "2024年3月5日"),
        # Latin letters
        ("AI面试官", "诶爱面试官"),
        ("HR会联系您", "艾尺阿尔会联系您"),
        ("会用Python和Excel吗", "会用派森和艾克赛尔吗"),
        ("OK吗", "欧开吗"),
        ("ＡＩ", "诶爱"),
        ("你好", "你好"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize_zh(text) == expected


def test_every_letter_has_a_reading() -> None:
    assert sorted(LETTERS) == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    assert normalize_zh("xyz") == LETTERS["X"] + LETTERS["Y"] + LETTERS["Z"]


@pytest.mark.parametrize(
    ("chars", "pinyins", "expected"),
    [
        ("一下", ["yi1", "xia4"], ["yi2", "xia4"]),
        ("一起", ["yi1", "qi3"], ["yi4", "qi3"]),
        ("一天", ["yi1", "tian1"], ["yi4", "tian1"]),
        ("看一看", ["kan4", "yi1", "kan4"], ["kan4", "yi5", "kan4"]),
        ("第一", ["di4", "yi1"], ["di4", "yi1"]),
        ("十一月", ["shi2", "yi1", "yue4"], ["shi2", "yi1", "yue4"]),
        ("一月", ["yi1", "yue4"], ["yi1", "yue4"]),
        ("一二三", ["yi1", "er4", "san1"], ["yi1", "er4", "san1"]),
        ("统一", ["tong3", "yi1"], ["tong3", "yi1"]),
        ("不对", ["bu4", "dui4"], ["bu2", "dui4"]),
        ("不好", ["bu4", "hao3"], ["bu4", "hao3"]),
        ("一个", ["yi2", "ge4"], ["yi2", "ge4"]),
    ],
)
def test_sandhi(chars: str, pinyins: list[str], expected: list[str]) -> None:
    assert sandhi(list(chars), pinyins) == expected


def test_to_ids_drops_unknown_symbols() -> None:
    vocab = {"a": 43, "↓": 169, " ": 16}
    assert to_ids("a↓ a❓", vocab) == ([43, 169, 16, 43], 1)


def test_g2p_uses_misakis_phonemes_and_fixes_sandhi() -> None:
    misaki_zh = pytest.importorskip("misaki.zh")
    ours, theirs = ZhG2P(), misaki_zh.ZHG2P()
    plain = "你好，欢迎参加面试。请问您现在方便吗？"
    assert ours.phonemes(plain) == theirs(plain)[0]
    # misaki says yī xià / bù qù; the sandhi step makes them yí xià / bú qù
    assert theirs("介绍一下")[0] == "ʨje↘ʂau↘ i→ɕja↘"
    assert ours.phonemes("介绍一下") == "ʨje↘ʂau↘ i↗ɕja↘"
    assert theirs("不去")[0] == "pu↘ʨʰy↘"
    assert ours.phonemes("不去") == "pu↗ʨʰy↘"
