"""Turn one piece of model audio into call audio: trim, level, resample, pause.

Every engine goes through :func:`to_call_audio`, so prompts from piper, Kokoro and recorded
files play at the same level with the same pacing. Models leave silence of varying length at
the edges of each run (Kokoro ~0.3 s at each end); it is trimmed and the pause that the
punctuation asks for (:mod:`voicebot.speech.tts_split`) is appended instead.
"""

from __future__ import annotations

import numpy as np

from voicebot.speech.audio import RATE, resample, to_pcm

TARGET_SPEECH_DBFS = -18.0
"""Loudness of the speech parts (RMS over frames within 30 dB of the loudest): the level of a
well-set telephone prompt, the same for every engine and for recorded prompts."""
PEAK_LIMIT = 0.89
"""-1 dBFS: the gain is lowered rather than letting a peak clip."""
TRIM_THRESHOLD = 0.01
"""Samples below -40 dBFS at the edges count as silence."""
TRIM_PAD_S = 0.03


def trim(samples: np.ndarray, rate: int, threshold: float = TRIM_THRESHOLD) -> np.ndarray:
    """Cut leading/trailing near-silence, keeping a short pad so onsets are not clipped."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples[:0]
    pad = int(TRIM_PAD_S * rate)
    return samples[max(0, int(loud[0]) - pad) : int(loud[-1]) + pad + 1]


def level(samples: np.ndarray, rate: int, target_dbfs: float = TARGET_SPEECH_DBFS) -> np.ndarray:
    """Scale so the speech parts have RMS ``target_dbfs``, peaks kept below :data:`PEAK_LIMIT`.

    Peak normalisation would make engines sound unequally loud (piper's speech is peakier than
    Kokoro's); RMS over the active frames ignores pauses, so a short answer and a long one
    come out equally loud.
    """
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak < 1e-6:
        return samples
    frame = max(1, rate // 50)
    usable = samples[: samples.size - samples.size % frame] if samples.size >= frame else samples
    power = np.mean(np.square(usable.reshape(-1, min(frame, usable.size))), axis=1)
    active = power[power >= float(np.max(power)) * 1e-3]  # within 30 dB of the loudest frame
    rms = float(np.sqrt(np.mean(active)))
    gain = min(10 ** (target_dbfs / 20) / rms, PEAK_LIMIT / peak)
    return (samples * gain).astype(np.float32)


def silence(seconds: float) -> bytes:
    """slin16 silence at the call rate, a whole number of samples."""
    return bytes(2 * round(seconds * RATE))


def to_call_audio(samples: np.ndarray, rate: int, pause_s: float = 0.0) -> bytes:
    """Model output (mono float) -> trimmed, levelled 8 kHz slin16, then ``pause_s`` of silence.

    Levelled after resampling: the low-pass filter can push peaks above the input's.
    """
    body = trim(np.asarray(samples, dtype=np.float32).ravel(), rate)
    if not body.size:
        return silence(pause_s)
    return to_pcm(level(resample(body, rate, RATE), RATE)) + silence(pause_s)
