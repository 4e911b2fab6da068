"""Voice activity detection and turn endpointing on 8 kHz, 20 ms phone frames.

:class:`WebRtcVad` classifies single frames (webrtcvad, ~4 µs a frame).
:class:`Endpointer` turns frame decisions into turn events: speech starts after ``k`` of the
last ``n`` frames are speech; a turn ends after ``hangover_ms`` of non-speech (set per
question: short for yes/no, longer for open answers), or when it reaches ``max_turn_s``.
It is a pure state machine fed frame by frame: no clocks, no I/O.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

import webrtcvad

from voicebot.speech.audio import FRAME_BYTES, FRAME_MS, RATE, rms_dbfs


class FrameClassifier(Protocol):
    def is_speech(self, frame: bytes) -> bool: ...


class WebRtcVad:
    """webrtcvad with an energy floor: frames quieter than ``floor_dbfs`` are never speech
    (line hiss and comfort noise trip webrtcvad's aggressive modes less with it)."""

    def __init__(self, aggressiveness: int = 2, floor_dbfs: float = -50.0) -> None:
        if not 0 <= aggressiveness <= 3:
            raise ValueError("aggressiveness must be 0..3")
        self._vad = webrtcvad.Vad(aggressiveness)
        self._floor = floor_dbfs

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"frames must be {FRAME_BYTES} bytes (20 ms at 8 kHz)")
        if rms_dbfs(frame) < self._floor:
            return False
        return bool(self._vad.is_speech(frame, RATE))


@dataclass(frozen=True, slots=True)
class SpeechStart:
    at_s: float
    """Call time of the first speech frame of the turn."""


@dataclass(frozen=True, slots=True)
class TurnEnd:
    start_s: float
    end_s: float
    """Call time of the last speech frame's end (before the hangover)."""
    audio: bytes = field(repr=False)
    """The turn's audio from a little before its start to its end (slin16 8 kHz)."""
    reason: str = "hangover"
    """hangover, or max_length when the turn hit max_turn_s."""

    @property
    def speech_s(self) -> float:
        return self.end_s - self.start_s


EndpointEvent = SpeechStart | TurnEnd


@dataclass(slots=True)
class EndpointConfig:
    start_k: int = 3
    start_n: int = 5
    hangover_ms: int = 800
    max_turn_s: float = 60.0
    pre_roll_ms: int = 200
    """Audio kept from before the detected start (onsets are soft)."""


class Endpointer:
    def __init__(self, classifier: FrameClassifier, config: EndpointConfig | None = None) -> None:
        self._vad = classifier
        self.config = config or EndpointConfig()
        self._window: deque[bool] = deque(maxlen=self.config.start_n)
        self._pre: deque[bytes] = deque(maxlen=max(1, self.config.pre_roll_ms // FRAME_MS))
        self._in_turn = False
        self._turn: list[bytes] = []
        self._start_s = 0.0
        self._last_speech_end_s = 0.0
        self._silent_ms = 0

    @property
    def in_turn(self) -> bool:
        return self._in_turn

    def set_hangover(self, ms: int) -> None:
        self.config.hangover_ms = ms

    def reset(self) -> None:
        self._window.clear()
        self._pre.clear()
        self._in_turn = False
        self._turn = []
        self._silent_ms = 0

    def feed(self, frame: bytes, at_s: float) -> list[EndpointEvent]:
        """Classify one 20 ms frame that starts at call time ``at_s``."""
        speech = self._vad.is_speech(frame)
        cfg = self.config
        events: list[EndpointEvent] = []
        if not self._in_turn:
            self._window.append(speech)
            self._pre.append(frame)
            if sum(self._window) >= cfg.start_k:
                # the turn starts at the first speech frame of the window
                first = list(self._window).index(True)
                self._start_s = at_s - (len(self._window) - 1 - first) * FRAME_MS / 1000
                self._in_turn = True
                self._turn = list(self._pre)
                self._silent_ms = 0
                self._last_speech_end_s = at_s + FRAME_MS / 1000
                events.append(SpeechStart(round(self._start_s, 3)))
            return events
        self._turn.append(frame)
        if speech:
            self._silent_ms = 0
            self._last_speech_end_s = at_s + FRAME_MS / 1000
        else:
            self._silent_ms += FRAME_MS
        too_long = at_s + FRAME_MS / 1000 - self._start_s >= cfg.max_turn_s
        if self._silent_ms >= cfg.hangover_ms or too_long:
            keep = len(self._turn) - (self._silent_ms // FRAME_MS)
            audio = b"".join(self._turn[: max(keep, 1)])
            events.append(
                TurnEnd(
                    start_s=round(self._start_s, 3),
                    end_s=round(self._last_speech_end_s, 3),
                    audio=audio,
                    reason="max_length" if too_long and self._silent_ms < cfg.hangover_ms else "hangover",
                )
            )
            self._in_turn = False
            self._turn = []
            self._window.clear()
            self._pre.clear()
        return events
