"""What the call driver tells the interview machine (events) and what it asks for (commands).

The driver owns all I/O: it plays prompts, runs the VAD endpointer and ASR, keeps timers on
call time, and feeds the machine one event at a time::

    state = machine.start(profile, candidate, now=wall_clock_at_answer)
    state, commands = machine.step(state, Started(at_s=0.0))
    for each event (PromptDone, BargeIn, TurnEnded, TranscriptReady, Dtmf, TimerFired, HungUp):
        state, commands = machine.step(state, event)
        execute commands in order

Times ``at_s``/``start_s``/``end_s`` are call time (seconds since the call's audio started,
from sample counts), the same clock as the recording, so they double as audio offsets.

Contract details the machine relies on:

* ``Say`` commands queue: play them in order. Send ``PromptDone`` for each one, with
  ``interrupted=True`` if it was cut by ``StopSpeaking`` (barge-in) or never played.
* ``Listen`` sets how the *next* turns are endpointed (hangover, max length); the driver keeps
  its endpointer running all the time, also while prompts play, and reports every
  ``SpeechStarted`` and ``TurnEnded``. Only if the prompt playing has
  ``barge_in_allowed`` and its detector decides the candidate is really talking over the bot
  does it send ``BargeIn``; the machine answers with ``StopSpeaking``.
* The driver transcribes every turn (the report needs all text) and sends
  ``TranscriptReady(final=True)`` when done; ``NeedTranscript`` means the machine is waiting
  for that turn, so transcribe it before others. Partial transcripts may be sent with
  ``final=False``; the machine does not act on them.
* Timer names are unique per start: a ``TimerFired`` for a cancelled timer is ignored, so a
  race between firing and ``CancelTimer`` is harmless.
* After ``Finish`` the machine accepts further ``TranscriptReady`` events (long answers are
  transcribed after the call moved on) and ``PromptDone``/``HungUp``, and only stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Expect = Literal["yes_no", "open", "number", "choice", "free"]
Outcome = Literal["completed", "declined", "callback", "opted_out", "hung_up", "no_input"]
AnswerStatus = Literal["answered", "no_input", "skipped", "unclear"]

# ---- events (driver -> machine) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Started:
    at_s: float = 0.0


@dataclass(frozen=True, slots=True)
class PromptDone:
    prompt_key: str
    interrupted: bool = False
    at_s: float | None = None
    """When playout ended (call time); gives the time to the candidate's first word."""


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    at_s: float
    during_prompt: bool = False


@dataclass(frozen=True, slots=True)
class BargeIn:
    at_s: float


@dataclass(frozen=True, slots=True)
class TurnEnded:
    turn_id: int
    start_s: float
    end_s: float
    speech_s: float
    reason: str = "hangover"
    """hangover, or max_length when the endpointer cut a long turn."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One ASR segment of a turn, in call time (for pauses and evidence timestamps)."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, slots=True)
class TranscriptReady:
    turn_id: int
    text: str
    final: bool = True
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class Dtmf:
    digit: str
    at_s: float


@dataclass(frozen=True, slots=True)
class TimerFired:
    name: str


@dataclass(frozen=True, slots=True)
class HungUp:
    at_s: float


Event = (
    Started | PromptDone | SpeechStarted | BargeIn | TurnEnded | TranscriptReady | Dtmf
    | TimerFired | HungUp
)  # fmt: skip

# ---- commands (machine -> driver) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Say:
    prompt_key: str
    """Stable name: a fixed prompt ("greeting", "closing", ...) or "q:<question id>",
    "q:<id>:follow_up", "q:<id>:retry"."""
    text: str
    language: str
    audio_path: str | None = None
    """A recorded WAV to play instead of synthesising ``text``."""
    barge_in_allowed: bool = True


@dataclass(frozen=True, slots=True)
class StopSpeaking:
    pass


@dataclass(frozen=True, slots=True)
class Listen:
    question_id: str | None
    expect: Expect
    hangover_ms: int
    max_turn_s: float


@dataclass(frozen=True, slots=True)
class NeedTranscript:
    turn_id: int


@dataclass(frozen=True, slots=True)
class StartTimer:
    name: str
    seconds: float


@dataclass(frozen=True, slots=True)
class CancelTimer:
    name: str


@dataclass(frozen=True, slots=True)
class RecordAnswer:
    """A question is done: which turns answer it and what was understood."""

    question_id: str
    turn_ids: tuple[int, ...]
    status: AnswerStatus
    value: str | float | None = None
    """yes/no, the number, or the choice id (None for open answers: scored later)."""
    knocked_out: bool = False


@dataclass(frozen=True, slots=True)
class AddToDoNotCall:
    pass


@dataclass(frozen=True, slots=True)
class DiscardRecording:
    pass


@dataclass(frozen=True, slots=True)
class Hangup:
    pass


@dataclass(frozen=True, slots=True)
class Finish:
    outcome: Outcome
    details: Mapping[str, Any] = field(default_factory=dict)
    """callback_at (ISO 8601) and callback_said for callbacks, knockouts, answered, ..."""


Command = (
    Say | StopSpeaking | Listen | NeedTranscript | StartTimer | CancelTimer | RecordAnswer
    | AddToDoNotCall | DiscardRecording | Hangup | Finish
)  # fmt: skip
