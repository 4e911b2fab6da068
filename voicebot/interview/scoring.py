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
    mean absolute error, then rounded and kept in a sensible order by hand).

    Behaviours, structure, an example and detail do not add fixed points: each closes a share
    of the distance between the answer's score so far and the **ceiling** of the best level
    it shows. Returns diminish (the fifth behaviour adds far less than the second), and
    however many average behaviours an answer lists, it stays an average answer: a recruiter
    hears "say sorry, calm them down, offer a discount" as ~55, not as 80."""

    answered: float = 6.0
    """For saying something of at least ``answered_size`` characters/words at all."""
    answered_size: int = 3
    ceiling: tuple[tuple[str, float], ...] = (
        ("strong", 88.0), ("average", 57.0), ("action", 80.0), ("related", 80.0),
        ("generic", 26.0), ("step", 45.0),
    )  # fmt: skip
    """How high behaviours of each level can take an answer by themselves."""
    room: float = 0.25
    """How much higher (a share of the ceiling, at most to 100) elaboration can take it:
    structure, an example, detail. A bare list of the right steps ("先听他说，再问清楚，然后
    记录下来") is good but brief; a recruiter keeps 85-95 for answers that also say how."""
    level_share: float = 0.43
    """The best behaviour sets the level: it closes this share of the way to its ceiling."""
    behaviour_share: float = 0.3
    """Each distinct behaviour (the best one too) closes this share of what is left to its
    own level's ceiling; a behaviour below the score so far adds nothing (and is listed)."""
    without: tuple[tuple[str, float], ...] = (("weak", 19.0), ("topic", 16.0))
    """Points without any behaviour: "weak" for a weak phrase or hedge, "topic" for at
    least the question's own words."""
    generic_level_needs: int = 2
    """Generic behaviours and steps (not tied to the question) set a level only this many
    together."""
    structure: float = 0.02
    structure_cap: int = 2
    """Shares per structure marker, and how many count."""
    example: float = 0.12
    detail: tuple[tuple[int, int, float], ...] = ((80, 45, 0.45), (45, 25, 0.4))
    """(zh characters, en words, share): the first row the answer reaches."""
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
    stance: float = -6.0
    stance_cap: float = -12.0
    stance_ceiling: float = 15.0
    """Refusal, sarcasm or having no example keep the answer at or below this: the good
    words in it are not meant (see :mod:`stance`)."""
    rejected: float = -8.0
    rejected_cap: float = -16.0
    """For each behaviour the question rewards that the candidate says they would not do;
    an answer left with none it would do is held at ``stance_ceiling`` too."""


POINTS = Points()


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    """answered, level:strong|average|action|related|generic|step|weak|topic, phrase, action,
    structure, example, detail, vague, negative, stance, answer (closed questions),
    no_answer, cap."""
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

    @property
    def total(self) -> float:
        return sum(e.points for e in self.items)

    def add(
        self,
        kind: str,
        points: float,
        f: Finding | None = None,
        hit: Hit | None = None,
        behaviour: str | None = None,
    ) -> None:
        if f is None:
            self.items.append(Evidence(kind, round(points, 2)))
            return
        h = hit or f.hit
        t0, t1 = self.answer.times(h.start, h.end)
        self.items.append(Evidence(kind, round(points, 2), h.phrase, h.text, h.score, t0, t1,
                                   behaviour or f.explain()))  # fmt: skip

    def toward(self, kind: str, share: float, top: float, f: Finding | None = None) -> None:
        """Close ``share`` of the way from the score so far to ``top`` (never backwards)."""
        self.add(kind, max(0.0, share * (top - self.total)), f)

    def capped(self, kind: str, found: Sequence[Finding], each: float, cap: float) -> None:
        total = 0.0
        for f in found:
            remaining = cap - total
            points = min(each, remaining) if each > 0 else max(each, remaining)
            if points == 0:
                break
            total += points
            self.add(kind, points, f, behaviour=_stance_label(f) if kind == "stance" else None)


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
    top = _level(b, found, p)
    counted = found.behaviours
    if top is not None:
        top = min(100.0, top * (1 + p.room))
        for f in found.structure[: p.structure_cap]:
            b.toward("structure", p.structure, top, f)
        for f in found.example[:1]:
            b.toward("example", p.example, top, f)
    if top is not None and len(counted) >= p.detail_needs:
        said = size(answer.text)
        for zh_chars, en_words, share in p.detail:
            if said >= (zh_chars if language == "zh" else en_words):
                b.toward("detail", share, top)
                break
    if top is not None and len(counted) < p.vague_until:
        # hedged actions ("尽量帮他解决"); an answer of hedges alone has the weak level instead
        b.capped("vague", found.vague, p.vague, p.vague_cap)
    if not counted:
        b.capped("negative", found.non_answer[:1], p.non_answer, p.non_answer)
    # red flags cap the answer, so they need exact evidence (see findings._red_flags)
    b.capped("negative", found.red_flags, p.negative, p.negative_cap)
    b.capped("stance", found.stance, p.stance, p.stance_cap)
    b.capped("stance", found.rejected, p.rejected, p.rejected_cap)
    ceiling = p.negative_ceiling if found.red_flags else 100.0
    if found.stance or (found.rejected and not counted):
        ceiling = min(ceiling, p.stance_ceiling)
    return _finish(q.id, b.items, ceiling)


def _stance_label(f: Finding) -> str:
    """ "rejects follow_up ~ 跟进回访", "sarcasm", "reluctance", "avoid_team"."""
    if f.level == "rejected":
        return f"rejects {f.explain() or f.hit.phrase}"
    return f.explain() or f.level


def _level(b: _Builder, found: Findings, p: Points) -> float | None:
    """The level from the best behaviour, then a share for each distinct behaviour.

    Without a behaviour the answer gets at most the weak level: for a weak rubric phrase, or
    failing that for a hedge or claim, which shows it is on topic (and then costs nothing
    more). Returns the ceiling of the level when a behaviour set it."""
    counted = found.behaviours
    ceiling = dict(p.ceiling)
    best = counted[0] if counted else None
    if (
        best is not None
        and best.level in ("generic", "step")
        and len(counted) < p.generic_level_needs
    ):
        best = None
    if best is None:
        without = dict(p.without)
        # a stance is an answer, if a weak one: "I'd rather figure it out on my own"
        weak = found.weak or found.vague or found.stance or found.rejected
        if weak:
            b.add("level:weak", without["weak"], weak[0])
        elif found.topic:
            b.add("level:topic", without["topic"], found.topic[0])
    else:
        b.toward(f"level:{best.level}", p.level_share, ceiling[best.level], best)
    for f in counted:
        points = max(0.0, p.behaviour_share * (ceiling[f.level] - b.total))
        if f.from_rubric and f.verb is None:
            b.add("phrase", points, f)
        else:  # the behaviour's concrete action: a lexicon variant, or the verb in the phrase
            b.add("action", points, f, f.verb)
    return None if best is None else ceiling[best.level]


def _finish(question_id: str, items: list[Evidence], ceiling: float = 100.0) -> QuestionScore:
    raw = sum(e.points for e in items)
    score = min(ceiling, max(0.0, raw))
    if score != raw:
        items = [*items, Evidence("cap", round(score - raw, 2))]
    return QuestionScore(question_id, round(score, 2), tuple(items))


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
