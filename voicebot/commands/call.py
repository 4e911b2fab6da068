"""``voicebot call NUMBER``: place one call now and print what happened.

With ``--profile`` the call is a full interview (speech models load first; the report is
saved next to the database); without it, a line check: a fixed prompt, one answer, goodbye.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from voicebot.call.fixed_prompt import FixedPrompt, FixedPromptConversation
from voicebot.commands.common import settings_from
from voicebot.config import Settings
from voicebot.interview.factory import InterviewFactory
from voicebot.service import AttemptResult, Service


def register(sub: Any) -> None:
    p = sub.add_parser("call", help="place one call now (an interview with --profile)")
    p.add_argument("number", help="what goes into dial.channel's {number}, e.g. cand1")
    p.add_argument("--profile", type=Path, help="job profile YAML: run the interview")
    p.add_argument("--name", help="the candidate's name (for the report)")
    p.add_argument(
        "--keywords", default="", help="resume keywords, comma separated (question branching)"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run, loads_models=True)


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
        data = result.call.result.data
        out["result"] = result.call.result.outcome
        out["duration_s"] = result.call.duration_s
        out["ended_by"] = result.call.ended_by
        out["recording"] = str(result.call.recording.path) if result.call.recording else None
        report = data.get("report")
        if isinstance(report, dict):
            out["total"] = report.get("total")
            out["recommendation"] = (report.get("recommendation") or {}).get("value")
        else:
            out["data"] = data
    if result.error:
        out["error"] = result.error
    return out


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    settings = settings.model_copy(
        update={"http": settings.http.model_copy(update={"enabled": False})}
    )
    result, report_path = asyncio.run(_call(settings, args))
    info = summary(result)
    if report_path is not None:
        info["report"] = str(report_path)
    if args.json:
        print(json.dumps(info, indent=2, default=str, ensure_ascii=False))
    else:
        for key, value in info.items():
            print(f"{key:>14}: {value}")
    return 0 if result.error is None else 1


async def _call(settings: Settings, args: argparse.Namespace) -> tuple[AttemptResult, Path | None]:
    if args.profile is None:
        prompt = FixedPrompt.bundled()
        async with Service(settings, lambda info: FixedPromptConversation(prompt)) as svc:
            await svc.wait_ami()
            return await svc.place_call(args.number), None
    async with Service(settings, speech=True) as svc:
        factory = await InterviewFactory.prepare(
            args.profile, svc.speech, svc.store, settings.call.zone
        )
        await svc.wait_ami()
        keywords = tuple(k.strip() for k in args.keywords.split(",") if k.strip())
        result = await svc.place_call(
            args.number,
            conversations=factory,
            candidate_name=args.name,
            extra={"resume_keywords": keywords},
        )
        interview = await svc.store.interviews.get(result.attempt_id)
    if interview is None or not interview.report_html:
        return result, None
    path = settings.storage.data_dir / "reports" / f"{result.attempt_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_text, interview.report_html, encoding="utf-8")
    return result, path
