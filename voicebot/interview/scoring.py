"""Scoring one answer, with evidence for every point.

An open answer earns points the way a recruiter listens (values in :data:`POINTS`, tuned on
``tests/data/scoring/train.yaml`` only):

* **level**: the best rubric level it matches (strong / average / weak phrases), plus a few
  points for each further strong or average phrase; an answer with no rubric phrase but two
  or more concrete actions gets the average level ("implied");
* **actions**: concrete actions ("询问", "记录", "follow up"), the question's own and the
  built-in ones of :mod:`lexicon`: "I ask what they need, note it and follow up" beats
  "I try to satisfy the customer";
* **structure** ("首先/然后/最后", "first/then/finally"), **example** ("有一次", "for
  example") and **detail** (length) count only for an answer that is on topic;
* **vague** hedges ("尽量", "try to") cost a little when there are few actions, **negative**
  indicators ("挂电话", "not my fault") cost a lot and cap the answer at 20, unless negated
  ("我不会挂电话"); they must match exactly or as homophones (see :mod:`matching`).

Every item is an :class:`Evidence` with the rubric phrase, the transcript's own words and
(when the driver gave timestamps) where in the call they were said. The items add up to the
score exactly: a final ``cap`` item records any clamping to 0..100.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicebot.interview import lexicon, matching
from voicebot.interview.events import Segment
from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language, Question
from voicebot.interview.textnorm import normalize, size


@dataclass(frozen=True, slots=True)
class Points:
    answered: float = 8.0
    """For saying something of at least ``answered_size`` characters/words at all."""
    answered_size: int = 3
    level: tuple[tuple[str, float], ...] = (("strong", 34.0), ("average", 24.0), ("weak", 16.0))
    implied_level_actions: int = 2
    """This many concrete actions without any rubric phrase earn the average level."""
    extra_phrase: float = 6.0
    extra_phrase_cap: float = 12.0
    action: float = 7.0
    action_cap: float = 21.0
    structure: float = 4.0
    structure_cap: float = 8.0
    example: float = 8.0
    detail: tuple[tuple[int, int, float], ...] = ((80, 45, 10.0), (45, 25, 6.0), (20, 12, 3.0))
    """(zh characters, en words, points): the first row the answer reaches."""
    vague: float = -4.0
    vague_cap: float = -8.0
    vague_until_actions: int = 2
    negative: float = -15.0
    negative_cap: float = -45.0
    negative_ceiling: float = 20.0
    """A red flag keeps the answer at or below this, however good the rest sounds."""


POINTS = Points()


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    """answered, level:strong|average|weak, phrase, action, structure, example, detail,
    vague, negative, answer (closed questions), no_answer, cap."""
    points: float
    phrase: str | None = None
    """The rubric phrase or marker that matched (None for detail/answer/cap)."""
    excerpt: str = ""
    """The transcript's own words."""
    match: float | None = None
    """How closely they matched the phrase (0-100)."""
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True, slots=True)
class QuestionScore:
    question_id: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class AnswerText:
    """An answer's text, with call-time spans to timestamp evidence.

    ``spans`` are (char_start, char_end, start_s, end_s) ranges of ``text``: one per ASR
    segment when the driver gave segments, else one per turn."""

    text: str
    spans: tuple[tuple[int, int, float, float], ...] = ()

    @classmethod
    def build(cls, parts: Sequence[tuple[str, float, float, Sequence[Segment]]]) -> AnswerText:
        """From turns: (text, start_s, end_s, segments) each."""
        text = ""
        spans: list[tuple[int, int, float, float]] = []
        for turn_text, start_s, end_s, segments in parts:
            pieces = [(s.text, s.start_s, s.end_s) for s in segments] or [
                (turn_text, start_s, end_s)
            ]
            for piece, t0, t1 in pieces:
                if not piece.strip():
                    continue
                if text:
                    text += " "
                spans.append((len(text), len(text) + len(piece), t0, t1))
                text += piece
        return cls(text, tuple(spans))

    def times(self, start: int, end: int) -> tuple[float | None, float | None]:
        inside = [s for s in self.spans if s[0] < end and start < s[1]]
        if not inside:
            return None, None
        return min(s[2] for s in inside), max(s[3] for s in inside)


_CLAUSE = re.compile(r"[，。,.!?！？；;：:\n]")
_ZH_CLAUSE = re.compile(r"[，。,.!?！？；;：:\s]")
"""ASR output without punctuation separates Chinese phrases with spaces."""
_A_NOT_A = re.compile(r"(.)不\1")  # 能不能 / 会不会: a question, not a negation


