"""Voice activity detection and turn endpointing on 8 kHz, 20 ms phone frames.

:class:`WebRtcVad` classifies single frames. webrtcvad alone calls steady line noise, hum and
tones speech (white noise at -30 dBFS: 96 % of frames), so a frame also has to stand
``snr_db`` above the line's noise level (both measured in the speech band, see
:func:`speech_band_dbfs`), tracked as the minimum frame level over the last
``noise_window_s`` (speech always dips between syllables; steady noise never rises above its
own level). A fixed floor keeps near-silence out whatever the estimate says. Measuring
levels in the speech band matters: with the plain RMS, low rumble (-40 dBFS) started false
turns on 12 of 20 generated lines; with the band level, on none.

:class:`Endpointer` turns frame decisions into events, fed frame by frame with call time
(seconds since the call's audio started, from sample counts): no clocks, no I/O.

* :class:`SpeechStart` once ``start_k`` of the last ``start_n`` frames are speech;
* :class:`SegmentEnd` when a pause of ``segment_pause_ms`` inside the turn closes a stretch
  of speech (streaming ASR transcribes it while the candidate goes on talking, or while the
  hangover runs out);
* :class:`TurnEnd` after ``hangover_ms`` of non-speech (set per question: short for yes/no,
  longer for open answers, longer still while the candidate has only just started), or when
  the turn reaches ``max_turn_s``. It carries the whole turn and the *tail*: the audio after
  the last SegmentEnd, the only part left to transcribe.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import webrtcvad

from voicebot.speech.audio import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, RATE, to_float

FRAME_S = FRAME_MS / 1000
_WINDOW = np.hanning(FRAME_SAMPLES).astype(np.float32)
_FREQS = np.fft.rfftfreq(FRAME_SAMPLES, 1 / RATE)
_BAND = (_FREQS >= 250.0) & (_FREQS <= 3800.0)
_BAND_SCALE = 2.0 / (FRAME_SAMPLES**2 * float(np.mean(_WINDOW**2)))


def speech_band_dbfs(frame: bytes) -> float:
    """Level of a 20 ms frame in the 250-3800 Hz band, in dBFS (a full-scale sine: -3).

    Mains hum, handling rumble and DC carry a lot of energy but no speech; measuring only
    the band where phone speech lives keeps them out of the level the gates look at.
    """
    spectrum = np.fft.rfft(to_float(frame) * _WINDOW)
    power = float(np.sum(np.abs(spectrum[_BAND]) ** 2)) * _BAND_SCALE
    return max(-120.0, 10.0 * float(np.log10(power))) if power > 0 else -120.0


class FrameClassifier(Protocol):
    def is_speech(self, frame: bytes) -> bool: ...


class NoiseTracker:
    """Line noise level: the minimum frame level (dBFS) over a sliding window."""

    def __init__(self, window_s: float = 1.5, initial_dbfs: float = -70.0) -> None:
        self._levels: deque[float] = deque(maxlen=max(1, round(window_s / FRAME_S)))
        self._initial = initial_dbfs

    @property
    def level(self) -> float:
        return min(self._levels) if self._levels else self._initial

    def add(self, dbfs: float) -> None:
        self._levels.append(dbfs)


class WebRtcVad:
    """webrtcvad, gated by a fixed floor and by the distance to the tracked line noise."""

    def __init__(
        self,
        aggressiveness: int = 2,
        floor_dbfs: float = -50.0,
        snr_db: float | None = 8.0,
        noise_window_s: float = 1.5,
    ) -> None:
        if not 0 <= aggressiveness <= 3:
            raise ValueError("aggressiveness must be 0..3")
        self._vad = webrtcvad.Vad(aggressiveness)
        self._floor = floor_dbfs
        self._snr = snr_db
        self.noise = NoiseTracker(noise_window_s)

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"frames must be {FRAME_BYTES} bytes (20 ms at 8 kHz)")
        level = speech_band_dbfs(frame)
        self.noise.add(level)  # before reading: a frame that is the quietest is noise itself
        noise = self.noise.level
        if level < self._floor:
            return False
        if self._snr is not None and level < noise + self._snr:
            return False
        return bool(self._vad.is_speech(frame, RATE))


@dataclass(frozen=True, slots=True)
class SpeechStart:
    at_s: float
    """Call time of the first speech frame of the turn."""


@dataclass(frozen=True, slots=True)
class SegmentEnd:
    """A pause closed a stretch of speech inside the turn (the turn goes on)."""

    index: int
    """0 for the turn's first segment."""
    audio_start_s: float
    """Call time of the first sample of ``audio``."""
    speech_end_s: float
    audio: bytes = field(repr=False)
    """From the previous cut to the last speech frame plus ``tail_ms`` (slin16 8 kHz)."""


