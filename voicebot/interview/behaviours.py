"""Which generic behaviours a question rewards, and how much, derived from its own rubric.

HR cannot list every way of saying "follow up", so a question's rubric is read as a set of
behaviours: each strong/average phrase and each action is looked up in the behaviour
lexicon (:mod:`behaviour_words`), and the behaviour it names inherits that rubric level. An
answer that says "过两天再打个电话问问" then earns what "跟进回访" earns, and the evidence
says so: ``follow_up ~ 跟进回访``. Behaviours the rubric does not name still count as
``related`` when they show a competency the question feeds (its dimension ids, e.g.
``stress_tolerance`` -> stress), and as ``generic`` concrete actions otherwise.

Red flags work the same way: the lexicon's general ones (hanging up, blaming, arguing) apply
to every answer, the specific ones (unsafe handling, avoiding the team) to questions that
feed that competency or whose rubric names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voicebot.interview import matching
from voicebot.interview.behaviour_words import BEHAVIOURS, Behaviour
from voicebot.interview.flag_words import RED_FLAGS
from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language, Question

Level = Literal["strong", "average", "action", "related", "generic"]
RANK: dict[str, int] = {
    "strong": 5,
    "average": 4,
    "action": 3,
    "related": 2,
    "generic": 1,
    "step": 0,
}
"""How much a question rewards a behaviour, best first."""

TAG_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("comm", ("commun", "沟通", "表达")),
    ("solve", ("problem", "solv", "解决")),
    ("stress", ("stress", "emotion", "pressure", "resilien", "抗压", "情绪")),
    ("team", ("team", "collab", "协作", "配合", "团队")),
    ("remote", ("remote", "远程", "居家")),
    ("service", ("service", "empathy", "customer", "attitude", "服务", "同理")),
    ("safety", ("safety", "安全")),
    ("reliab", ("reliab", "attend", "可靠", "出勤")),
    ("exp", ("physical", "experience", "体力", "经验")),
    ("learn", ("learn", "学习")),
)
"""Words in a dimension's id or name -> the lexicon tag of the competency it measures."""


def tags_of(names: Sequence[str]) -> frozenset[str]:
    """Competency tags of dimensions, from their ids or names."""
    text = " ".join(names).lower()
    return frozenset(tag for tag, keys in TAG_WORDS if any(k in text for k in keys))


def variants(b: Behaviour, language: Language) -> tuple[str, ...]:
    return b.zh if language == "zh" else b.en


def hits(b: Behaviour, text: str, language: Language, *, exact: bool = False) -> list[Hit]:
    """Every variant of ``b`` found in ``text`` (strict matching, see matching.find_pattern).

    ``exact`` for rubric phrases, which HR typed: "先停下来" names stopping, not the
    homophone "先听" (listening)."""
    homophones = not (b.red_flag or exact)
    return [
        h
        for v in variants(b, language)
        if (h := matching.find_pattern(v, text, homophones=homophones, as_written=b.red_flag))
    ]


def named_in(phrase: str, language: Language, pool: Sequence[Behaviour]) -> Behaviour | None:
    """The behaviour a rubric phrase names: the one with the longest variant inside it."""
    best: tuple[int, Behaviour] | None = None
    for b in pool:
        for h in hits(b, phrase, language, exact=True):
            if best is None or h.end - h.start > best[0]:
                best = (h.end - h.start, b)
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class Relevance:
    level: Level
    rubric: str | None
    """The rubric phrase the behaviour stands for (None for related/generic)."""


@dataclass(frozen=True, slots=True)
class QuestionBehaviours:
    positive: dict[str, Relevance]
    """Every behaviour of the lexicon -> how much this question rewards it."""
    red_flags: tuple[Behaviour, ...]
    """The red flags that apply to this question."""
    phrase_behaviour: dict[str, str]
    """Rubric phrase -> the behaviour it names (so a phrase and a variant count once)."""
    variant: dict[tuple[str, str], Relevance]
    """(behaviour, variant) -> the level of the rubric phrase the variant is said in: "外卖"
    is in the average "送外卖", while "快递" makes the same behaviour strong."""


_CACHE: dict[tuple[object, ...], QuestionBehaviours] = {}


def for_question(
    q: Question, language: Language, dimension_names: Sequence[str] = ()
) -> QuestionBehaviours:
    """How ``q`` rewards each behaviour (cached: rubrics do not change during a call)."""
    r = q.rubric
    if r is None:
        return QuestionBehaviours({}, (), {}, {})
    key = (q.id, language, tuple(q.dimensions), tuple(dimension_names), tuple(r.strong),
           tuple(r.average), tuple(r.actions), tuple(r.negative))  # fmt: skip
    if key not in _CACHE:
        _CACHE[key] = _relevance(q, language, dimension_names)
    return _CACHE[key]


def _relevance(q: Question, language: Language, names: Sequence[str]) -> QuestionBehaviours:
    assert q.rubric is not None
    tags = tags_of([*q.dimensions, *names])
    positive: dict[str, Relevance] = {
        b.id: Relevance("related" if b.tags & tags else "generic", None) for b in BEHAVIOURS
    }
    phrase_behaviour: dict[str, str] = {}
    variant: dict[tuple[str, str], Relevance] = {}
    rubric: list[tuple[Level, list[str]]] = [
        ("strong", q.rubric.strong), ("average", q.rubric.average), ("action", q.rubric.actions)
    ]  # fmt: skip
    for level, phrases in rubric:
        for phrase in phrases:
            b = named_in(phrase, language, BEHAVIOURS)
            if b is None:
                continue
            phrase_behaviour.setdefault(phrase, b.id)
            if RANK[level] > RANK[positive[b.id].level]:
                positive[b.id] = Relevance(level, phrase)
            for h in hits(b, phrase, language, exact=True) if level != "action" else ():
                known = variant.get((b.id, h.phrase))
                if known is None or RANK[level] > RANK[known.level]:
                    variant[(b.id, h.phrase)] = Relevance(level, phrase)
    flags = [f for f in RED_FLAGS if "any" in f.tags or f.tags & tags]
    for phrase in q.rubric.negative:
        f = named_in(phrase, language, RED_FLAGS)
        if f is not None:
            phrase_behaviour.setdefault(phrase, f.id)
            if f not in flags:
                flags.append(f)
    return QuestionBehaviours(positive, tuple(flags), phrase_behaviour, variant)


def by_id(behaviour_id: str) -> Behaviour:
    for b in (*BEHAVIOURS, *RED_FLAGS):
        if b.id == behaviour_id:
            return b
    raise KeyError(behaviour_id)