def _negated(text: str, start: int, language: Language) -> bool:
    """Whether the words just before ``start``, in the same clause, negate it."""
    if language == "zh":
        clause = _ZH_CLAUSE.split(text[:start])[-1]
        before = _A_NOT_A.sub("", clause)[-3:]
        return any(n in before for n in lexicon.NEGATIONS["zh"])
    words = normalize(_CLAUSE.split(text[:start])[-1]).text.split()[-3:]
    return any(w in lexicon.NEGATIONS["en"] for w in words)


def _distinct(hits: list[Hit]) -> list[Hit]:
    """Best hits first; drop hits overlapping a better one (one stretch of words counts once)."""
    kept: list[Hit] = []
    for h in sorted(hits, key=lambda h: (-h.score, -(h.end - h.start))):
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


class _Builder:
    def __init__(self, answer: AnswerText, language: Language) -> None:
        self.answer = answer
        self.language = language
        self.items: list[Evidence] = []

    def find(
        self, phrases: Sequence[str], *, strict: bool = False, negatable: bool = True
    ) -> list[Hit]:
        text = self.answer.text
        hits = [h for h in matching.find_all(list(phrases), text, strict=strict)
                if not (negatable and _negated(text, h.start, self.language))]  # fmt: skip
        return _distinct(hits)

    def add(self, kind: str, points: float, hit: Hit | None = None) -> None:
        if hit is None:
            self.items.append(Evidence(kind, round(points, 2)))
            return
        t0, t1 = self.answer.times(hit.start, hit.end)
        self.items.append(Evidence(kind, round(points, 2), hit.phrase, hit.text, hit.score, t0, t1))

    def capped(self, kind: str, hits: list[Hit], each: float, cap: float) -> None:
        total = 0.0
        for hit in hits:
            remaining = cap - total
            points = min(each, remaining) if each > 0 else max(each, remaining)
            if points == 0:
                break
            total += points
            self.add(kind, points, hit)


def score_open(
    q: Question, answer: AnswerText, language: Language, p: Points = POINTS
) -> QuestionScore:
    """Score an open answer against its question's rubric (see the module docstring)."""
    b = _Builder(answer, language)
    rubric = q.rubric
    if rubric is None or not answer.text.strip():
        return _finish(q.id, [Evidence("no_answer", 0.0)] if not answer.text.strip() else [])
    if size(answer.text) >= p.answered_size:
        b.add("answered", p.answered)
    level_hits = {name: b.find(getattr(rubric, name)) for name, _ in p.level}
    best = next(((name, pts) for name, pts in p.level if level_hits[name]), None)
    if best is not None:
        name, pts = best
        b.add(f"level:{name}", pts, level_hits[name][0])
        extra = [h for n in ("strong", "average") for h in level_hits[n]]
        extra = [h for h in extra if h is not level_hits[name][0]]
        b.capped("phrase", extra, p.extra_phrase, p.extra_phrase_cap)
    actions = b.find([*rubric.actions, *lexicon.ACTIONS[language]])
    if best is None and len(actions) >= p.implied_level_actions:
        # no rubric phrase, but several concrete actions: rubrics are never complete, and
        # "问清楚…记下来…跟进" is on topic however it is worded
        b.add("level:implied", dict(p.level)["average"], actions[0])
    b.capped("action", actions, p.action, p.action_cap)
    on_topic = best is not None or bool(actions)
    if on_topic:
        structure = b.find(lexicon.STRUCTURE[language], negatable=False)
        b.capped("structure", structure, p.structure, p.structure_cap)
        example = b.find(lexicon.EXAMPLE[language], negatable=False)
        b.capped("example", example[:1], p.example, p.example)
        said = size(answer.text)
        for zh_chars, en_words, pts in p.detail:
            if said >= (zh_chars if language == "zh" else en_words):
                b.add("detail", pts)
                break
    if len(actions) < p.vague_until_actions:
        levels = [h for hits in level_hits.values() for h in hits]
        vague = [h for h in b.find(lexicon.VAGUE[language]) if not _inside(h, levels)]
        b.capped("vague", vague, p.vague, p.vague_cap)
    # red flags cost a lot, so they need exact (or homophone) evidence
    negative = b.find([*rubric.negative, *lexicon.NEGATIVE[language]], strict=True)
    b.capped("negative", negative, p.negative, p.negative_cap)
    return _finish(q.id, b.items, p.negative_ceiling if negative else 100.0)


def _inside(hit: Hit, others: list[Hit]) -> bool:
    """A hedge that is part of a rubric phrase ("尽量满足客户") was already judged there."""
    return any(o.start <= hit.start and hit.end <= o.end for o in others)


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
