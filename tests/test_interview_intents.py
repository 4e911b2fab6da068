"""Intent detection on short replies, zh and en, including ASR noise and negations."""

from __future__ import annotations

from datetime import datetime

import pytest

from voicebot.interview import intents
from voicebot.interview.numerals import find_numbers, zh_to_int
from voicebot.interview.timeparse import describe, parse_callback_time

YES_NO = [
    # zh: plain, fillers, idioms that contain a negation, negated forms, last clause wins
    ("是的", "yes"), ("对", "yes"), ("可以", "yes"), ("好的", "yes"), ("没问题", "yes"),
    ("行", "yes"), ("嗯", "yes"), ("嗯嗯，可以的", "yes"), ("当然可以", "yes"), ("有的", "yes"),
    ("不", "no"), ("不是", "no"), ("不行", "no"), ("不可以", "no"), ("没有", "no"),
    ("不太可以", "no"), ("我觉得不行", "no"), ("嗯，不太方便", "no"), ("夜班不行", "no"),
    ("不不不，可以的", "yes"), ("可以，没有问题", "yes"), ("不好意思，可以", "yes"),
    ("是，不过不太方便", "no"), ("我没有夜班经验，但可以接受", "yes"),
    ("我不确定", None), ("看情况吧", None), ("你们是哪里", None), ("我有三年经验", None),
    # ASR noise: missing punctuation, homophone 是得
    ("可以没问题", "yes"), ("是得", "yes"),
    # en
    ("yes", "yes"), ("yeah sure", "yes"), ("of course", "yes"), ("I can do that", "yes"),
    ("I don't mind", "yes"), ("no problem", "yes"), ("sure, why not", "yes"),
    ("no", "no"), ("nope", "no"), ("not really", "no"), ("I don't think so", "no"),
    ("I can't", "no"), ("maybe", None), ("hmm", None), ("I'm not sure", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), YES_NO)
def test_yes_no(text: str, expected: str | None) -> None:
    assert intents.yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请再说一遍", True), ("没听清", True), ("再说一边", True), ("什么？", True),
        ("我没听清楚你说啥", True), ("能再说一下吗", True), ("pardon?", True),
        ("sorry, could you repeat the question", True), ("what?", True),
        ("没问题", False), ("可以", False), ("嗯", False),
        ("我会先询问客户需求，然后再说一遍重点，确认客户理解", False),  # an answer, not a request
        ("I would repeat back what the customer said to confirm it", False),
    ],
)  # fmt: skip
def test_repeat(text: str, expected: bool) -> None:
    assert intents.wants_repeat(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不要再打了", True), ("不要在打了", True), ("以后别给我打电话了", True),
        ("别再打过来了", True), ("please don't call me again", True), ("stop calling me", True),
        ("Dont call me anymore", True), ("take me off your list", True),
        ("不方便", False), ("I will not call customers back", False), ("no", False),
        ("客户说不要再打了，我就道歉，记录下来并且标记为不再联系，之后由主管跟进", False),
    ],
)  # fmt: skip
def test_opt_out(text: str, expected: bool) -> None:
    assert intents.wants_opt_out(text) is expected


@pytest.mark.parametrize(
    ("text", "later", "callback"),
    [
        ("晚点再打给我", True, True), ("明天下午再打吧", True, True), ("我在开车", False, True),
        ("现在没空", False, True), ("call me back tomorrow", True, True),
        ("can we do this later", True, True), ("I'm driving", False, True),
        ("可以", False, False), ("没空", False, True), ("yes", False, False),
    ],
)  # fmt: skip
def test_callback_requests(text: str, later: bool, callback: bool) -> None:
    assert intents.wants_call_later(text) is later
    assert intents.wants_callback(text) is callback


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("三年", "years", 3.0), ("两个月", "years", 0.17), ("一年半", "years", 1.5),
        ("两年多", "years", 2.0), ("半年", "years", 0.5),
        ("我一直在做客服，大概三年", "years", 3.0),
        ("十二年", "years", 12.0), ("没有经验", "years", 0.0), ("3个月", "months", 3.0),
        ("three years", "years", 3.0), ("about 18 months", "years", 1.5),
        ("two and a half years", "years", 2.5), ("none", "years", 0.0),
        ("五天", "days", 5.0), ("一周3天", "days", 3.0), ("不知道", None, None),
    ],
)  # fmt: skip
def test_numbers(text: str, unit: str | None, expected: float | None) -> None:
    assert intents.number(text, unit) == expected


@pytest.mark.parametrize(
    ("chars", "value"),
    [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("两百零五", 205),
     ("一万二千", 12000), ("二零二四", 2024)],
)  # fmt: skip
def test_chinese_numerals(chars: str, value: int) -> None:
    assert zh_to_int(chars) == value


