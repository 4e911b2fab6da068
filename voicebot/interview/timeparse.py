"""When a candidate asks to be called back: "今天晚上", "明天下午三点", "半小时后",
"tomorrow evening", "in an hour", "at 3 pm".

Pure: the reference time ``now`` is passed in (the machine derives it from the call's start
and the turn's call time), never read from a clock. Times the candidate left vague are filled
with working-hours defaults (morning 10:00, afternoon 15:00, evening 19:00); a bare clock hour
is read as the next such hour between 08:00 and 21:59 ("三点" at 10:00 means 15:00).
Anything unparseable returns None and the caller uses the profile's default delay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from voicebot.interview import numerals
from voicebot.interview.textnorm import compact, normalize

_PARTS = {
    # name -> (default hour, pm: add 12 to hours 1..11 said with it)
    "morning": (10, False), "noon": (12, False), "afternoon": (15, True),
    "evening": (19, True), "night": (20, True),
}  # fmt: skip
_ZH_PARTS = [("早上", "morning"), ("上午", "morning"), ("早晨", "morning"), ("中午", "noon"),
             ("下午", "afternoon"), ("傍晚", "evening"), ("晚上", "evening"), ("今晚", "evening"),
             ("明晚", "evening"), ("夜里", "night")]  # fmt: skip
_ZH_DAYS = [("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("明早", 1), ("明晚", 1),
            ("今天", 0), ("今晚", 0), ("今日", 0)]  # fmt: skip
_ZH_WEEKDAY = re.compile(r"(下+)?(?:周|星期|礼拜)([一二三四五六日天1-7])")
_ZH_NUM = r"[0-9零一二两三四五六七八九十]+"
_ZH_CLOCK = re.compile(rf"({_ZH_NUM})(?:点|:|：|时)(半|一刻|三刻|({_ZH_NUM})分?)?")
_ZH_REL = re.compile(rf"(?:({_ZH_NUM})个?(半)?|(半))(小时|钟头|分钟|分|天)(?:以后|之后|后|过后)")
_EN_PARTS = [("morning", "morning"), ("noon", "noon"), ("lunch", "noon"),
             ("afternoon", "afternoon"), ("evening", "evening"), ("tonight", "evening"),
             ("night", "night")]  # fmt: skip
_EN_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EN_CLOCK = re.compile(
    r"\b(?:at |around |about )?(\d{1,2})(?:[: ](\d{2}))? ?(am|pm|a m|p m|o'?clock)\b"
    r"|\bat (\d{1,2})\b"
)
_EN_REL = re.compile(
    r"\bin (?:about |around )?(an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|"
    r"forty|forty five|a couple of|a few|half an?|\d+)(?: and a half)? ?"
    r"(hours?|minutes?|mins?|days?)"
    r"|\b(an?|one|two|\d+) (hours?|minutes?) from now"
)


@dataclass(frozen=True, slots=True)
class CallbackTime:
    at: datetime
    said: str
    """The words that named the time (for the report)."""


def parse_callback_time(text: str, now: datetime) -> CallbackTime | None:
    """The callback time the candidate asked for, or None if they named none."""
    zh = compact(text)
    found = _relative(zh, normalize(text).text)
    if found is not None:
        delta, words = found
        return CallbackTime((now + delta).replace(second=0, microsecond=0), words)
    day, part, clock, said = (
        _zh_fields(zh, now) if zh and not zh.isascii() else (None, None, None, [])
    )
    if day is None and part is None and clock is None:
        day, part, clock, said = _en_fields(normalize(text).text, now)
    if day is None and part is None and clock is None:
        return None
    return CallbackTime(_resolve(now, day, part, clock), " ".join(said))


_UNIT_MINUTES = {"小时": 60, "钟头": 60, "天": 1440, "hour": 60, "day": 1440}


def _relative(zh: str, en: str) -> tuple[timedelta, str] | None:
    """ "半小时后" / "in an hour": a delay from now."""
    m = _ZH_REL.search(zh)
    if m:
        count = 0.5 if m.group(3) else float(numerals.zh_to_int(m.group(1)) or _int(m.group(1)))
        count += 0.5 if m.group(2) else 0.0
        unit = m.group(4)
    else:
        m = _EN_REL.search(en)
        if not m:
            return None
        count = _en_count(m.group(1) or m.group(3))
        count += 0.5 if "and a half" in m.group() else 0.0
        unit = (m.group(2) or m.group(4)).rstrip("s")
    return timedelta(minutes=count * _UNIT_MINUTES.get(unit, 1)), m.group()


def _en_count(word: str) -> float:
    if word.startswith("half"):
        return 0.5
    if word in ("a couple of",):
        return 2.0
    if word == "a few":
        return 3.0
    numbers = numerals.find_en_numbers(word if word not in ("a", "an") else "one")
    return numbers[0].value if numbers else 1.0


def _int(digits: str) -> int:
    return int(digits) if digits.isdigit() else 0


def _weekday_offset(now: datetime, index: int, next_week: bool) -> int:
    """Days from ``now`` to weekday ``index`` (0 = Monday): the coming one, or for
    "下周一"/"next Monday" the one in next calendar week."""
    if next_week:
        return 7 - now.weekday() + index
    return (index - now.weekday()) % 7 or 7


def _zh_fields(
    zh: str, now: datetime
) -> tuple[int | None, str | None, tuple[int, int] | None, list[str]]:
    said: list[str] = []
    day = next(((offset, w) for w, offset in _ZH_DAYS if w in zh), None)
    day_offset = day[0] if day else None
    if day:
        said.append(day[1])
    part = next(((p, w) for w, p in _ZH_PARTS if w in zh), None)
    if part and part[1] not in said:
        said.append(part[1])
    weekday = _ZH_WEEKDAY.search(zh)
    if weekday and day_offset is None:
        said.append(weekday.group())
        name = weekday.group(2)
        index = int(name) - 1 if name.isdigit() else "一二三四五六日天".find(name)
        day_offset = _weekday_offset(now, min(index, 6), bool(weekday.group(1)))
    clock = None
    m = _ZH_CLOCK.search(zh)
    if m:
        hour = numerals.zh_to_int(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
        minute = {"半": 30, "一刻": 15, "三刻": 45}.get(m.group(2) or "")
        if minute is None and m.group(3):
            minute = numerals.zh_to_int(m.group(3)) or _int(m.group(3))
        if hour is not None and 0 <= hour <= 24:
            clock = (hour, minute or 0)
            said.append(m.group())
    return day_offset, part[0] if part else None, clock, said


def _en_fields(
    en: str, now: datetime
) -> tuple[int | None, str | None, tuple[int, int] | None, list[str]]:
    said: list[str] = []
    day: int | None = None
    for word, offset in (("day after tomorrow", 2), ("tomorrow", 1), ("today", 0),
                         ("tonight", 0), ("this", 0)):  # fmt: skip
        if re.search(rf"\b{word}\b", en):
            day = offset
            said.append(word)
            break
    if day is None:
        for i, name in enumerate(_EN_WEEKDAYS):
            if re.search(rf"\b{name}\b", en):
                day = _weekday_offset(now, i, bool(re.search(rf"\bnext {name}\b", en)))
                said.append(name)
                break
    if day is None and re.search(r"\bnext week\b", en):
        day = (7 - now.weekday()) % 7 or 7
        said.append("next week")
    part = next((p for w, p in _EN_PARTS if re.search(rf"\b{w}\b", en)), None)
    clock = None
    m = _EN_CLOCK.search(en)
    if m:
        hour = int(m.group(1) or m.group(4))
        minute = int(m.group(2) or 0)
        marker = (m.group(3) or "").replace(" ", "")
        if marker == "pm" and hour < 12:
            hour += 12
        elif marker == "am" and hour == 12:
            hour = 0
        if hour <= 24 and minute < 60:
            clock = (hour, minute)
            said.append(m.group().strip())
            if marker in ("am", "pm"):
                part = part or ("morning" if marker == "am" else "afternoon")
    return day, part, clock, said


def _resolve(
    now: datetime, day: int | None, part: str | None, clock: tuple[int, int] | None
) -> datetime:
    base = now.replace(second=0, microsecond=0)
    if clock is None:
        hour, minute = (_PARTS[part][0], 0) if part else (10, 0)
        at = base.replace(hour=hour, minute=minute) + timedelta(days=day or 0)
        if day is None and at <= now:
            at += timedelta(days=1)
        return at
    hour, minute = clock
    if part and _PARTS[part][1] and hour < 12:
        hour += 12
    elif part == "morning" and hour == 12:
        hour = 0
    if hour == 24:
        hour = 0
    if day is not None:
        if part is None and 1 <= hour <= 7:
            hour += 12  # "明天三点": nobody is interviewed at 3 a.m.
        return base.replace(hour=hour, minute=minute) + timedelta(days=day)
    # no day: the next matching hour in working hours (today, or tomorrow)
    options = [hour] if part or hour >= 12 else [hour, hour + 12]
    for days in (0, 1):
        for h in options:
            at = base.replace(hour=h % 24, minute=minute) + timedelta(days=days)
            if at > now and 8 <= h <= 21:
                return at
    return base.replace(hour=hour % 24, minute=minute) + timedelta(days=1)


def describe(at: datetime, now: datetime, language: str) -> str:
    """How the bot says the agreed time back: "明天晚上7点" / "tomorrow at 7:00 pm"."""
    days = (at.date() - now.date()).days
    if language == "zh":
        day = {0: "今天", 1: "明天", 2: "后天"}.get(days, f"{at.month}月{at.day}日")
        part = (
            "上午"
            if at.hour < 12
            else "中午"
            if at.hour < 13
            else "下午"
            if at.hour < 18
            else "晚上"
        )
        hour = at.hour if at.hour <= 12 else at.hour - 12
        minute = "" if at.minute == 0 else "半" if at.minute == 30 else f"{at.minute}分"
        return f"{day}{part}{hour}点{minute}"
    day = {0: "today", 1: "tomorrow"}.get(days, at.strftime("%A %B ") + str(at.day))
    hour12 = at.hour % 12 or 12
    return f"{day} at {hour12}:{at.minute:02d} {'am' if at.hour < 12 else 'pm'}"
