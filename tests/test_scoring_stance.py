"""Negation and stance: the good words in an answer only count when the candidate means them."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebot.interview import matching, negation, stance
from voicebot.interview.profile import Language, Question
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.scoring import AnswerText, QuestionScore, score_open

EXAMPLES = Path(__file__).parent.parent / "examples"
ZH = load_profile(EXAMPLES / "home_customer_service_zh.yaml")
WH = load_profile(EXAMPLES / "warehouse_sorting_zh.yaml")
EN = load_profile(EXAMPLES / "customer_support_en.yaml")


def hit(phrase: str, text: str) -> matching.Hit:
    h = matching.find_pattern(phrase, text)
    assert h is not None, (phrase, text)
    return h


def score(q: Question, text: str, language: Language = "zh") -> QuestionScore:
    return score_open(q, AnswerText(text), language)


@pytest.mark.parametrize(
    ("phrase", "text", "language", "expected"),
    [
        # refusal: the candidate will not do it
        ("帮他", "我才不会去帮他", "zh", (False, True)),
        ("开会", "我不喜欢开会", "zh", (False, True)),
        ("ask", "I don't like to ask anyone", "en", (False, True)),
        # lack: honest inexperience, not a stance
        ("仓库", "我没在仓库干过", "zh", (False, False)),
        ("叉车", "叉车也不会开", "zh", (True, False)),
        ("zendesk", "I haven't used Zendesk", "en", (False, False)),
        # a negated manner, and someone else's doing
        ("解释", "先别急着解释", "zh", (False, False)),
        ("transfer", "I wouldn't just transfer them", "en", (False, False)),
        ("explain", "they can't explain it", "en", (False, False)),
    ],
)
def test_negation_tells_refusal_from_lack(
    phrase: str, text: str, language: Language, expected: tuple[bool, bool]
) -> None:
    neg = negation.find(hit(phrase, text), text, language)
    assert neg is not None
    assert (neg.after, neg.refusal) == expected


@pytest.mark.parametrize(
    ("phrase", "text", "language"),
    [
        ("跟组长说", "实在扛不住就跟组长说", "zh"),  # a negation further back is not this one's
        ("能不能", "问问他能不能帮忙", "zh"),
        ("ask", "I would ask my team lead", "en"),
        ("不往心里去", "我不往心里去", "zh"),  # carries its own negation
    ],
)
def test_not_negated(phrase: str, text: str, language: Language) -> None:
    assert negation.find(hit(phrase, text), text, language) is None


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("开会没必要，浪费时间", "zh", "refusal"),
        ("呵呵，还能怎么办，道歉呗", "zh", "sarcasm"),
        ("想不起来了，反正就是解决呗", "zh", "no_example"),
        ("Honestly meetings are a waste of time", "en", "refusal"),
        ("Oh sure, I'd apologize a hundred times", "en", "sarcasm"),
        ("I can't think of one", "en", "no_example"),
        ("没必要天天开会，但是进度我每天在群里同步", "zh", "reluctance"),
    ],
)
def test_stance_markers(text: str, language: Language, kind: str) -> None:
    assert kind in {k for k, _ in stance.markers(text, language, example_told=False)}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("没必要生气，先听他说完", "zh"),  # dismisses a bad reaction: a good answer
        ("There's no point arguing, I'd listen first", "en"),
        ("需不需要帮忙我会先问他", "zh"),  # A-not-A is a question
        ("I don't think it's pointless", "en"),
        ("不是没必要，是要先搞清楚", "zh"),
    ],
)
def test_what_is_not_a_stance(text: str, language: Language) -> None:
    kinds = {k for k, _ in stance.markers(text, language, example_told=False)}
    assert not kinds & {"refusal", "sarcasm"}


def test_no_example_does_not_count_when_one_is_told() -> None:
    text = "想不起来具体哪次了，比如有一次客户说收不到验证码，我就一步步教他"
    assert "no_example" not in {k for k, _ in stance.markers(text, "zh", example_told=True)}


def test_refusing_the_behaviour_scores_like_a_refusal() -> None:
    """The question's own good words, refused, are not a good answer."""
    q = WH.question("slow_teammate")
    good = score(q, "我会主动帮他，教他一些分拣的方法，再跟组长反映一下")
    refused = score(q, "我才不会去帮他，教他方法那些没必要，我自己的活都干不完")
    assert good.score >= 60
    assert refused.score <= 20
    assert any(e.kind == "stance" for e in refused.evidence)


def test_a_list_of_average_steps_stays_average() -> None:
    """Diminishing returns: five average behaviours are not a strong answer."""
    q = EN.question("upset_customer")
    listed = score(
        q,
        "I'd say sorry, calm them down, offer a discount, give them a coupon and "
        "tell them to wait a bit more",
        "en",
    )
    strong = score(
        q,
        "First I'd apologize and let them explain, then check the tracking, tell them "
        "honestly what happened and what I'll do, and call them back tomorrow with an update",
        "en",
    )
    assert listed.score < 70
    assert strong.score > listed.score + 15


def test_english_red_flags_match_the_words_as_written() -> None:
    """ "things happen" (dismissive) is a red flag; "make the same thing happen" is
    reproducing the problem, and must not cap a strong answer."""
    q = EN.question("unclear_problem")
    strong = score(
        q,
        "I'd ask them to send a screenshot, try to make the same thing happen on my side, "
        "then say it back in my own words and note it in the ticket",
        "en",
    )
    dismissive = score(q, "Things happen, I'd tell them to try again later", "en")
    assert strong.score >= 60
    assert not any(e.kind == "negative" for e in strong.evidence)
    assert dismissive.score <= 15
