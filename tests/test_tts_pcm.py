"""Model audio -> call audio: trim, level, resample, pauses; and the Kokoro asset checks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from voicebot.errors import SpeechError
from voicebot.speech import kokoro_assets
from voicebot.speech.audio import rms_dbfs, to_float
from voicebot.speech.tts_kokoro import _fit
from voicebot.speech.tts_pcm import PEAK_LIMIT, level, silence, to_call_audio, trim

REPO = Path(__file__).resolve().parent.parent


def tone(seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_trim_keeps_a_short_pad() -> None:
    rate = 24000
    x = np.concatenate([np.zeros(rate), tone(1.0, rate), np.zeros(rate)])
    y = trim(x, rate)
    assert 1.0 < y.size / rate < 1.07
    assert trim(np.zeros(100, dtype=np.float32), rate).size == 0


@pytest.mark.parametrize("amplitude", [0.01, 0.1, 0.9])
def test_level_makes_loudness_equal(amplitude: float) -> None:
    y = level(tone(1.0, 8000, amplitude), 8000)
    rms_db = 20 * np.log10(np.sqrt(np.mean(y * y)))
    assert rms_db == pytest.approx(-18.0, abs=0.2)
    assert np.max(np.abs(y)) <= PEAK_LIMIT + 1e-6


def test_level_ignores_pauses_and_limits_peaks() -> None:
    rate = 8000
    with_pause = np.concatenate([tone(0.5, rate, 0.2), np.zeros(rate * 2, dtype=np.float32)])
    y = level(with_pause, rate)
    assert 20 * np.log10(np.sqrt(np.mean(y[: rate // 2] ** 2))) == pytest.approx(-18.0, abs=0.3)
    spiky = tone(1.0, rate, 0.01)
    spiky[100] = 1.0  # one click: the gain stops at the peak limit
    assert np.max(np.abs(level(spiky, rate))) == pytest.approx(PEAK_LIMIT, rel=1e-3)
    assert not level(np.zeros(10, dtype=np.float32), rate).any()


def test_to_call_audio_is_8khz_with_the_pause() -> None:
    pcm = to_call_audio(tone(1.0, 24000), 24000, pause_s=0.25)
    assert len(pcm) % 2 == 0
    body, pause = pcm[: -len(silence(0.25))], pcm[-len(silence(0.25)) :]
    assert len(pause) == 4000
    assert not any(pause)
    assert 0.99 < len(body) / 2 / 8000 < 1.07
    assert rms_dbfs(body) == pytest.approx(-18.0, abs=0.5)
    assert np.max(np.abs(to_float(body))) <= PEAK_LIMIT + 1e-3


def test_fit_cuts_long_inputs_at_spaces() -> None:
    space = 16
    ids = ([43, 44, 45, space] * 200)[:700]
    parts = _fit(ids, space)
    assert [i for p in parts for i in p] == ids
    assert all(len(p) <= 510 for p in parts)
    assert parts[1][0] == space
    assert _fit([1, 2], space) == [[1, 2]]
    assert _fit([], space) == [[]]


def test_script_pins_match_the_module() -> None:
    script = (REPO / "scripts" / "fetch-kokoro-voices").read_text()
    pins = dict(re.findall(r"\[(\w+)\]=([0-9a-f]{64})", script))
    assert pins == kokoro_assets.VOICE_SHA256
    assert f"package={kokoro_assets.KOKORO_JS}" in script


def test_missing_voice_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match=r"scripts/fetch-kokoro-voices .*kokoro-voices"):
        kokoro_assets.load_voice(tmp_path, "zf_xiaoyi")


def test_corrupt_voice_is_refused(tmp_path: Path) -> None:
    folder = kokoro_assets.voices_dir(tmp_path)
    folder.mkdir()
    (folder / "zf_xiaoyi.bin").write_bytes(bytes(256 * 4 * 510))
    with pytest.raises(SpeechError, match="checksum mismatch"):
        kokoro_assets.load_voice(tmp_path, "zf_xiaoyi")
    with pytest.raises(SpeechError, match="not one of"):
        kokoro_assets.load_voice(tmp_path, "af_heart")
