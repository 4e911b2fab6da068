"""The scorer against a recruiter's labels (tests/data/scoring/, see its README).

``train.yaml`` was used to tune the point values and to find the gaps of the behaviour
lexicon; ``heldout.yaml`` was only ever a development check. The target is every held-out
answer within ±10 points; the tests require the mean absolute error and the share within
±10 not to regress below what was measured, and print both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from voicebot.interview.profile import Profile
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.scoring import AnswerText, score_open

DATA = Path(__file__).parent / "data" / "scoring"
EXAMPLES = Path(__file__).parent.parent / "examples"
FIELDS = {"id", "profile", "question", "language", "answer", "expected", "rationale"}


@cache
def profile(name: str) -> Profile:
    return load_profile(EXAMPLES / name)


def labelled(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return rows


def errors(rows: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    out = []
    for r in rows:
        q = profile(r["profile"]).question(r["question"])
        got = score_open(q, AnswerText(r["answer"]), r["language"]).score
        out.append((r["id"], got, float(r["expected"])))
    return out


def summary(name: str, errs: list[tuple[str, float, float]]) -> tuple[float, int]:
    mae = sum(abs(g - e) for _, g, e in errs) / len(errs)
    within = sum(abs(g - e) <= 10 for _, g, e in errs)
    misses = ", ".join(f"{i} {g:g}/{e:g}" for i, g, e in errs if abs(g - e) > 10)
    print(f"\n{name}: MAE {mae:.1f}, {within}/{len(errs)} within ±10; off: {misses or 'none'}")
    return mae, within


def test_the_labelled_set_is_well_formed() -> None:
    rows = labelled("train.yaml") + labelled("heldout.yaml")
    assert len(rows) >= 40
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == FIELDS, r["id"]
        assert 0 <= r["expected"] <= 100
        assert r["rationale"].strip()
        q = profile(r["profile"]).question(r["question"])
        assert q.type == "open"
        assert r["language"] == profile(r["profile"]).language
    langs = {r["language"] for r in rows}
    assert langs == {"zh", "en"}
    spread = sorted(r["expected"] for r in rows)
    assert spread[0] <= 10
    assert spread[-1] >= 90


def test_train_set_fits() -> None:
    """Measured: MAE 6.0, 218 of 259 within ±10 (the t2-*/t3-* answers were written to be
    hard: good behaviour in other words than the rubric's, long answers that say nothing,
    refusals and sarcasm around the right words)."""
    mae, within = summary("train", errors(labelled("train.yaml")))
    assert mae <= 6.3
    assert within >= 0.83 * len(labelled("train.yaml"))


def test_held_out_set_within_ten_points() -> None:
    """Measured: MAE 4.9, 23 of 24 within ±10."""
    rows = labelled("heldout.yaml")
    mae, within = summary("held-out", errors(rows))
    assert mae <= 6.0
    assert within >= 0.9 * len(rows)


def open_rows(name: str) -> list[dict[str, Any]]:
    """A blind set's answers to open questions, with profile paths made local."""
    rows = [dict(r, profile=r["profile"].removeprefix("examples/")) for r in labelled(name)]
    return [r for r in rows if profile(r["profile"]).question(r["question"]).type == "open"]


def test_blind_set_does_not_regress() -> None:
    """Measured blind: MAE 8.4, 45 of 58 open answers within ±10 (README.md); since then
    used for tuning (MAE 4.8, 54 of 58). A regression guard only."""
    rows = open_rows("blind.yaml")
    mae, within = summary("blind (spent)", errors(rows))
    assert len(rows) == 58
    assert mae <= 6.0
    assert within >= 0.85 * len(rows)


def test_second_blind_set_does_not_regress() -> None:
    """Measured once, blind: MAE 9.8, 45 of 54 within ±10 (README.md); then one false red
    flag it showed was fixed (MAE 8.4, 46 of 54). A regression guard only: never tune on it."""
    rows = open_rows("blind2.yaml")
    mae, within = summary("blind2 (spent)", errors(rows))
    assert len(rows) == 54
    assert mae <= 9.0
    assert within >= 0.8 * len(rows)


@pytest.mark.parametrize("name", ["train.yaml", "heldout.yaml"])
def test_order_is_kept_for_clear_cases(name: str) -> None:
    """Whatever the exact numbers, a strong answer (>= 85) beats a weak one (<= 30) to the
    same question."""
    errs = {i: g for i, g, _ in errors(labelled(name))}
    rows = labelled(name)
    for strong in (r for r in rows if r["expected"] >= 85):
        for weak in (
            r for r in rows if r["expected"] <= 30 and r["question"] == strong["question"]
        ):
            assert errs[strong["id"]] > errs[weak["id"]] + 30, (strong["id"], weak["id"])
