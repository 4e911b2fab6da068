"""``voicebot demo``: a small campaign against scripted candidates on the local Asterisk.

Shows the product end to end on one machine: voicebot originates through Asterisk to
pjsua2 softphones that behave like candidates (one answers and talks, one is busy, one
never picks up, one hangs up during the greeting), then prints what happened and where the
recordings and the database are.
"""

from __future__ import annotations

import argparse
import asyncio
from importlib import resources
from pathlib import Path
from typing import Any

from voicebot.call.fixed_prompt import FixedPrompt, FixedPromptConversation
from voicebot.commands.common import settings_from
from voicebot.config import Settings
from voicebot.service import AttemptResult, Service
from voicebot.testing.harness import CandidateProcess
from voicebot.testing.spec import AgentSpec, CandidateSpec, ScriptSpec, hangup, say


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="run a small demo campaign against scripted candidates")
    p.add_argument(
        "--candidate-secret",
        type=Path,
        default=Path(".cache/asterisk/secrets/candidates"),
        help="password of the cand1..candN test endpoints (written by scripts/asterisk)",
    )
    p.set_defaults(func=run)


def _cast(settings: Settings, secret: str, answer: Path) -> AgentSpec:
    return AgentSpec(
        secret=secret,
        out_dir=str(settings.storage.data_dir / "demo-candidates"),
        candidates=(
            CandidateSpec(user="cand1", script=ScriptSpec(steps=(say(answer),))),
            CandidateSpec(user="cand2", script=ScriptSpec(behaviour="busy")),
            CandidateSpec(user="cand3", script=ScriptSpec(behaviour="ignore")),
            CandidateSpec(user="cand4", script=ScriptSpec(steps=(hangup(barge_in_after_s=2.0),))),
        ),
    )


def _row(name: str, result: AttemptResult) -> list[str]:
    call = result.call
    return [
        name,
        result.outcome,
        call.result.outcome if call else "-",
        f"{call.duration_s:.1f}s" if call else "-",
        str(call.recording.path) if call and call.recording else "-",
    ]


def _print_table(rows: list[list[str]]) -> None:
    header = ["candidate", "dial outcome", "call result", "length", "recording"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    # the demo should not keep you waiting 30 s for the candidate who never answers
    settings = settings.model_copy(
        update={"dial": settings.dial.model_copy(update={"ring_timeout_s": 8.0})}
    )
    secret = args.candidate_secret.read_text().strip()
    prompt = FixedPrompt.bundled()
    with resources.as_file(resources.files("voicebot.assets") / "demo" / "answer_en.wav") as wav:
        spec = _cast(settings, secret, wav)

        async def main() -> list[tuple[str, AttemptResult]]:
            async with (
                CandidateProcess(spec),
                Service(settings, lambda info: FixedPromptConversation(prompt)) as svc,
            ):
                await svc.wait_ami()
                names = [c.user for c in spec.candidates]
                tasks = [svc.start_call(n) for n in names]
                return list(zip(names, await asyncio.gather(*tasks), strict=True))

        results = asyncio.run(main())
    print()
    _print_table([_row(n, r) for n, r in results])
    print()
    print(f"database:   {settings.storage.database}")
    print(f"recordings: {settings.storage.recordings}  (stereo: candidate left, voicebot right)")
    answered = sum(1 for _, r in results if r.outcome == "answered")
    print(f"{len(results)} calls, {answered} answered")
    return 0 if all(r.error is None for _, r in results) else 1
