"""The interview machine's state: frozen dataclasses, replaced (never mutated) by each step.

The state also is the interview's record: every turn with its timing and (eventually) its
text, every answer with how it was obtained (repeats, re-prompts, follow-ups, barge-ins) and
every knockout. :mod:`report` builds the recruiter's report from the final state alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from voicebot.interview.events import AnswerStatus, Outcome, Segment
from voicebot.interview.profile import Profile, Question
from voicebot.interview.textnorm import compact

Phase = Literal[
    "new", "consent", "good_time", "callback_time", "question", "anything_else", "ending", "done"
]
CONSENT, GOOD_TIME, CALLBACK_TIME, ANYTHING_ELSE = (
    "consent", "good_time", "callback_time", "anything_else"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Candidate:
    candidate_id: int | None = None
    name: str | None = None
    resume_keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One stretch of candidate speech, as endpointed by the driver's VAD."""

    turn_id: int
    step: str
    """What it answered: "consent", "good_time", "callback_time", a question id,
    "anything_else"."""
    start_s: float
    end_s: float
    speech_s: float
    reason: str = "hangover"
    text: str | None = None
    final: bool = False
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: str
    turn_ids: tuple[int, ...]
    status: AnswerStatus
    value: str | float | None = None
    knocked_out: bool = False
    prompt_end_s: float | None = None
    first_speech_s: float | None = None
    repeats: int = 0
    reprompts: int = 0
    follow_ups: int = 0
    barge_ins: int = 0


@dataclass(frozen=True, slots=True)
class Playing:
    key: str
    barge_in_allowed: bool


@dataclass(frozen=True, slots=True)
class Step:
    """Progress on the thing being asked right now (consent, a question, ...)."""

    key: str = ""
    turn_ids: tuple[int, ...] = ()
    pending: tuple[int, ...] = ()
    """Turns whose transcript the machine waits for before deciding."""
    silence_timer: str | None = None
    transcript_timer: str | None = None
    repeats: int = 0
    reprompts: int = 0
    follow_ups: int = 0
    retries: int = 0
    prompt_end_s: float | None = None
    first_speech_s: float | None = None
    barge_ins: int = 0


@dataclass(frozen=True, slots=True)
class State:
    profile: Profile
    candidate: Candidate
    started_at: datetime
    """Wall-clock time of call time 0, given by the driver (callback times are relative to it)."""
    plan: tuple[str, ...]
    """Question ids to ask, in order, after branching on the resume."""
    phase: Phase = "new"
    index: int = 0
    step: Step = Step()
    playing: tuple[Playing, ...] = ()
    stale_prompts: int = 0
    """Prompts stopped by StopSpeaking whose PromptDone(interrupted) has not arrived yet."""
    in_speech: bool = False
    seq: int = 0
    turns: tuple[Turn, ...] = ()
    answers: tuple[Answer, ...] = ()
    consent: bool | None = None
    silent_streak: int = 0
    barge_ins: int = 0
    outcome: Outcome | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    ending_timer: str | None = None
    started_s: float = 0.0
    ended_s: float | None = None
    do_not_call: bool = False
    recording_discarded: bool = False

    @property
    def question(self) -> Question | None:
        if self.phase != "question" or self.index >= len(self.plan):
            return None
        return self.profile.question(self.plan[self.index])

    def turn(self, turn_id: int) -> Turn | None:
        return next((t for t in self.turns if t.turn_id == turn_id), None)

    def text_of(self, turn_ids: tuple[int, ...]) -> str:
        texts = [t.text for i in turn_ids if (t := self.turn(i)) is not None and t.text]
        return " ".join(texts)


def plan_questions(profile: Profile, candidate: Candidate) -> tuple[str, ...]:
    """The questions this candidate gets: branches decided by resume keywords.

    A rule keyword matches a resume keyword when one contains the other after normalising
    ("远程客服" matches "远程客服经验", "Remote customer service" matches
    "remote customer service")."""
    resume = [compact(k) for k in candidate.resume_keywords if compact(k)]

    def has(keyword: str) -> bool:
        k = compact(keyword)
        return any(k in r or r in k for r in resume)

    plan = []
    for q in profile.questions:
        rule = q.when
        if rule is not None:
            if rule.resume_has_any and not any(has(k) for k in rule.resume_has_any):
                continue
            if any(has(k) for k in rule.resume_has_none):
                continue
        plan.append(q.id)
    return tuple(plan)