@dataclass(frozen=True, slots=True)
class TurnEnd:
    start_s: float
    end_s: float
    """Call time of the last speech frame's end (before the hangover)."""
    audio: bytes = field(repr=False)
    """The turn's audio from ``pre_roll_ms`` before its start to its end plus ``tail_ms``."""
    reason: str = "hangover"
    """hangover, or max_length when the turn hit max_turn_s."""
    audio_start_s: float = 0.0
    """Call time of the first sample of ``audio``."""
    segments: int = 0
    """How many SegmentEnd events this turn emitted before its end."""
    tail_start_s: float = 0.0
    tail: bytes = field(default=b"", repr=False)
    """Audio after the last SegmentEnd (all of it when there was none); empty when only
    silence followed that segment."""

    @property
    def speech_s(self) -> float:
        return self.end_s - self.start_s


EndpointEvent = SpeechStart | SegmentEnd | TurnEnd


@dataclass(frozen=True, slots=True)
class EndpointConfig:
    start_k: int = 3
    start_n: int = 5
    hangover_ms: int = 800
    early_hangover_ms: int | None = None
    """Hangover while the turn holds less than ``early_speech_s`` of speech: people pause after
    "well…" or "so…" before the actual answer. None: same as ``hangover_ms``."""
    early_speech_s: float = 2.0
    max_turn_s: float = 60.0
    pre_roll_ms: int = 300
    """Audio kept from before the detected start (onsets are soft; 300 ms decoded slightly
    better than 200 ms in the bench)."""
    tail_ms: int = 200
    """Silence kept after the last speech frame (word endings fade below the VAD)."""
    segment_pause_ms: int | None = 500
    """A pause this long inside a turn closes a segment; None: no SegmentEnd events. Measured
    (bench/asr.py): 300 ms also cuts at commas and loses context (WER 2.5 % -> 6.0 %,
    CER 5.5 % -> 9.2 %); 500 ms cuts between sentences and costs almost nothing (3.0 %,
    6.4 %), while the last segment still starts decoding 300 ms before an 800 ms hangover
    ends."""
    min_segment_s: float = 1.0
    """Shorter stretches wait for more speech instead of being transcribed alone."""
    max_segment_s: float = 15.0
    """A segment this long closes at its next non-speech frame, pause or not."""

    @classmethod
    def yes_no(cls) -> EndpointConfig:
        """A yes/no or consent question: answers are short, the bot should reply fast."""
        return cls(hangover_ms=350, max_turn_s=10.0)

    @classmethod
    def open_answer(cls, max_turn_s: float = 90.0) -> EndpointConfig:
        """An open question: let the candidate think aloud."""
        return cls(hangover_ms=800, early_hangover_ms=1200, max_turn_s=max_turn_s)

    def hangover_for(self, speech_s: float) -> int:
        if self.early_hangover_ms is not None and speech_s < self.early_speech_s:
            return self.early_hangover_ms
        return self.hangover_ms


