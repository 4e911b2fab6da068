"""Numbers as candidates say them: "3", "三年", "两个半月", "十二", "three and a half".

Used by ``number`` questions (years of experience, hours per week) and by the callback time
parser ("下午三点", "in two hours"). Only what phone answers need: no negative numbers, no
numbers above the ten-thousands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_ZH_NUM = re.compile(r"[零〇一二两俩三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?")
_ARABIC = re.compile(r"\d+(?:[.,]\d+)?")

_EN_SMALL = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "couple": 2, "few": 3,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_EN_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class NumberMatch:
    value: float
    start: int
    end: int
    """Offsets of the number (including a trailing 半/"and a half") in the searched text."""


def zh_to_int(chars: str) -> int | None:
    """Chinese numeral characters to an integer: 三 -> 3, 十二 -> 12, 两百零五 -> 205."""
    if not chars:
        return None
    if all(c in _ZH_DIGITS for c in chars) and len(chars) > 1:
        return int("".join(str(_ZH_DIGITS[c]) for c in chars))  # 二零二四 style
    total, section, digit = 0, 0, None
    for c in chars:
        if c in _ZH_DIGITS:
            digit = _ZH_DIGITS[c]
        elif c in _ZH_UNITS:
            unit = _ZH_UNITS[c]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def find_zh_numbers(text: str) -> list[NumberMatch]:
    """Every Chinese or Arabic number in ``text`` ("两年半" -> 2.5, "3个月" -> 3)."""
    found: list[NumberMatch] = []
    for m in _ARABIC.finditer(text):
        found.append(NumberMatch(float(m.group().replace(",", ".")), m.start(), m.end()))
    for m in _ZH_NUM.finditer(text):
        whole, _, frac = m.group().partition("点")
        value = zh_to_int(whole)
        if value is None:
            continue
        number = float(value)
        if frac:
            number += float("0." + "".join(str(_ZH_DIGITS[c]) for c in frac))
        found.append(NumberMatch(number, m.start(), m.end()))
    for m in re.finditer("半", text):
        # 半年 / 半个小时 alone is 0.5; 两年半 / 三个半月 adds 0.5 to the number before it
        before = [n for n in found if n.end <= m.start() and m.start() - n.end <= 2]
        if before:
            n = before[-1]
            found.remove(n)
            found.append(NumberMatch(n.value + 0.5, n.start, m.end()))
        elif not any(n.start <= m.start() < n.end for n in found):
            found.append(NumberMatch(0.5, m.start(), m.end()))
    return sorted(found, key=lambda n: n.start)


def find_en_numbers(text: str) -> list[NumberMatch]:
    """Numbers in English text: "3", "three", "twenty five", "two and a half", "half"."""
    lowered = text.lower()
    tokens = [(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(lowered)]
    found: list[NumberMatch] = []
    i = 0
    while i < len(tokens):
        word, start, end = tokens[i]
        value: float | None = None
        if word[0].isdigit():
            value = float(word)
        elif word in _EN_TENS:
            value = _EN_TENS[word]
            if (
                i + 1 < len(tokens)
                and tokens[i + 1][0] in _EN_SMALL
                and tokens[i + 1][0] not in ("a", "an", "couple", "few")
            ):
                value += _EN_SMALL[tokens[i + 1][0]]
                i += 1
                end = tokens[i][2]
        elif word in _EN_SMALL and (word not in ("a", "an") or _next_is_unit(tokens, i)):
            value = _EN_SMALL[word]
        elif word == "half":
            value = 0.5
        if value is not None:
            # "two and a half", "an hour and a half"
            tail = [t[0] for t in tokens[i + 1 : i + 5]]
            for k in range(len(tail)):
                if tail[k : k + 3] == ["and", "a", "half"]:
                    value += 0.5
                    end = tokens[i + k + 3][2]
                    break
            found.append(NumberMatch(float(value), start, end))
        i += 1
    return found


def _next_is_unit(tokens: list[tuple[str, int, int]], i: int) -> bool:
    units = {"year", "years", "month", "months", "hour", "hours", "minute", "minutes", "day",
             "days", "week", "weeks", "half", "couple", "few"}  # fmt: skip
    return i + 1 < len(tokens) and tokens[i + 1][0] in units


def find_numbers(text: str) -> list[NumberMatch]:
    """Numbers in either language, in the order they were said."""
    found = find_zh_numbers(text) + [
        n for n in find_en_numbers(text) if not _overlaps(n, find_zh_numbers(text))
    ]
    return sorted(found, key=lambda n: n.start)


def _overlaps(n: NumberMatch, others: list[NumberMatch]) -> bool:
    return any(o.start < n.end and n.start < o.end for o in others)
