"""``voicebot say`` end to end in a subprocess (the real entry point, no models needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np

from voicebot.commands.say import choose_voice
from voicebot.config import Settings


def voicebot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VOICEBOT_SPEECH__PROMPT_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "voicebot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_say_renders_a_recorded_prompt_as_the_call_plays_it(tmp_path: Path) -> None:
    source = tmp_path / "hello.wav"
    t = np.arange(44100) / 44100
    with wave.open(str(source), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        stereo = np.repeat((0.3 * np.sin(2 * np.pi * 300 * t))[:, None], 2, axis=1)
        w.writeframes((stereo * 32767).astype("<i2").tobytes())
    out = tmp_path / "out.wav"
    done = voicebot(
        "say", "hello.wav", "-o", str(out), "--voice", "recorded:", "--json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["voice"] == "recorded:"
    assert abs(info["duration_s"] - 1.0) < 0.07
    with wave.open(str(out), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)


def test_say_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    done = voicebot(
        "say", "empty.wav", "-o", str(tmp_path / "o.wav"), "--voice", "recorded:", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "empty.wav: recorded prompt not a RIFF WAV" in done.stderr
    assert "Traceback" not in done.stderr
    done = voicebot(
        "say", "hi", "-o", str(tmp_path / "o.wav"), "--voice", "zf_xiaoyi", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "expected '<engine>:<voice>'" in done.stderr


def test_default_voice_follows_language_or_script() -> None:
    settings = Settings()
    assert choose_voice(settings, "你好", None, None) == settings.speech.voice_zh
    assert choose_voice(settings, "hello", None, None) == settings.speech.voice_en
    assert choose_voice(settings, "hello", None, "zh") == settings.speech.voice_zh
    assert choose_voice(settings, "你好", "piper:x", "zh") == "piper:x"
