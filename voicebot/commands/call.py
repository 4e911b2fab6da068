"""``voicebot call NUMBER``: place one call for trying things out and print what happened."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from voicebot.call.fixed_prompt import FixedPrompt, FixedPromptConversation
from voicebot.commands.common import settings_from
from voicebot.service import AttemptResult, Service


def register(sub: Any) -> None:
    p = sub.add_parser("call", help="place one call now and print the result")
    p.add_argument("number", help="what goes into dial.channel's {number}, e.g. cand1")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def summary(result: AttemptResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "attempt_id": str(result.attempt_id),
        "number": result.number,
        "outcome": result.outcome,
    }
    if result.dial is not None:
        out["cause"] = result.dial.cause
        out["ring_s"] = result.dial.ring_s
    if result.call is not None:
        out["result"] = result.call.result.outcome
        out["duration_s"] = result.call.duration_s
        out["ended_by"] = result.call.ended_by
        out["recording"] = str(result.call.recording.path) if result.call.recording else None
        out["data"] = result.call.result.data
    if result.error:
        out["error"] = result.error
    return out


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    script = FixedPrompt.bundled()

    async def main() -> AttemptResult:
        settings_http_off = settings.model_copy(
            update={"http": settings.http.model_copy(update={"enabled": False})}
        )
        async with Service(settings_http_off, lambda info: FixedPromptConversation(script)) as svc:
            await svc.wait_ami()
            return await svc.place_call(args.number)

    result = asyncio.run(main())
    info = summary(result)
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        for key, value in info.items():
            print(f"{key:>12}: {value}")
    return 0 if result.error is None else 1
