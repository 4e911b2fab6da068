"""Scoring one answer, with evidence for every point.

A recruiter listens for what the candidate would *do*, not for the rubric's wording. An open
answer therefore earns points per distinct **behaviour** it shows (values in :data:`POINTS`,
tuned on ``tests/data/scoring/train.yaml`` only):

* a behaviour is found either as a rubric phrase (matched fuzzily, see :mod:`matching`) or
  as a variant of the behaviour lexicon (matched strictly, see :mod:`behaviour_words`):
  "过两天再打个电话问问" shows ``follow_up`` like the rubric's "跟进回访", and earns what
  that phrase earns (:mod:`behaviours` reads the rubric as behaviours). Lexicon behaviours
  the rubric does not name count as ``related`` when they show a competency the question
  feeds, as ``generic`` concrete actions otherwise; a clause shaped like an action that
  nothing explains ("把单子列出来") is a concrete ``step`` (:mod:`steps`). Each behaviour
  counts once, however often or in however many words it is said;
* **level**: the best behaviour sets a base (strong / average / rubric action / related;
  generic ones and steps only two together); an answer without any behaviour gets at most
  the weak level, for a rubric's weak phrase or a hedge/claim ("尽量满足客户", "I'm a fast
  learner"), or the "topic" level when it at least uses the question's own words;
* **structure** ("先…再…", "first/then", "if that doesn't work") and a real **example**
  ("有一次", "at my last job") count only next to a behaviour, **detail** (length) only
  next to two: length alone never buys points;
* **vague** hedges cost a little in answers with few behaviours, a **non-answer**
  ("不知道") costs in answers with none, and **negative** indicators (the rubric's and the
  lexicon's red flags: hanging up, blaming, arguing, unsafe handling) cap the answer low,
  unless negated ("我不会挂电话"); they must match exactly (rubric ones also as homophones).

Every item is an :class:`Evidence` with the phrase or lexicon variant, the transcript's own
words, the behaviour it shows and (when the driver gave timestamps) where in the call it was
said. The items add up to the score exactly: a final ``cap`` item records any clamping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voicebot.interview.answer_text import AnswerText
from voicebot.interview.findings import Finding, Findings, collect
from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language, Question
from voicebot.interview.textnorm import size

__all__ = ["POINTS", "AnswerText", "Evidence", "Points", "QuestionScore", "score_open",
           "score_value"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Points:
    """Point values, tuned on ``tests/data/scoring/train.yaml`` (coordinate descent on the
    mean absolute error, then rounded and kept in a sensible order by hand)."""

    answered: float = 6.0
    """For saying something of at least ``answered_size`` characters/words at all."""
    answered_size: int = 3
    level: tuple[tuple[str, float], ...] = (
        ("strong", 34.0), ("average", 24.0), ("action", 22.0), ("related", 20.0),
        ("generic", 12.0), ("step", 20.0), ("weak", 19.0), ("topic", 16.0),
    )  # fmt: skip
    """Base points of the best behaviour's level; without a behaviour, "weak" for a weak
    phrase or hedge, "topic" for at least the question's own words."""
    generic_level_needs: int = 2
    """Generic behaviours and steps (not tied to the question) set a level only this many
    together."""
    behaviour: tuple[tuple[str, float], ...] = (
        ("strong", 11.0), ("average", 8.0), ("action", 9.0), ("related", 9.0), ("generic", 3.0),
        ("step", 9.0),
    )  # fmt: skip
    """Points for each distinct behaviour shown, by how much the question rewards it."""
    behaviour_cap: float = 37.0
    structure: float = 3.0
    structure_cap: float = 6.0
    example: float = 4.0
    detail: tuple[tuple[int, int, float], ...] = ((80, 45, 10.0), (45, 25, 8.0))
    """(zh characters, en words, points): the first row the answer reaches."""
    detail_needs: int = 2
    """Behaviours an answer needs before its length counts."""
    vague: float = -8.0
    vague_cap: float = -12.0
    vague_until: int = 2
    """Hedges cost points in answers with fewer behaviours than this."""
    non_answer: float = -12.0
    negative: float = -4.0
    negative_cap: float = -20.0
    negative_ceiling: float = 10.0
    """A red flag keeps the answer at or below this, however good the rest sounds: the
    ceiling, more than the per-flag cost, is what a red flag does to an answer."""


POINTS = Points()


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    """answered, level:strong|average|action|related|generic|weak|topic, phrase, action,
    structure, example, detail, vague, negative, answer (closed questions), no_answer, cap."""
    points: float
    phrase: str | None = None
    """The rubric phrase, lexicon variant or marker that matched (None for
    detail/answer/cap)."""
    excerpt: str = ""
    """The transcript's own words."""
    match: float | None = None
    """How closely they matched the phrase (0-100)."""
    start_s: float | None = None
    end_s: float | None = None
    behaviour: str | None = None
    """The generic behaviour the words show, and the rubric phrase it stands for when the
    candidate said it in other words: "follow_up ~ 跟进回访"."""


@dataclass(frozen=True, slots=True)
class QuestionScore:
    question_id: str
    score: float
    evidence: tuple[Evidence, ...]


