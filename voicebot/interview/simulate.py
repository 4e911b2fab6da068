"""A scripted stand-in for the call driver: runs the machine on a virtual clock, no I/O.

It executes the machine's commands the way the real driver must (see :mod:`events`): Says
queue and each gets a PromptDone, StopSpeaking interrupts everything queued, timers fire only
when told to (``silence()``), turns get transcripts. Tests use it to walk through whole
conversations in a few lines; it also documents the driver's side of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from voicebot.interview import machine
from voicebot.interview.events import (
    BargeIn,
    CancelTimer,
    Command,
    Dtmf,
    Event,
    Finish,
    HungUp,
    NeedTranscript,
    PromptDone,
    RecordAnswer,
    Say,
    SpeechStarted,
    Started,
    StartTimer,
    StopSpeaking,
    TimerFired,
    TranscriptReady,
    TurnEnded,
)
from voicebot.interview.profile import Profile
from voicebot.interview.state import Candidate, State

SECONDS_PER_CHAR = 0.15
"""Virtual playout time of a prompt, per character of its text."""


@dataclass
class Sim:
    profile: Profile
    candidate: Candidate = field(default_factory=Candidate)
    now: datetime = field(default_factory=lambda: datetime(2025, 3, 5, 10, 0))
    t: float = 0.0
    commands: list[Command] = field(default_factory=list)
    queue: list[Say] = field(default_factory=list)
    timers: dict[str, float] = field(default_factory=dict)
    needed: set[int] = field(default_factory=set)
    turn_seq: int = 0
    state: State = field(init=False)

    def __post_init__(self) -> None:
        self.state = machine.start(self.profile, self.candidate, self.now)

    # ---- plumbing -------------------------------------------------------------------

    def send(self, event: Event) -> list[Command]:
        self.state, out = machine.step(self.state, event)
        self.commands.extend(out)
        for c in out:
            if isinstance(c, Say):
                self.queue.append(c)
            elif isinstance(c, StopSpeaking):
                stopped, self.queue = self.queue, []
                for say in stopped:
                    self.send(PromptDone(say.prompt_key, interrupted=True, at_s=self.t))
            elif isinstance(c, StartTimer):
                self.timers[c.name] = c.seconds
            elif isinstance(c, CancelTimer):
                self.timers.pop(c.name, None)
            elif isinstance(c, NeedTranscript):
                self.needed.add(c.turn_id)
        return out

    def play_all(self) -> None:
        """Let every queued prompt play to its end."""
        while self.queue:
            say = self.queue.pop(0)
            self.t += len(say.text) * SECONDS_PER_CHAR
            self.send(PromptDone(say.prompt_key, interrupted=False, at_s=round(self.t, 2)))

    # ---- what the candidate does --------------------------------------------------------

    def start(self) -> None:
        self.send(Started(at_s=0.0))

    def say(self, text: str, speech_s: float | None = None, *, pause_s: float = 0.8,
            barge_in: bool = False, transcribe: bool = True) -> None:  # fmt: skip
        """The candidate says ``text`` after the queued prompts have played, or over them
        (``barge_in``). Prompts the reply causes stay queued until the next action."""
        if not barge_in:
            self.play_all()
        self.t += pause_s
        start = self.t
        self.send(SpeechStarted(round(start, 2), during_prompt=bool(self.queue)))
        if barge_in and self.queue:
            self.send(BargeIn(round(start, 2)))
        if speech_s is None:
            speech_s = max(0.4, len(text) * (0.22 if text.isascii() else 0.25))
        self.t += speech_s
        self.turn_seq += 1
        turn = self.turn_seq
        self.send(TurnEnded(turn, round(start, 2), round(self.t, 2), speech_s))
        if transcribe:
            self.t += 0.3
            self.send(TranscriptReady(turn, text))

    def press(self, digit: str) -> None:
        self.play_all()
        self.send(Dtmf(digit, round(self.t, 2)))

    def silence(self, kind: str = "silence") -> None:
        """Wait until the machine's timer of this kind (silence / transcript) fires."""
        self.play_all()
        name = next(n for n in self.timers if n.startswith(kind + "."))
        self.t += self.timers.pop(name)
        self.send(TimerFired(name))

    def hang_up(self) -> None:
        self.send(HungUp(round(self.t, 2)))

    # ---- what happened --------------------------------------------------------------

    @property
    def said(self) -> list[str]:
        return [c.prompt_key for c in self.commands if isinstance(c, Say)]

    def finished(self) -> Finish | None:
        """Let the last prompts play; the Finish command, if the call has ended."""
        self.play_all()
        return next((c for c in self.commands if isinstance(c, Finish)), None)

    @property
    def answers(self) -> list[RecordAnswer]:
        return [c for c in self.commands if isinstance(c, RecordAnswer)]

    def of(self, kind: type[Command]) -> list[Command]:
        return [c for c in self.commands if isinstance(c, kind)]
