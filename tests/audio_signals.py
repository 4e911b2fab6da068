"""Generated test audio at 8 kHz with known speech/silence spans (fixed seeds, no files).

``voiced`` is a speech-like signal webrtcvad accepts: a glottal-like harmonic series with
vibrato, shaped into ~200 ms syllables with short dips between them (real speech dips between
syllables too, which is what the VAD's noise tracker relies on). The noises are what phone
lines add: white hiss, low rumble, mains hum.
"""

from __future__ import annotations

import numpy as np

from voicebot.speech.audio import FRAME_SAMPLES, RATE, frames, to_pcm


def _db(level_dbfs: float) -> float:
    return float(10 ** (level_dbfs / 20))


def voiced(duration_s: float, *, level_dbfs: float = -20.0, f0: float = 120.0) -> np.ndarray:
    n = round(duration_s * RATE)
    t = np.arange(n) / RATE
    freq = f0 * (1 + 0.06 * np.sin(2 * np.pi * 3.0 * t))
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    x = sum(np.sin(k * phase) / k for k in range(1, int(3400 / f0)))
    syllable = 0.24
    pos = (t % syllable) / syllable
    envelope = np.where(pos < 0.85, np.sin(np.pi * np.clip(pos / 0.85, 0, 1)) ** 0.5, 0.05)
    y = np.asarray(x * envelope, dtype=np.float64)
    rms = np.sqrt(np.mean(y**2)) or 1.0
    return (y / rms * _db(level_dbfs)).astype(np.float32)


def silence(duration_s: float) -> np.ndarray:
    return np.zeros(round(duration_s * RATE), dtype=np.float32)


def white(duration_s: float, level_dbfs: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.normal(0, _db(level_dbfs), round(duration_s * RATE))).astype(np.float32)


def rumble(duration_s: float, level_dbfs: float, seed: int) -> np.ndarray:
    """Low-frequency (brownish) noise: integrated white noise, high-passed at ~20 Hz."""
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.normal(0, 1, round(duration_s * RATE)))
    x -= np.convolve(x, np.ones(400) / 400, mode="same")
    return (x / (np.std(x) or 1.0) * _db(level_dbfs)).astype(np.float32)


def hum(duration_s: float, level_dbfs: float, mains_hz: float = 50.0) -> np.ndarray:
    t = np.arange(round(duration_s * RATE)) / RATE
    x = np.sin(2 * np.pi * mains_hz * t) + 0.5 * np.sin(2 * np.pi * 3 * mains_hz * t)
    return (x / np.std(x) * _db(level_dbfs)).astype(np.float32)


def timeline(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts).astype(np.float32)


def mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    n = min(len(a), len(b))
    return (a[:n] + b[:n]).astype(np.float32)


def phone_frames(x: np.ndarray) -> list[tuple[bytes, float]]:
    """20 ms slin16 frames with their call-time start."""
    return [(f, i * FRAME_SAMPLES / RATE) for i, f in enumerate(frames(to_pcm(x)))]
