"""Integration fixtures: the REAL Asterisk (scripts/asterisk) and scripted pjsua2 candidates.

The suite starts Asterisk itself when it is not running (idempotent), so `pytest` works on a
machine where scripts/bootstrap has run. Nothing here is mocked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebot.config import Settings, load_settings
from voicebot.testing.spec import AgentSpec, CandidateSpec

from .support import ROOT, SECRETS, asterisk


@pytest.fixture(scope="session")
def asterisk_running() -> None:
    started = asterisk("start")
    if started.returncode != 0:
        pytest.fail(f"scripts/asterisk start failed:\n{started.stderr}")


@pytest.fixture
def settings(asterisk_running: None, tmp_path: Path) -> Settings:
    base = load_settings(ROOT / "voicebot.toml", env={})
    return base.model_copy(
        update={
            "ami": base.ami.model_copy(update={"secret_file": SECRETS / "ami"}),
            "audiosocket": base.audiosocket.model_copy(update={"port": 0}),
            "http": base.http.model_copy(update={"enabled": False}),
            "storage": base.storage.model_copy(update={"data_dir": tmp_path / "var"}),
            "dial": base.dial.model_copy(update={"ring_timeout_s": 6.0}),
        }
    )


@pytest.fixture
def agent_spec(tmp_path: Path):
    secret = (SECRETS / "candidates").read_text().strip()

    def make(*candidates: CandidateSpec, sip_port: int = 0) -> AgentSpec:
        return AgentSpec(
            secret=secret,
            out_dir=str(tmp_path / "candidate"),
            sip_port=sip_port,
            candidates=candidates,
        )

    return make
