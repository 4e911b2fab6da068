"""``voicebot profile validate|show FILE``: check a job profile, or print it as tables.

``validate`` prints a one-line summary per valid file (exit 0), or every problem as
``FILE:LINE: key.path: message`` on stderr (exit 2) so HR can fix them all in one go.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from voicebot.interview.profile import Profile, Question
from voicebot.interview.profile_loader import check_file, load_profile


def register(sub: Any) -> None:
    p = sub.add_parser("profile", help="validate or show a job profile (YAML)")
    actions = p.add_subparsers(dest="profile_command", required=True, metavar="ACTION")
    v = actions.add_parser("validate", help="check profiles; exit 2 listing every problem")
    v.add_argument("files", nargs="+", type=Path, metavar="FILE")
    v.set_defaults(func=run_validate)
    s = actions.add_parser("show", help="print questions, weights and knockouts as tables")
    s.add_argument("file", type=Path, metavar="FILE")
    s.set_defaults(func=run_show)


def summary(profile: Profile) -> str:
    knockouts = sum(1 for q in profile.questions if q.knockout is not None)
    branches = sum(1 for q in profile.questions if q.when is not None)
    return (
        f"{profile.company} / {profile.job_title} ({profile.language}): "
        f"{len(profile.dimensions)} dimensions, {len(profile.questions)} questions "
        f"({branches} branched), {knockouts} knockouts"
    )


def run_validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        profile, problems = check_file(path)
        if profile is None:
            status = 2
            for problem in problems:
                sys.stderr.write(f"{problem}\n")
        else:
            print(f"{path}: ok - {summary(profile)}")
    return status


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [_row(headers, widths), "  ".join("-" * w for w in widths)]
    lines += [_row(r, widths) for r in rows]
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()


def _knockout(q: Question) -> str:
    ko = q.knockout
    if ko is None:
        return ""
    if ko.answer is not None:
        rule = f"answer={ko.answer}"
    elif ko.choices:
        rule = "choice in " + ",".join(ko.choices)
    else:
        rule = " ".join(
            part for part in (
                f"<{ko.min:g}" if ko.min is not None else "",
                f">{ko.max:g}" if ko.max is not None else "",
            ) if part
        )  # fmt: skip
    return f"{rule} ({ko.reason})" if ko.reason else rule


def _branch(q: Question) -> str:
    if q.when is None:
        return "all"
    if q.when.resume_has_any:
        return "resume has " + "/".join(q.when.resume_has_any[:2])
    return "resume lacks " + "/".join(q.when.resume_has_none[:2])


def _short(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_show(args: argparse.Namespace) -> int:
    profile = load_profile(args.file)
    lang = profile.language
    print(summary(profile))
    s = profile.scoring
    print(f"advance at {s.advance_at}, review at {s.review_at}; below: reject pending review\n")
    dims = [[d.id, d.name, str(d.weight)] for d in profile.dimensions]
    print(_table(["dimension", "name", "weight"], dims), end="\n\n")
    rows = []
    for i, q in enumerate(profile.questions, 1):
        feeds = ", ".join(f"{d} {w:g}" for d, w in q.dimensions.items()) or "-"
        rows.append([str(i), q.id, q.type, _short(q.prompt.text(lang) or ""), feeds,
                     _branch(q), _knockout(q) or "-"])  # fmt: skip
    headers = ["#", "question", "type", "prompt", "feeds", "asked", "knockout"]
    print(_table(headers, rows))
    return 0
