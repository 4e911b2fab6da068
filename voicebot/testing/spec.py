"""The scripted candidate's spec: who registers, how each answers, what each says.

Kept free of pjsua2 so the harness (and tests that never place a call) can build specs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Behaviour = Literal["answer", "busy", "reject", "ignore"]


class Step(BaseModel):
    """One thing the candidate does, by default after the bot's prompt has ended."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["say", "dtmf", "silence", "hangup"]
    wav: str | None = None
    """say: an 8 kHz mono 16-bit WAV."""
    digits: str = ""
    seconds: float = 0.0
    wait_prompt: bool = True
    """Wait for the bot to speak and fall quiet before doing this step."""
    barge_in_after_s: float | None = None
    """Instead: start this many seconds after the bot STARTS speaking (interrupt it)."""
    pause_s: float = 0.0
    """Extra think time after the prompt ends."""

    @model_validator(mode="after")
    def _complete(self) -> Step:
        if self.kind == "say" and not self.wav:
            raise ValueError("a 'say' step needs wav")
        if self.kind == "dtmf" and not self.digits:
            raise ValueError("a 'dtmf' step needs digits")
        return self


class ScriptSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    behaviour: Behaviour = "answer"
    ring_s: float = 0.3
    steps: tuple[Step, ...] = ()
    hangup_at_end: bool = False
    """After the last step: wait for one more prompt, then hang up (else wait for the bot)."""
    level_threshold: int = 4
    """pjmedia rx level (0..255) above which the candidate hears the bot speaking."""
    speech_ms: int = 60
    quiet_ms: int = 900
    max_prompt_wait_s: float = 30.0
    max_prompt_s: float = 60.0
    max_call_s: float = 300.0


class CandidateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str
    registers: bool = True
    default: bool = False
    """The account that takes calls addressed to no registered user (a static peer)."""
    script: ScriptSpec = ScriptSpec()


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    registrar: str = "127.0.0.1:5060"
    secret: str = ""
    sip_port: int = Field(0, ge=0, le=65535)
    """Local SIP port; 0 picks a free one (static peers need a fixed one, e.g. 5080)."""
    out_dir: str
    candidates: tuple[CandidateSpec, ...] = Field(min_length=1)


def load_spec(path: Path) -> AgentSpec:
    return AgentSpec.model_validate(json.loads(path.read_text()))


def say(wav: str | Path, **options: object) -> Step:
    return Step(kind="say", wav=str(wav), **options)


def dtmf(digits: str, **options: object) -> Step:
    return Step(kind="dtmf", digits=digits, **options)


def silence(seconds: float, **options: object) -> Step:
    return Step(kind="silence", seconds=seconds, **options)


def hangup(**options: object) -> Step:
    return Step(kind="hangup", **options)
