"""Barge-in: the candidate talks over a prompt, so playout stops and the bot listens.

A pure state machine the call driver feeds frame by frame while a prompt plays (call time from
sample counts, no clocks). Rules, each a knob in :class:`BargeInConfig`:

* nothing counts during the first ``guard_ms`` of a prompt: the line echoes our own onset and
  the candidate's reaction to the previous turn is still dying away;
* a *burst* of speech must add up to ``min_speech_ms`` before it is a barge-in: "mm", "ok",
  "嗯", "对" while the bot talks are 150-350 ms and must not cut the prompt. Gaps up to
  ``max_gap_ms`` inside a burst are bridged (VAD flickers inside words); a longer gap ends
  the burst, which is then reported as a :class:`Backchannel`;
* the :class:`BargeIn` event is returned by the very frame that completes ``min_speech_ms``,
  so playout stops one frame after the detector is sure;
* optionally (``echo_erl_db``), inbound audio only counts when it is louder than what we played
  in the last ``echo_tail_ms`` minus the echo return loss: echo of a loud prompt on a line
  without echo cancelling is then not taken for the candidate.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from voicebot.speech.audio import FRAME_MS, rms_dbfs
from voicebot.speech.vad import FrameClassifier

FRAME_S = FRAME_MS / 1000


@dataclass(frozen=True, slots=True)
class BargeInConfig:
    guard_ms: int = 300
    min_speech_ms: int = 400
    max_gap_ms: int = 100
    echo_erl_db: float | None = None
    echo_tail_ms: int = 200


@dataclass(frozen=True, slots=True)
class BargeIn:
    at_s: float
    """Call time at the end of the frame that made the detector sure."""
    speech_start_s: float
    """Call time where the interrupting speech began (for the endpointer's turn start)."""


@dataclass(frozen=True, slots=True)
class Backchannel:
    start_s: float
    end_s: float


BargeInEvent = BargeIn | Backchannel


class BargeInDetector:
    """Call :meth:`start` when a prompt begins playing, then :meth:`feed` every inbound frame."""

    def __init__(
        self, classifier: FrameClassifier | None = None, config: BargeInConfig | None = None
    ) -> None:
        self._vad = classifier
        self.config = config or BargeInConfig()
        self._prompt_start_s: float | None = None
        self._fired = False
        self._burst_start_s: float | None = None
        self._burst_end_s = 0.0
        self._speech_ms = 0
        self._gap_ms = 0
        self._played: deque[float] = deque(maxlen=max(1, self.config.echo_tail_ms // FRAME_MS))

    @property
    def active(self) -> bool:
        return self._prompt_start_s is not None and not self._fired

    def start(self, at_s: float) -> None:
        """A prompt starts playing at call time ``at_s``."""
        self._prompt_start_s = at_s
        self._fired = False
        self._burst_start_s = None
        self._speech_ms = 0
        self._gap_ms = 0
        self._played.clear()

    def stop(self) -> None:
        """The prompt finished (or was cut): nothing is a barge-in until the next start()."""
        self._prompt_start_s = None

    def feed(self, frame: bytes, at_s: float, played: bytes | None = None) -> list[BargeInEvent]:
        """Classify one inbound 20 ms frame (``played``: the outbound frame of the same tick)."""
        if self._vad is None:
            raise ValueError("this detector has no classifier: use update(speech, at_s)")
        speech = self._vad.is_speech(frame)
        if self.config.echo_erl_db is not None and played is not None:
            self._played.append(rms_dbfs(played))
            if speech and rms_dbfs(frame) < max(self._played) - self.config.echo_erl_db:
                speech = False
        return self.update(speech, at_s)

    def update(self, speech: bool, at_s: float) -> list[BargeInEvent]:
        """The rules, on one frame's speech decision (for drivers that classify once)."""
        start = self._prompt_start_s
        if self._fired or start is None or (at_s - start) * 1000 < self.config.guard_ms - 1e-6:
            return []
        if speech:
            return self._speech(at_s)
        if self._burst_start_s is None:
            return []
        self._gap_ms += FRAME_MS
        if self._gap_ms <= self.config.max_gap_ms:
            return []
        event = Backchannel(round(self._burst_start_s, 3), round(self._burst_end_s, 3))
        self._burst_start_s = None
        self._speech_ms = 0
        self._gap_ms = 0
        return [event]

    def _speech(self, at_s: float) -> list[BargeInEvent]:
        if self._burst_start_s is None:
            self._burst_start_s = at_s
        self._speech_ms += FRAME_MS + self._gap_ms  # a bridged gap belongs to the burst
        self._gap_ms = 0
        self._burst_end_s = at_s + FRAME_S
        if self._speech_ms < self.config.min_speech_ms:
            return []
        self._fired = True
        return [BargeIn(round(at_s + FRAME_S, 3), round(self._burst_start_s, 3))]