class _Builder:
    def __init__(self, answer: AnswerText) -> None:
        self.answer = answer
        self.items: list[Evidence] = []

    def add(
        self, kind: str, points: float, f: Finding | None = None, hit: Hit | None = None
    ) -> None:
        if f is None:
            self.items.append(Evidence(kind, round(points, 2)))
            return
        h = hit or f.hit
        t0, t1 = self.answer.times(h.start, h.end)
        self.items.append(Evidence(kind, round(points, 2), h.phrase, h.text, h.score, t0, t1,
                                   f.explain()))  # fmt: skip

    def capped(self, kind: str, found: Sequence[Finding], each: float, cap: float) -> None:
        total = 0.0
        for f in found:
            remaining = cap - total
            points = min(each, remaining) if each > 0 else max(each, remaining)
            if points == 0:
                break
            total += points
            self.add(kind, points, f)


def score_open(
    q: Question,
    answer: AnswerText,
    language: Language,
    p: Points = POINTS,
    *,
    dimension_names: Sequence[str] = (),
) -> QuestionScore:
    """Score an open answer against its question's rubric (see the module docstring).

    ``dimension_names`` (names of the dimensions ``q`` feeds) help map the question onto
    competencies when its dimension ids do not say which they are."""
    if q.rubric is None or not answer.text.strip():
        return _finish(q.id, [Evidence("no_answer", 0.0)] if not answer.text.strip() else [])
    found = collect(q, answer.text, language, dimension_names)
    b = _Builder(answer)
    if size(answer.text) >= p.answered_size:
        b.add("answered", p.answered)
    by_behaviour = _level(b, found, p)
    counted = found.behaviours
    if counted:
        b.capped("structure", found.structure, p.structure, p.structure_cap)
        b.capped("example", found.example[:1], p.example, p.example)
    if len(counted) >= p.detail_needs:
        said = size(answer.text)
        for zh_chars, en_words, pts in p.detail:
            if said >= (zh_chars if language == "zh" else en_words):
                b.add("detail", pts)
                break
    if by_behaviour and len(counted) < p.vague_until:
        # hedged actions ("尽量帮他解决"); an answer of hedges alone has the weak level instead
        b.capped("vague", found.vague, p.vague, p.vague_cap)
    if not counted:
        b.capped("negative", found.non_answer[:1], p.non_answer, p.non_answer)
    # red flags cap the answer, so they need exact evidence (see findings._red_flags)
    b.capped("negative", found.red_flags, p.negative, p.negative_cap)
    return _finish(q.id, b.items, p.negative_ceiling if found.red_flags else 100.0)


def _level(b: _Builder, found: Findings, p: Points) -> bool:
    """The base level from the best behaviour, then points for each distinct behaviour.

    Without a behaviour the answer gets at most the weak level: for a weak rubric phrase, or
    failing that for a hedge or claim, which shows it is on topic (and then costs nothing
    more). Returns whether the level came from a behaviour."""
    counted = found.behaviours
    levels = dict(p.level)
    per = dict(p.behaviour)
    best = counted[0] if counted else None
    if (
        best is not None
        and best.level in ("generic", "step")
        and len(counted) < p.generic_level_needs
    ):
        best = None
    if best is not None:
        b.add(f"level:{best.level}", levels[best.level], best)
    elif found.weak or found.vague:
        b.add("level:weak", levels["weak"], (found.weak or found.vague)[0])
    elif found.topic:
        b.add("level:topic", levels["topic"], found.topic[0])
    total = 0.0
    for f in counted:
        points = min(per[f.level], p.behaviour_cap - total)
        if points <= 0:
            break
        total += points
        if f.from_rubric and f.verb is None:
            b.add("phrase", points, f)
        else:  # the behaviour's concrete action: a lexicon variant, or the verb in the phrase
            b.add("action", points, f, f.verb)
    return best is not None


def _finish(question_id: str, items: list[Evidence], ceiling: float = 100.0) -> QuestionScore:
    raw = sum(e.points for e in items)
    score = min(ceiling, max(0.0, raw))
    if score != raw:
        items = [*items, Evidence("cap", round(score - raw, 2))]
    return QuestionScore(question_id, round(score, 1), tuple(items))


def score_value(q: Question, value: str | float | None) -> QuestionScore:
    """Score a yes/no, number or choice answer by the profile's own values."""
    if value is None:
        return _finish(q.id, [Evidence("no_answer", 0.0)])
    shown = str(value)
    if q.type == "yes_no" and q.expected is not None:
        return _finish(
            q.id, [Evidence("answer", 100.0 if value == q.expected else 0.0, None, shown)]
        )
    if q.type == "number" and isinstance(value, float | int):
        for band in q.points:
            if (band.min is None or value >= band.min) and (band.max is None or value < band.max):
                return _finish(q.id, [Evidence("answer", float(band.score), None, shown)])
    if q.type == "choice":
        chosen = next((c for c in q.choices if c.id == value), None)
        if chosen is not None and chosen.score is not None:
            return _finish(q.id, [Evidence("answer", float(chosen.score), None, shown)])
    return _finish(q.id, [Evidence("answer", 0.0, None, shown)])
