"""Mandarin text normalisation before Kokoro's G2P: say numbers, times and Latin letters the way
a person would on the phone.

misaki's G2P turns Arabic numbers into Chinese (cn2an) but reads ``15:00`` as 十五:零,
``1-2年`` as 一负二年 and a phone number as one huge number, and it passes Latin letters through
(Kokoro reads ``AI`` as noise). The rules below run first, in this order; each is a small
table or regular expression, tested in tests/test_tts_zh_normalize.py:

1. fullwidth digits/letters -> ASCII (``１５：００`` is 15:00);
2. clock times -> Chinese with a day period: ``15:00`` 下午三点, ``9:30`` 上午九点半,
   ``下午3:15`` 下午三点十五分 (a period already written is kept);
3. ``¥``/``￥``/``$`` amounts -> 元 / 美元; ``10,000`` -> 10000; ``1-2``/``1~2`` -> 1到2;
4. phone numbers (7+ digits, or 0 followed by 2+ digits) -> digit by digit, 1 as 幺 (so
   一 and 七 are not confused on a phone line); the standalone digit 2 before a measure word
   -> 两 (两个问题, 两点);
5. Latin words: a short table of words with a usual Chinese reading (:data:`LATIN_WORDS`), then
   every other Latin run spelled letter by letter (:data:`LETTERS`: AI -> 诶爱, HR -> 艾尺阿尔).

Remaining numbers (years, amounts, decimals, percentages) are left to cn2an inside the G2P.
Bump :data:`VERSION` when a rule changes: it is part of the prompt cache key.
"""

# Chinese text and fullwidth punctuation are what this module is about.

from __future__ import annotations

import re

VERSION = "zh-norm/1"

LETTERS = {
    "A": "诶",
    "B": "必",
    "C": "西",
    "D": "迪",
    "E": "伊",
    "F": "艾弗",
    "G": "吉",
    "H": "艾尺",
    "I": "爱",
    "J": "杰",
    "K": "开",
    "L": "艾勒",
    "M": "艾姆",
    "N": "恩",
    "O": "欧",
    "P": "披",
    "Q": "丘",
    "R": "阿尔",
    "S": "艾丝",
    "T": "提",
    "U": "优",
    "V": "维",
    "W": "达不溜",
    "X": "艾克斯",
    "Y": "歪",
    "Z": "贼德",
}
"""Letter names as Mandarin speakers say them (approximate; tones chosen to sound neutral)."""

LATIN_WORDS = {
    "ok": "欧开",
    "python": "派森",
    "java": "加瓦",
    "excel": "艾克赛尔",
    "email": "伊妹儿",
    "wifi": "歪费",
}
"""Whole words read as words (case-insensitive). Everything else is spelled letter by letter."""

DIGITS = "零一二三四五六七八九"
PHONE_DIGITS = "零幺二三四五六七八九"
MEASURE_WORDS = "个位次种项名份条轮天周点年岁道门件家本张"
PERIODS = ("凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上")

_TIME = re.compile(
    r"(凌晨|早上|上午|中午|下午|傍晚|晚上)?(?<!\d)([01]?\d|2[0-4])[:：]([0-5]\d)(?!\d)"
)
_MONEY = re.compile(r"([¥￥$])\s?(\d[\d,]*(?:\.\d+)?)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_RANGE = re.compile(r"(?<![\d-])(\d+(?:\.\d+)?)\s?[-~～–—]\s?(\d+(?:\.\d+)?)(?![\d-])")
_TIME_RANGE = re.compile(r"([点半分])\s?[-~～–—至]\s?(?=凌晨|早上|上午|中午|下午|傍晚|晚上)")
_PHONE = re.compile(
    r"(?<![\d.])(?:\d{3}(?:[-\s]\d{4}){2}|(?:0\d{2,}|\d{7,})(?:[-\s]\d{3,})*)(?![\d.])"
)
_TWO = re.compile(r"(?<![\d.第])2(?=[" + MEASURE_WORDS + r"])")
_LATIN = re.compile(r"[A-Za-z]+")


def normalize_zh(text: str) -> str:
    """Rewrite ``text`` so the G2P reads it as a Mandarin speaker would."""
    text = _fullwidth_to_ascii(text)
    text = _TIME.sub(_say_time, text)
    text = _TIME_RANGE.sub(r"\1到", text)
    text = _MONEY.sub(_say_money, text)
    text = _THOUSANDS.sub("", text)
    text = _PHONE.sub(_say_phone, text)
    text = _RANGE.sub(r"\1到\2", text)
    text = _TWO.sub("两", text)
    return _LATIN.sub(_say_latin, text)


def _fullwidth_to_ascii(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def hour_words(hour: int) -> str:
    """1..12 -> 一点 .. 十二点, with 两点 for 2."""
    return "两" if hour == 2 else _number(hour)


def _say_time(m: re.Match[str]) -> str:
    written, hour, minute = m.group(1), int(m.group(2)), int(m.group(3))
    if hour == 24 and minute == 0:
        hour = 0
    elif hour == 24:
        return m.group(0)
    period = written or _period(hour)
    twelve = hour % 12 or 12
    if written is None and hour == 0:
        twelve = 12  # 凌晨十二点 is how midnight is said
    words = f"{period}{hour_words(twelve)}点"
    if minute == 30:
        words += "半"
    elif minute:
        words += ("零" + DIGITS[minute] if minute < 10 else _number(minute)) + "分"
    return words


def _period(hour: int) -> str:
    if hour < 6:
        return "凌晨"
    if hour < 9:
        return "早上"
    if hour < 12:
        return "上午"
    if hour < 13:
        return "中午"
    if hour < 18:
        return "下午"
    return "晚上"


def _number(n: int) -> str:
    """0..99 in words (十五, 二十, 三十一): what clock times need."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def _say_money(m: re.Match[str]) -> str:
    unit = "美元" if m.group(1) == "$" else "元"
    return m.group(2) + unit


def _say_phone(m: re.Match[str]) -> str:
    digits = [c for c in m.group(0) if c.isdigit()]
    return "".join(PHONE_DIGITS[int(c)] for c in digits)


def _say_latin(m: re.Match[str]) -> str:
    word = m.group(0)
    known = LATIN_WORDS.get(word.lower())
    if known is not None:
        return known
    return "".join(LETTERS[c] for c in word.upper())
