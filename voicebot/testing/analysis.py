"""Measurements on recordings, shared by the integration tests, the demo and the load test."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FRAME_S = 0.020


@dataclass(frozen=True, slots=True)
class Voiced:
    duration_s: float
    voiced_s: float
    """Seconds in 20 ms frames louder than the threshold."""
    first_s: float | None
    last_s: float | None
    peak_dbfs: float


def voiced(path: Path, channel: int | None = None, threshold_dbfs: float = -40.0) -> Voiced:
    """How much of a WAV (one channel of it) carries signal, and where it starts and ends."""
    with wave.open(str(path)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
    if channels > 1:
        data = data.reshape(-1, channels)[:, channel or 0]
    n = int(rate * FRAME_S)
    frames = data[: len(data) // n * n].reshape(-1, n) if len(data) >= n else np.zeros((0, n))
    rms = np.sqrt(np.mean(frames**2, axis=1)) if len(frames) else np.zeros(0)
    loud = np.flatnonzero(20 * np.log10(np.maximum(rms, 1e-9)) > threshold_dbfs)
    peak = float(np.max(np.abs(data))) if len(data) else 0.0
    return Voiced(
        duration_s=round(len(data) / rate, 3),
        voiced_s=round(len(loud) * FRAME_S, 3),
        first_s=round(loud[0] * FRAME_S, 3) if len(loud) else None,
        last_s=round((loud[-1] + 1) * FRAME_S, 3) if len(loud) else None,
        peak_dbfs=round(20 * float(np.log10(max(peak, 1e-9))), 1),
    )
