"""Scripted candidates from voicebot/assets/demo/answers/manifest.yaml.

A persona is a job profile, a voice, a name and resume keywords, and the answers the person
gives, in order, each after the bot's prompt has ended (rendered to WAV by
scripts/make-demo-answers). Used by the demo, the interview tests and the latency bench.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from voicebot.testing.spec import CandidateSpec, ScriptSpec, say

_ANSWERS = "demo/answers"


@dataclass(frozen=True, slots=True)
class Persona:
    key: str
    profile: str
    """File name of the job profile in examples/."""
    name: str
    resume_keywords: tuple[str, ...]
    answers: tuple[tuple[str, str, Path], ...]
    """(step, text, wav) in the order they are said."""
    expect: dict[str, Any]

    def candidate(self, user: str, *, pause_s: float = 0.4) -> CandidateSpec:
        steps = tuple(say(wav, pause_s=pause_s) for _, _, wav in self.answers)
        return CandidateSpec(
            user=user, script=ScriptSpec(steps=steps, max_call_s=600, max_prompt_s=90)
        )

    def call_info(self) -> dict[str, Any]:
        """Keyword arguments for Service.start_call describing this candidate."""
        return {"candidate_name": self.name, "extra": {"resume_keywords": self.resume_keywords}}

    def text_of(self, step: str) -> str:
        return next(text for s, text, _ in self.answers if s == step)


def answers_dir() -> Path:
    return Path(str(resources.files("voicebot.assets").joinpath(_ANSWERS)))


def load_personas() -> dict[str, Persona]:
    base = answers_dir()
    manifest = yaml.safe_load((base / "manifest.yaml").read_text(encoding="utf-8"))
    personas = {}
    for key, p in manifest.items():
        wavs = sorted((base / key).glob("*.wav"))
        if len(wavs) != len(p["answers"]):
            raise FileNotFoundError(
                f"{base / key}: {len(wavs)} WAVs for {len(p['answers'])} answers "
                "(run scripts/make-demo-answers)"
            )
        answers = tuple(
            (a["step"], a["text"], wav) for a, wav in zip(p["answers"], wavs, strict=True)
        )
        personas[key] = Persona(
            key=key,
            profile=p["profile"],
            name=p["name"],
            resume_keywords=tuple(p.get("resume_keywords") or ()),
            answers=answers,
            expect=p.get("expect", {}),
        )
    return personas