def test_numbers_keep_their_position() -> None:
    found = find_numbers("我做了两年半客服，之后3个月做销售")
    assert [n.value for n in found] == [2.5, 3.0]


OPTIONS = [("phone", ["phone", "calls"]), ("chat", ["live chat", "chat"]), ("email", ["email"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("I prefer email", "email"), ("live chat I think", "chat"), ("the first one", "phone"),
     ("option 2", "chat"), ("e mail", "email"), ("none of them", None)],
)  # fmt: skip
def test_choices(text: str, expected: str | None) -> None:
    assert intents.choice(text, OPTIONS) == expected


def test_choices_zh_and_dtmf() -> None:
    options = [("own", ["骑车", "电动车"]), ("public", ["公交", "地铁"]), ("shuttle", ["班车"])]
    assert intents.choice("我坐地铁过去", options) == "public"
    assert intents.choice("第三个吧", options) == "shuttle"
    assert intents.dtmf_choice("2", options) == "public"
    assert intents.dtmf_choice("9", options) is None


NOW = datetime(2025, 3, 5, 10, 30)  # a Wednesday morning

CALLBACK_TIMES = [
    ("今天晚上", "2025-03-05 19:00"), ("今晚八点", "2025-03-05 20:00"),
    ("明天", "2025-03-06 10:00"), ("明天晚上", "2025-03-06 19:00"),
    ("下午三点", "2025-03-05 15:00"), ("三点", "2025-03-05 15:00"),
    ("晚上八点半", "2025-03-05 20:30"), ("明天下午两点", "2025-03-06 14:00"),
    ("明天早上九点", "2025-03-06 09:00"), ("半小时后", "2025-03-05 11:00"),
    ("一个小时以后", "2025-03-05 11:30"), ("两个半小时后", "2025-03-05 13:00"),
    ("十分钟后", "2025-03-05 10:40"), ("周五上午", "2025-03-07 10:00"),
    ("下周一", "2025-03-10 10:00"), ("后天下午", "2025-03-07 15:00"),
    ("tomorrow evening", "2025-03-06 19:00"), ("in an hour", "2025-03-05 11:30"),
    ("at 3 pm", "2025-03-05 15:00"), ("in half an hour", "2025-03-05 11:00"),
    ("in 30 minutes", "2025-03-05 11:00"), ("tonight", "2025-03-05 19:00"),
    ("tomorrow at 9", "2025-03-06 09:00"), ("3:30 pm", "2025-03-05 15:30"),
    ("on friday", "2025-03-07 10:00"), ("in two hours", "2025-03-05 12:30"),
    ("next monday", "2025-03-10 10:00"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CALLBACK_TIMES)
def test_callback_time(text: str, expected: str) -> None:
    found = parse_callback_time(text, NOW)
    assert found is not None
    assert found.at.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize("text", ["晚点再打", "call me later", "过两天吧", "不方便", ""])
def test_no_callback_time(text: str) -> None:
    assert parse_callback_time(text, NOW) is None


def test_past_hour_today_means_tomorrow() -> None:
    evening = datetime(2025, 3, 5, 21, 0)
    found = parse_callback_time("上午十点", evening)
    assert found is not None
    assert found.at == datetime(2025, 3, 6, 10, 0)


@pytest.mark.parametrize(
    ("at", "language", "expected"),
    [(datetime(2025, 3, 6, 19, 0), "zh", "明天晚上7点"),
     (datetime(2025, 3, 5, 15, 30), "zh", "今天下午3点半"),
     (datetime(2025, 3, 6, 9, 0), "en", "tomorrow at 9:00 am")],
)  # fmt: skip
def test_describe_callback_time(at: datetime, language: str, expected: str) -> None:
    assert describe(at, NOW, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a short yes that opens a longer reply (found on the real call path)
        ("有的，家里很安静，网络也很稳定。", "yes"),
        ("有的家里很安静网络也很稳定", "yes"),  # ASR dropped the commas
        ("会的，我以前做过", "yes"),
        ("家里有，网络也还行", "yes"),
        ("有点吵，网络也不稳定", "no"),  # 有 inside a longer clause is not a yes
        ("我不确定，有的时候网络不好", "no"),  # 有的 not at the start
    ],
)
def test_short_yes_as_its_own_clause(text: str, expected: str) -> None:
    assert intents.yes_no(text) == expected


@pytest.mark.parametrize("text", ["幽的家里很安静,网络也很稳定", "又的，网络还可以"])
def test_leading_yes_is_matched_by_sound(text: str) -> None:
    # measured on the real call path: Whisper heard 有的 (yǒu) as 幽的 (yōu)
    assert intents.yes_no(text) == "yes"
