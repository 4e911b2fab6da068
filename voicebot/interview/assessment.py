"""From question scores to dimension scores, a weighted total and a recommendation.

Each dimension score is a sum of contributions that add up exactly: every question feeding
the dimension carries its share (its contribution weight over the dimension's total), and
the profile's ``speech_dimension`` gets ``speech_weight`` percent from speech fluency.

The recommendation is advice to a recruiter, never a decision. A knockout or a low total
yields ``reject`` with ``requires_human_review: true``: a person must confirm it before the
candidate is turned down (PIPL art. 24 and GDPR art. 22 give candidates the right not to be
subject to decisions made solely by automated means). ``automated_final_decision`` is always
false in the data so that no consumer can mistake the recommendation for a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from voicebot.interview.profile import Profile
from voicebot.interview.scoring import Evidence, QuestionScore

Recommendation = Literal["advance", "review", "reject"]


@dataclass(frozen=True, slots=True)
class Contribution:
    source: str
    """A question id, or "speech" for fluency."""
    share: float
    """Fraction of the dimension score this source carries (shares add up to 1)."""
    score: float
    points: float
    """share * score: the points it gave the dimension."""
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class DimensionScore:
    id: str
    name: str
    weight: int
    score: float | None
    """None when no question feeding it was asked (e.g. the call ended early)."""
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, slots=True)
class KnockoutFlag:
    question_id: str
    value: str | float | None
    reason: str
    status: Literal["knocked_out", "unclear"]


@dataclass(frozen=True, slots=True)
class Assessment:
    dimensions: tuple[DimensionScore, ...]
    total: float | None
    knockouts: tuple[KnockoutFlag, ...]
    recommendation: Recommendation
    requires_human_review: bool
    reasons: tuple[str, ...]
    complete: bool


def dimension_scores(
    profile: Profile,
    scores: Mapping[str, QuestionScore],
    fluency: tuple[float, tuple[Evidence, ...]] | None = None,
) -> tuple[DimensionScore, ...]:
    """Score every dimension from the questions that were asked (keys of ``scores``)."""
    out = []
    for d in profile.dimensions:
        feeding = [
            (q.id, q.dimensions[d.id])
            for q in profile.questions
            if q.id in scores and q.dimensions.get(d.id, 0) > 0
        ]
        total_weight = sum(w for _, w in feeding)
        if not feeding or total_weight <= 0:
            out.append(DimensionScore(d.id, d.name, d.weight, None, ()))
            continue
        speech_share = 0.0
        if fluency is not None and profile.scoring.speech_dimension == d.id:
            speech_share = profile.scoring.speech_weight / 100
        parts = []
        for qid, weight in feeding:
            share = (1 - speech_share) * weight / total_weight
            qs = scores[qid]
            parts.append(Contribution(qid, round(share, 4), qs.score,
                                      round(share * qs.score, 2), qs.evidence))  # fmt: skip
        if speech_share and fluency is not None:
            value, evidence = fluency
            parts.append(Contribution("speech", speech_share, value,
                                      round(speech_share * value, 2), evidence))  # fmt: skip
        score = round(sum(c.share * c.score for c in parts), 1)
        out.append(DimensionScore(d.id, d.name, d.weight, score, tuple(parts)))
    return tuple(out)


def weighted_total(dimensions: Sequence[DimensionScore]) -> float | None:
    """Weighted mean over the dimensions that have a score (all of them in a full interview)."""
    scored = [d for d in dimensions if d.score is not None and d.weight > 0]
    weight = sum(d.weight for d in scored)
    if not weight:
        return None
    return round(sum(d.weight * (d.score or 0.0) for d in scored) / weight, 1)


def recommend(
    profile: Profile,
    total: float | None,
    knockouts: Sequence[KnockoutFlag],
    *,
    complete: bool,
) -> tuple[Recommendation, bool, tuple[str, ...]]:
    """(recommendation, requires_human_review, reasons)."""
    s = profile.scoring
    reasons: list[str] = []
    knocked = [k for k in knockouts if k.status == "knocked_out"]
    rec: Recommendation
    if knocked:
        rec = "reject"
        reasons += [f"knockout: {k.question_id} ({k.reason or k.value})" for k in knocked]
    elif total is None:
        rec = "review"
        reasons.append("no scored answers")
    elif not complete:
        rec = "review"
        reasons.append("interview incomplete")
    elif total >= s.advance_at:
        rec = "advance"
        reasons.append(f"total {total:g} >= advance_at {s.advance_at}")
    elif total >= s.review_at:
        rec = "review"
        reasons.append(
            f"total {total:g} between review_at {s.review_at} and advance_at {s.advance_at}"
        )
    else:
        rec = "reject"
        reasons.append(f"total {total:g} < review_at {s.review_at}")
    unclear = [k for k in knockouts if k.status == "unclear"]
    if unclear:
        reasons += [f"knockout question unclear: {k.question_id}" for k in unclear]
        if rec == "advance":
            rec = "review"
    return rec, rec != "advance", tuple(reasons)


def assess(
    profile: Profile,
    scores: Mapping[str, QuestionScore],
    knockouts: Sequence[KnockoutFlag],
    *,
    complete: bool,
    fluency: tuple[float, tuple[Evidence, ...]] | None = None,
) -> Assessment:
    dims = dimension_scores(profile, scores, fluency)
    total = weighted_total(dims)
    rec, review, reasons = recommend(profile, total, knockouts, complete=complete)
    return Assessment(dims, total, tuple(knockouts), rec, review, reasons, complete)
