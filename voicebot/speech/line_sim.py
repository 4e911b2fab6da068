"""A simulated telephone line, for building test audio that sounds like a real call.

What a PSTN/SIP call does to a voice, in order: the handset and network band-limit it to
300-3400 Hz, the line adds a little noise, and G.711 μ-law (the codec of most trunks)
quantises every sample to 8 bits. Deterministic for a given seed, so a test set generated
twice is byte-identical. Pure numpy (``audioop`` is deprecated and gone in Python 3.13).
"""

from __future__ import annotations

import numpy as np

from voicebot.speech.audio import RATE

_BIAS = 0x84
_CLIP = 32635


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """int16 samples -> G.711 μ-law bytes (uint8), as ITU-T G.711 specifies."""
    x = samples.astype(np.int32)
    sign = (x < 0).astype(np.int32)
    mag = np.minimum(np.abs(x), _CLIP) + _BIAS
    exponent = np.floor(np.log2(mag)).astype(np.int32) - 7
    mantissa = (mag >> (exponent + 3)) & 0x0F
    code: np.ndarray = ~((sign << 7) | (exponent << 4) | mantissa) & 0xFF
    return code.astype(np.uint8)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    """G.711 μ-law bytes -> int16 samples."""
    c = (~codes.astype(np.int32)) & 0xFF
    exponent = (c >> 4) & 0x07
    mantissa = c & 0x0F
    mag = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    return np.where(c & 0x80, -mag, mag).astype(np.int16)


def band_pass(
    x: np.ndarray, rate: int = RATE, low: float = 300.0, high: float = 3400.0
) -> np.ndarray:
    """Zero-phase band-pass with 100 Hz / 200 Hz raised-cosine skirts (FFT mask)."""
    n = len(x)
    if n == 0:
        return x.astype(np.float32)
    spectrum = np.fft.rfft(x.astype(np.float64))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    mask = np.ones_like(freqs)
    lo0, hi1 = low - 100.0, high + 200.0
    mask[freqs <= lo0] = 0.0
    rise = (freqs > lo0) & (freqs < low)
    mask[rise] = 0.5 - 0.5 * np.cos(np.pi * (freqs[rise] - lo0) / (low - lo0))
    fall = (freqs > high) & (freqs < hi1)
    mask[fall] = 0.5 + 0.5 * np.cos(np.pi * (freqs[fall] - high) / (hi1 - high))
    mask[freqs >= hi1] = 0.0
    return np.fft.irfft(spectrum * mask, n).astype(np.float32)


def active_level_dbfs(x: np.ndarray, rate: int = RATE, gate_db: float = 30.0) -> float:
    """RMS level of the 20 ms frames within ``gate_db`` of the loudest frame (speech level)."""
    hop = rate // 50
    frames = x[: len(x) // hop * hop].reshape(-1, hop) if len(x) >= hop else x.reshape(1, -1)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-12
    db = 20 * np.log10(rms)
    active = rms[db >= db.max() - gate_db]
    return float(20 * np.log10(np.sqrt(np.mean(active**2))))


def phone_channel(
    x: np.ndarray,
    *,
    rate: int = RATE,
    level_dbfs: float = -22.0,
    noise_dbfs: float = -55.0,
    seed: int = 0,
) -> bytes:
    """8 kHz float speech -> what arrives over a μ-law phone line (slin16 bytes).

    ``level_dbfs`` is the active speech level after the line (a typical call sits at
    -26..-18 dBFS); ``noise_dbfs`` the RMS of the added white line noise.
    """
    if rate != RATE:
        raise ValueError("phone_channel works on 8 kHz audio; resample first")
    y = band_pass(x, rate)
    if np.any(y):
        y = y * 10 ** ((level_dbfs - active_level_dbfs(y, rate)) / 20)
    rng = np.random.default_rng(seed)
    y = y + rng.normal(0.0, 10 ** (noise_dbfs / 20), len(y))
    pcm = np.clip(np.round(y * 32767.0), -32768, 32767).astype(np.int16)
    return mulaw_decode(mulaw_encode(pcm)).astype("<i2").tobytes()