class Endpointer:
    def __init__(self, classifier: FrameClassifier, config: EndpointConfig | None = None) -> None:
        self._vad = classifier
        self.config = config or EndpointConfig()
        self._window: deque[bool] = deque(maxlen=self.config.start_n)
        self._pre: deque[bytes] = deque(maxlen=max(1, self.config.pre_roll_ms // FRAME_MS))
        self._in_turn = False
        self._turn: list[bytes] = []
        self._turn_audio_start_s = 0.0
        self._start_s = 0.0
        self._last_speech_end_s = 0.0
        self._silent_ms = 0
        self._speech_frames = 0
        self._seg_first = 0
        """Index into ``_turn`` where the open segment starts."""
        self._seg_index = 0
        self._seg_has_speech = False

    @property
    def in_turn(self) -> bool:
        return self._in_turn

    def configure(self, config: EndpointConfig) -> None:
        """Use ``config`` from now on (a new question); a turn in progress keeps its audio."""
        self.config = config
        if self._window.maxlen != config.start_n:
            self._window = deque(self._window, maxlen=config.start_n)

    def set_hangover(self, ms: int) -> None:
        self.config = replace(self.config, hangover_ms=ms)

    def reset(self) -> None:
        self._window.clear()
        self._pre.clear()
        self._in_turn = False
        self._turn = []
        self._silent_ms = 0

    def feed(self, frame: bytes, at_s: float) -> list[EndpointEvent]:
        """Classify one 20 ms frame that starts at call time ``at_s``."""
        speech = self._vad.is_speech(frame)
        if not self._in_turn:
            return self._idle(frame, speech, at_s)
        return self._talking(frame, speech, at_s)

    # ------------------------------------------------------------------------------ states

    def _idle(self, frame: bytes, speech: bool, at_s: float) -> list[EndpointEvent]:
        self._window.append(speech)
        self._pre.append(frame)
        if sum(self._window) < self.config.start_k:
            return []
        # the turn starts at the first speech frame of the window
        first = list(self._window).index(True)
        self._start_s = at_s - (len(self._window) - 1 - first) * FRAME_S
        self._in_turn = True
        self._turn = list(self._pre)
        self._turn_audio_start_s = at_s + FRAME_S - len(self._turn) * FRAME_S
        self._silent_ms = 0
        self._speech_frames = sum(self._window)
        self._last_speech_end_s = at_s + FRAME_S
        self._seg_first = 0
        self._seg_index = 0
        self._seg_has_speech = True
        return [SpeechStart(round(self._start_s, 3))]

    def _talking(self, frame: bytes, speech: bool, at_s: float) -> list[EndpointEvent]:
        cfg = self.config
        self._turn.append(frame)
        if speech:
            self._silent_ms = 0
            self._speech_frames += 1
            self._last_speech_end_s = at_s + FRAME_S
            self._seg_has_speech = True
        else:
            self._silent_ms += FRAME_MS
        end = at_s + FRAME_S
        too_long = end - self._start_s >= cfg.max_turn_s - 1e-9
        hangover = cfg.hangover_for(self._speech_frames * FRAME_S)
        if self._silent_ms >= hangover or too_long:
            return [self._end_turn("hangover" if self._silent_ms >= hangover else "max_length")]
        if not speech and self._segment_due():
            return [self._close_segment()]
        return []

    def _segment_due(self) -> bool:
        cfg = self.config
        if cfg.segment_pause_ms is None or not self._seg_has_speech:
            return False
        seg_s = (len(self._turn) - self._seg_first) * FRAME_S
        if seg_s >= cfg.max_segment_s:
            return True
        return self._silent_ms == cfg.segment_pause_ms and seg_s >= cfg.min_segment_s

    def _speech_stop(self) -> int:
        """Index into ``_turn`` just after the last speech frame plus the kept tail."""
        tail = self.config.tail_ms // FRAME_MS
        return (
            len(self._turn) - self._silent_ms // FRAME_MS + min(tail, self._silent_ms // FRAME_MS)
        )

    def _close_segment(self) -> SegmentEnd:
        stop = self._speech_stop()
        event = SegmentEnd(
            index=self._seg_index,
            audio_start_s=round(self._turn_audio_start_s + self._seg_first * FRAME_S, 3),
            speech_end_s=round(self._last_speech_end_s, 3),
            audio=b"".join(self._turn[self._seg_first : stop]),
        )
        self._seg_index += 1
        self._seg_first = len(self._turn)
        self._seg_has_speech = False
        return event

    def _end_turn(self, reason: str) -> TurnEnd:
        stop = max(self._speech_stop(), 1)
        tail = b"".join(self._turn[self._seg_first : stop]) if self._seg_has_speech else b""
        event = TurnEnd(
            start_s=round(self._start_s, 3),
            end_s=round(self._last_speech_end_s, 3),
            audio=b"".join(self._turn[:stop]),
            reason=reason,
            audio_start_s=round(self._turn_audio_start_s, 3),
            segments=self._seg_index,
            tail_start_s=round(self._turn_audio_start_s + self._seg_first * FRAME_S, 3),
            tail=tail,
        )
        self._in_turn = False
        self._turn = []
        self._window.clear()
        self._pre.clear()
        return event
