"""Behaviours, not wording: paraphrases earn what the rubric phrase earns, with evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebot.interview import behaviours, matching, steps
from voicebot.interview.profile import Question
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.scoring import AnswerText, QuestionScore, score_open

EXAMPLES = Path(__file__).parent.parent / "examples"
HOME = load_profile(EXAMPLES / "home_customer_service_zh.yaml")
EN = load_profile(EXAMPLES / "customer_support_en.yaml")
WAREHOUSE = load_profile(EXAMPLES / "warehouse_sorting_zh.yaml")


def score(q: Question, text: str, language: str = "zh") -> QuestionScore:
    return score_open(q, AnswerText(text), "zh" if language == "zh" else "en")


def shown(s: QuestionScore) -> set[str]:
    """The behaviours an answer earned points for (ids, without the "~ rubric" part)."""
    return {e.behaviour.split(" ~ ")[0] for e in s.evidence if e.behaviour and e.points > 0}


@pytest.mark.parametrize(
    ("q", "text", "language", "expected"),
    [
        (HOME.question("customer_needs"), "处理完我过两天再打个电话问问他", "zh", {"follow_up"}),
        (HOME.question("customer_needs"), "先让他把火发出来，稳住情绪，再一个一个地问", "zh",
         {"empathise", "clarify"}),
        (WAREHOUSE.question("slow_teammate"), "我会先去搭把手，做给他看，不行就重新排一下人", "zh",
         {"help_teammate", "coach", "reorganise"}),
        (WAREHOUSE.question("broken_parcel"), "别去碰，把它搬到旁边，喊班长过来", "zh",
         {"stop_work", "isolate", "escalate"}),
        (EN.question("upset_customer"), "I'd say sorry and call them back tomorrow", "en",
         {"apologise", "follow_up"}),
        (EN.question("unclear_problem"), "I'd have them share their screen and sum up the problem",
         "en", {"gather_evidence", "confirm"}),
    ],
)  # fmt: skip
def test_paraphrases_show_the_behaviour(
    q: Question, text: str, language: str, expected: set[str]
) -> None:
    assert shown(score(q, text, language)) >= expected


def test_a_paraphrase_earns_the_level_of_the_rubric_phrase_it_stands_for() -> None:
    q = HOME.question("customer_needs")
    own_words = score(q, "我会过两天再打个电话问问他")
    rubric = score(q, "我会跟进回访")
    level = next(e for e in own_words.evidence if e.kind.startswith("level:"))
    assert level.kind == "level:strong"
    assert level.behaviour == "follow_up ~ 跟进回访"
    assert "打个电话" in level.excerpt  # the candidate's words, not the rubric's
    assert own_words.score >= rubric.score


def test_good_answers_in_own_words_score_like_rubric_answers() -> None:
    """The measured failure: "搭把手/示范/重新排人" scored ~10 where a recruiter gives ~80."""
    q = WAREHOUSE.question("slow_teammate")
    own = score(
        q, "我会先过去搭把手，看看他卡在哪，手法不熟就做给他看，还不行就跟班长说重新排一下人。"
    )
    assert own.score >= 75


@pytest.mark.parametrize(
    ("text", "noisy"),
    [("我会过去搭把手", "我会过去搭吧手"), ("过两天跟进一下", "过两天跟近一下"),
     ("拍照登记", "拍照等记")],
)  # fmt: skip
def test_lexicon_variants_survive_asr_homophones(text: str, noisy: str) -> None:
    q = WAREHOUSE.question("slow_teammate") if "手" in text else HOME.question("customer_needs")
    if "登记" in text:
        q = WAREHOUSE.question("broken_parcel")
    assert shown(score(q, noisy)) == shown(score(q, text))
    assert shown(score(q, noisy))


def test_red_flags_from_the_lexicon_must_match_exactly() -> None:
    q = HOME.question("problem_solving")
    fine = score(q, "有一次系统出问题，我查了以后客户满意了")  # 以后客户 sounds like 吼客户
    assert not [e for e in fine.evidence if e.kind == "negative"]
    rude = score(q, "有一次客户一直骂，我就吼客户")
    assert [e.behaviour for e in rude.evidence if e.kind == "negative"] == ["hostile"]
    assert rude.score <= 10


@pytest.mark.parametrize(
    ("q", "text", "flag"),
    [
        (HOME.question("customer_needs"), "那是厂家那边的事，让他去找厂家", "blame"),
        (HOME.question("angry_customer"), "我会把电话挂了", "hang_up"),
        (WAREHOUSE.question("broken_parcel"), "我会打开闻一下是什么", "unsafe"),
        (WAREHOUSE.question("slow_teammate"), "我会跟组长告状说他偷懒", "blame"),
        (EN.question("upset_customer"), "There's nothing I can do, it's the courier's problem",
         "dismiss"),
        (EN.question("unclear_problem"), "I'd tell them to figure out the problem and then call us",
         "dismiss"),
    ],
)  # fmt: skip
def test_red_flags_in_other_words_cap_the_answer(q: Question, text: str, flag: str) -> None:
    s = score(q, text, "en" if text.isascii() else "zh")
    assert flag in {e.behaviour for e in s.evidence if e.kind == "negative"}
    assert s.score <= 10


@pytest.mark.parametrize(
    "text",
    ["我绝不会挂电话，会先安抚他", "实在扛不住就跟组长说一下", "我会看看他能不能帮忙"],
)
def test_negation_is_only_what_comes_right_before(text: str) -> None:
    s = score(HOME.question("angry_customer"), text)
    assert not [e for e in s.evidence if e.kind == "negative"]
    assert shown(s)


def test_negated_behaviours_earn_nothing() -> None:
    s = score(HOME.question("remote_expectation"), "我不喜欢开会")
    assert "regular_meeting" not in shown(s)


def test_length_does_not_buy_points() -> None:
    q = EN.question("upset_customer")
    short = score(q, "I'd make sure they feel valued.", "en")
    padded = score(
        q,
        "Well, I think customer service is all about a positive attitude, and I believe that "
        "if you treat people with respect they respect you back, so I'd make sure they feel "
        "valued, because in my opinion that is the most important thing in this whole job.",
        "en",
    )
    assert padded.score <= short.score
    assert padded.score <= 25
    assert not [e for e in padded.evidence if e.kind == "detail"]


def test_each_task_of_a_job_counts() -> None:
    q = WAREHOUSE.question("experience")
    one = score(q, "在仓库做过上架")
    three = score(q, "在仓库做过上架、出库和盘点")
    assert three.score > one.score


def test_concrete_steps_the_lexicon_does_not_know() -> None:
    assert [h.text for h in steps.find("我会先把每个人手上的单子列出来，让他满意为止", "zh")] == [
        "我会先把每个人手上的单子列出来"
    ]
    en = steps.find("I'd pull up their invoice, then I'd try to be nice and I feel bad", "en")
    assert [h.text for h in en] == ["I'd pull up their invoice"]


def test_rubric_phrases_are_read_as_behaviours() -> None:
    rel = behaviours.for_question(HOME.question("customer_needs"), "zh")
    assert rel.phrase_behaviour["跟进回访"] == "follow_up"
    assert rel.positive["follow_up"].level == "strong"
    assert rel.positive["empathise"].level == "average"  # 安抚客户情绪 is an average phrase
    assert rel.positive["calm_down"].level == "related"  # stress is not what this asks about
    assert rel.positive["warehouse_work"].level == "generic"


def test_dimension_names_map_opaque_ids_onto_competencies() -> None:
    assert behaviours.tags_of(["stress_tolerance"]) == {"stress"}
    assert behaviours.tags_of(["d1", "抗压能力"]) == {"stress"}
    assert behaviours.tags_of(["d1"]) == frozenset()


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("打…回去", "处理完再打个电话回去", "打个电话回去"),
        ("call … back", "I called the customer back", "called the customer back"),
        ("keep … updated", "I kept the customer updated", "kept the customer updated"),
        ("take notes", "I'd not take it", None),
        ("notes", "that's not it", None),  # "notes" stems to "not": said as written only
        ("跟进", "过两天跟近一下", "跟近"),  # homophone keeping one character
    ],
)  # fmt: skip
def test_lexicon_patterns(pattern: str, text: str, found: str | None) -> None:
    hit = matching.find_pattern(pattern, text)
    assert (hit.text if hit else None) == found


def test_red_flag_patterns_take_no_homophones() -> None:
    assert matching.find_pattern("吼客户", "然后客户") is not None  # 吼/后: hou
    assert matching.find_pattern("吼客户", "然后客户", homophones=False) is None
