"""Paths and helpers shared by the integration tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ROOT / ".cache" / "asterisk" / "secrets"
ASSETS = ROOT / "voicebot" / "assets" / "foundation"
ANSWER_EN = ROOT / "voicebot" / "assets" / "demo" / "answer_en.wav"


def asterisk(*args: str) -> subprocess.CompletedProcess[str]:
    script = str(ROOT / "scripts" / "asterisk")
    return subprocess.run([script, *args], check=False, capture_output=True, text=True, timeout=300)
