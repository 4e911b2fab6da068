"""``voicebot demo``: a small interview campaign against scripted candidates.

Shows the product end to end on one machine: voicebot prepares two job profiles (English
customer support, Mandarin home-based customer service), phones seven pjsua2 softphones
through the local Asterisk at once — five scripted people who answer (a strong English and a
strong Mandarin candidate, one who fails knockouts, one who asks to be called back, one who
opts out), one who is busy, one who never picks up — and prints each outcome with its score
and recommendation, then where the reports, recordings and database are.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicebot.commands.common import settings_from
from voicebot.config import Settings
from voicebot.interview.factory import InterviewFactory
from voicebot.service import AttemptResult, Service
from voicebot.store.db import Store
from voicebot.testing.harness import CandidateProcess
from voicebot.testing.personas import load_personas
from voicebot.testing.spec import AgentSpec, Behaviour, CandidateSpec, ScriptSpec

CAST = {
    "cand1": "en_strong",
    "cand2": "zh_strong",
    "cand3": "zh_knockout",
    "cand4": "zh_callback",
    "cand5": "en_opt_out",
}
UNREACHABLE: dict[str, Behaviour] = {"cand6": "busy", "cand7": "ignore"}
LABELS = {"busy": "(always busy)", "ignore": "(never answers)"}


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="run a small interview campaign against scripted candidates")
    p.add_argument(
        "--candidate-secret",
        type=Path,
        default=Path(".cache/asterisk/secrets/candidates"),
        help="password of the cand1..candN test endpoints (written by scripts/asterisk)",
    )
    p.add_argument(
        "--profiles", type=Path, default=Path("examples"), help="folder with the job profiles"
    )
    p.set_defaults(func=run, loads_models=True)


@dataclass(frozen=True, slots=True)
class Row:
    user: str
    who: str
    job: str
    result: AttemptResult
    score: float | None = None
    recommendation: str | None = None
    knocked_out: bool = False
    report: Path | None = None


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    # the demo should not keep you waiting 30 s for the candidate who never answers
    settings = settings.model_copy(
        update={"dial": settings.dial.model_copy(update={"ring_timeout_s": 8.0})}
    )
    secret = args.candidate_secret.read_text().strip()
    rows = asyncio.run(_campaign(settings, secret, args.profiles))
    _print(rows, settings)
    return 0 if all(r.result.error is None for r in rows) else 1


async def _campaign(settings: Settings, secret: str, profiles: Path) -> list[Row]:
    personas = load_personas()
    candidates = [personas[key].candidate(user) for user, key in CAST.items()]
    candidates += [
        CandidateSpec(user=user, script=ScriptSpec(behaviour=behaviour))
        for user, behaviour in UNREACHABLE.items()
    ]
    spec = AgentSpec(
        secret=secret,
        out_dir=str(settings.storage.data_dir / "demo-candidates"),
        candidates=tuple(candidates),
    )
    async with Service(settings, speech=True) as svc:
        print("preparing the job profiles (the first run renders every prompt: ~1-2 min)…")
        factories = {
            name: await InterviewFactory.prepare(
                profiles / name, svc.speech, svc.store, settings.call.zone
            )
            for name in sorted({p.profile for p in personas.values()})
        }
        print(f"calling {len(CAST) + len(UNREACHABLE)} candidates at once…")
        async with CandidateProcess(spec):
            await svc.wait_ami()
            tasks: dict[str, asyncio.Task[AttemptResult]] = {}
            for user, key in CAST.items():
                p = personas[key]
                tasks[user] = svc.start_call(
                    user, conversations=factories[p.profile], **p.call_info()
                )
            any_factory = next(iter(factories.values()))
            for user in UNREACHABLE:
                tasks[user] = svc.start_call(user, conversations=any_factory)
            results = dict(zip(tasks, await asyncio.gather(*tasks.values()), strict=True))
        rows = []
        for user, result in results.items():
            cast_as = CAST.get(user)
            persona = personas[cast_as] if cast_as else None
            job = factories[persona.profile].profile.job_title if persona else "-"
            who = persona.name if persona else LABELS[UNREACHABLE[user]]
            rows.append(await _row(svc.store, settings, user, who=who, job=job, result=result))
    return rows


async def _row(
    store: Store, settings: Settings, user: str, *, who: str, job: str, result: AttemptResult
) -> Row:
    interview = await store.interviews.get(result.attempt_id)
    if interview is None:
        return Row(user, who, job, result)
    path = None
    if interview.report_html:
        path = settings.storage.data_dir / "reports" / f"{result.attempt_id}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_text, interview.report_html, encoding="utf-8")
    return Row(
        user,
        who,
        job,
        result,
        interview.total_score,
        interview.recommendation,
        interview.knocked_out,
        path,
    )


def _print(rows: list[Row], settings: Settings) -> None:
    header = ["phone", "candidate", "job", "dial", "interview", "score", "recommendation"]
    table = [header]
    for r in rows:
        call = r.result.call
        completed = call is not None and call.result.outcome == "completed"
        recommendation = r.recommendation or "-" if completed else "-"
        if completed and r.knocked_out:
            recommendation += " (knockout)"
        table.append(
            [
                r.user,
                r.who,
                r.job,
                r.result.outcome,
                call.result.outcome if call else "-",
                f"{r.score:.0f}" if r.score is not None else "-",
                recommendation,
            ]
        )
    widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
    print()
    for i, row in enumerate(table):
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for r in rows:
        if r.report:
            print(f"report {r.user}: {r.report}")
    print(f"\ndatabase:   {settings.storage.database}")
    print(f"recordings: {settings.storage.recordings}  (stereo: candidate left, voicebot right)")
    print("Recommendations are never final: 'review' and 'reject' always go to a person.")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
