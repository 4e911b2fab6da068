"""Framing, levels, resampling, WAV input and the simulated phone line."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voicebot.errors import InputError
from voicebot.speech import audio
from voicebot.speech.line_sim import (
    active_level_dbfs,
    band_pass,
    mulaw_decode,
    mulaw_encode,
    phone_channel,
)


def tone(freq: float, seconds: float, rate: int, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write(path: Path, data: bytes, rate: int, width: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(data)
    return path


# ---------------------------------------------------------------------------------- framing


@pytest.mark.parametrize(
    ("n_bytes", "n_frames", "last_pad"),
    [(0, 0, 0), (320, 1, 0), (321, 2, 319), (640, 2, 0), (1000, 4, 280)],
)
def test_frames_are_whole_and_padded_with_silence(
    n_bytes: int, n_frames: int, last_pad: int
) -> None:
    pcm = bytes(range(256)) * 4
    out = audio.frames(pcm[:n_bytes])
    assert len(out) == n_frames
    assert all(len(f) == audio.FRAME_BYTES for f in out)
    assert b"".join(out)[:n_bytes] == pcm[:n_bytes]
    if n_frames:
        assert out[-1][audio.FRAME_BYTES - last_pad :] == bytes(last_pad)


def test_frame_constants_match_the_call_format() -> None:
    assert (audio.RATE, audio.FRAME_MS, audio.FRAME_SAMPLES, audio.FRAME_BYTES) == (
        8000,
        20,
        160,
        320,
    )


def test_pcm_float_round_trip_and_clipping() -> None:
    x = np.array([0.0, 0.5, -0.5, 0.999, -1.0], dtype=np.float32)
    back = audio.to_float(audio.to_pcm(x))
    assert np.allclose(back, x, atol=1 / 32768 + 1e-6)
    clipped = audio.to_float(audio.to_pcm(np.array([3.0, -3.0], dtype=np.float32)))
    assert clipped[0] == pytest.approx(32767 / 32768)
    assert clipped[1] == -1.0


@pytest.mark.parametrize(("amp", "expected"), [(1.0, -3.01), (0.5, -9.03), (0.01, -43.01)])
def test_rms_dbfs_of_a_sine(amp: float, expected: float) -> None:
    pcm = audio.to_pcm(tone(1000, 0.1, 8000, amp))
    assert audio.rms_dbfs(pcm) == pytest.approx(expected, abs=0.05)


def test_rms_dbfs_of_silence_and_nothing() -> None:
    assert audio.rms_dbfs(bytes(320)) == -120.0
    assert audio.rms_dbfs(b"") == -120.0


def test_duration_from_sample_count() -> None:
    assert audio.duration_s(bytes(16000)) == 1.0
    assert audio.duration_s(bytes(32000), rate=16000) == 1.0


# ------------------------------------------------------------------------------- resampling


@pytest.mark.parametrize(
    ("rate_in", "rate_out"), [(8000, 16000), (16000, 8000), (44100, 8000), (22050, 8000)]
)
def test_resample_keeps_length_ratio_and_pitch(rate_in: int, rate_out: int) -> None:
    x = tone(440, 1.0, rate_in)
    y = audio.resample(x, rate_in, rate_out)
    assert y.dtype == np.float32
    assert abs(len(y) - rate_out) <= 1
    spectrum = np.abs(np.fft.rfft(y))
    peak_hz = np.argmax(spectrum) * rate_out / len(y)
    assert peak_hz == pytest.approx(440, abs=2)
    # away from the edges the waveform is the same tone, at the same level
    mid = slice(rate_out // 10, -rate_out // 10)
    assert np.allclose(y[mid], tone(440, 1.0, rate_out)[: len(y)][mid], atol=0.01)


def test_resample_removes_what_the_new_rate_cannot_carry() -> None:
    y = audio.resample(tone(6000, 1.0, 16000), 16000, 8000)  # above 4 kHz Nyquist
    assert float(np.sqrt(np.mean(y**2))) < 0.005


def test_resample_same_rate_is_identity() -> None:
    x = tone(300, 0.1, 8000)
    assert np.array_equal(audio.resample(x, 8000, 8000), x)


# ------------------------------------------------------------------------------- WAV input


@pytest.mark.parametrize(("width", "channels"), [(1, 1), (2, 1), (2, 2), (4, 1)])
def test_read_wav_any_pcm_width_to_mono_float(tmp_path: Path, width: int, channels: int) -> None:
    x = tone(500, 0.2, 8000, 0.5)
    if width == 1:
        raw = (np.round(x * 128) + 128).astype(np.uint8)
    elif width == 2:
        raw = np.round(x * 32767).astype("<i2")
    else:
        raw = np.round(x * 2147483647).astype("<i4")
    data = np.repeat(raw, channels) if channels > 1 else raw
    path = write(tmp_path / "a.wav", data.tobytes(), 8000, width, channels)
    y, rate = audio.read_wav(path)
    assert rate == 8000
    assert len(y) == len(x)
    assert np.allclose(y, x, atol=1.5 / 128 if width == 1 else 1e-3)


def test_read_wav_as_phone_resamples_to_8k(tmp_path: Path) -> None:
    x = tone(1000, 0.5, 44100)
    path = write(tmp_path / "cd.wav", np.round(x * 32767).astype("<i2").tobytes(), 44100, 2, 1)
    pcm = audio.read_wav_as_phone(path)
    assert len(pcm) == 2 * 4000
    assert audio.rms_dbfs(pcm[800:-800]) == pytest.approx(-9.03, abs=0.1)


def test_read_wav_names_the_file_when_it_is_not_a_wav(tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("hello")
    with pytest.raises(InputError, match=r"notes\.wav"):
        audio.read_wav(bad)
    with pytest.raises(InputError, match=r"missing\.wav"):
        audio.read_wav(tmp_path / "missing.wav")


def test_write_then_read_is_lossless(tmp_path: Path) -> None:
    pcm = audio.to_pcm(tone(700, 0.3, 8000))
    audio.write_wav(tmp_path / "sub" / "x.wav", pcm)
    y, rate = audio.read_wav(tmp_path / "sub" / "x.wav")
    assert rate == 8000
    assert audio.to_pcm(y) == pcm


# ------------------------------------------------------------------------------ phone line


@pytest.mark.parametrize(
    ("linear", "code"),
    [(0, 0xFF), (-1, 0x7F), (32124, 0x80), (-32124, 0x00), (32767, 0x80), (8, 0xFE), (-8, 0x7E)],
)
def test_mulaw_known_codes(linear: int, code: int) -> None:
    assert int(mulaw_encode(np.array([linear], dtype=np.int16))[0]) == code


def test_mulaw_round_trip_error_is_within_its_quantisation_step() -> None:
    x = np.arange(-32768, 32768, 7, dtype=np.int16)
    y = mulaw_decode(mulaw_encode(x)).astype(np.int32)
    err = np.abs(y - x.astype(np.int32))
    # G.711 steps grow with the magnitude: 2 near zero ... 1024 at the top (half a step max)
    assert np.all(err <= np.maximum(4, np.abs(x.astype(np.int32)) // 16 + 8))
    # decoding every code and re-encoding it gives the code back (except the two zeros)
    codes = np.arange(256, dtype=np.uint8)
    again = mulaw_encode(mulaw_decode(codes))
    assert np.sum(again != codes) <= 1


@pytest.mark.parametrize(
    ("freq", "passed"), [(100, False), (180, False), (1000, True), (3000, True), (3800, False)]
)
def test_band_pass_is_the_telephone_band(freq: float, passed: bool) -> None:
    x = tone(freq, 1.0, 8000)
    y = band_pass(x)
    gain = float(np.sqrt(np.mean(y**2)) / np.sqrt(np.mean(x**2)))
    assert (gain > 0.9) if passed else (gain < 0.2)


def test_phone_channel_is_levelled_noisy_and_deterministic() -> None:
    x = np.concatenate([np.zeros(4000, np.float32), tone(800, 1.0, 8000, 0.05)])
    a = phone_channel(x, seed=7)
    assert a == phone_channel(x, seed=7)
    assert a != phone_channel(x, seed=8)
    y = audio.to_float(a)
    assert active_level_dbfs(y[4000:]) == pytest.approx(-22.0, abs=0.5)
    assert audio.rms_dbfs(a[:6000]) == pytest.approx(-55.0, abs=2.0)  # the line noise
    with pytest.raises(ValueError, match="8 kHz"):
        phone_channel(x, rate=16000)
