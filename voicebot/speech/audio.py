"""Phone audio helpers: the call format is signed 16-bit little-endian mono at 8 kHz,
in 20 ms frames of 160 samples (320 bytes).
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import soxr

from voicebot.errors import InputError

RATE = 8000
FRAME_MS = 20
FRAME_SAMPLES = RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2


def to_float(pcm: bytes) -> np.ndarray:
    """slin16 bytes -> float32 in [-1, 1]."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def to_pcm(samples: np.ndarray) -> bytes:
    """float in [-1, 1] -> slin16 bytes (rounded, clipped); the exact inverse of to_float."""
    scaled = np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32768.0), -32768, 32767)
    return bytes(scaled.astype("<i2").tobytes())


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """High-quality resampling (soxr) of a mono float signal."""
    if rate_in == rate_out:
        return samples.astype(np.float32, copy=False)
    return np.asarray(soxr.resample(samples, rate_in, rate_out, quality="HQ"), dtype=np.float32)


def frames(pcm: bytes, frame_bytes: int = FRAME_BYTES) -> list[bytes]:
    """Split into whole frames, padding the last one with silence."""
    rest = len(pcm) % frame_bytes
    if rest:
        pcm = pcm + bytes(frame_bytes - rest)
    return [pcm[i : i + frame_bytes] for i in range(0, len(pcm), frame_bytes)]


def rms_dbfs(pcm: bytes) -> float:
    """Level of a chunk in dBFS (-inf for digital silence, floored at -120)."""
    x = to_float(pcm)
    if x.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(x * x)))
    return max(-120.0, 20.0 * float(np.log10(rms))) if rms > 0 else -120.0


def duration_s(pcm: bytes, rate: int = RATE) -> float:
    return len(pcm) / 2 / rate


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a PCM WAV as mono float32 (channels averaged) and its sample rate."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (OSError, wave.Error, EOFError) as exc:
        raise InputError(f"{path}: not a readable PCM WAV file ({exc})") from exc
    if width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    else:
        raise InputError(f"{path}: unsupported sample width {width * 8} bits")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return data, rate


def read_wav_as_phone(path: Path) -> bytes:
    """Any PCM WAV -> 8 kHz mono slin16 bytes, as a call would carry it."""
    data, rate = read_wav(path)
    return to_pcm(resample(data, rate, RATE))


def write_wav(path: Path, pcm: bytes, rate: int = RATE, channels: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
