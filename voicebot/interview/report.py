"""The interview report as JSON-ready data (schema: REPORT.md, ``schema_version`` 1).

Pure: the machine's final state in, a dict out. The driver calls :func:`build_report` once
the last transcripts have arrived (the machine keeps accepting them after ``Finish``), stores
the dict with the interview and renders the HTML view with :mod:`report_html`.

Without consent (declined, or the call ended before consent) the recording is discarded and
the report keeps no transcript and no scores: only what happened to the call.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from voicebot.interview import metrics, prompts
from voicebot.interview.assessment import Assessment, KnockoutFlag, assess
from voicebot.interview.scoring import AnswerText, Evidence, QuestionScore, score_open, score_value
from voicebot.interview.state import Answer, State

SCHEMA = "voicebot.interview-report"
SCHEMA_VERSION = 1
NOTICE = {
    "zh": "本建议由系统自动生成，仅供招聘人员参考，不构成最终录用决定；"
    "任何拒绝决定必须经人工复核。",
    "en": "This recommendation is generated automatically to assist a recruiter. It is not a "
    "hiring decision; any rejection must be reviewed and confirmed by a person.",
}
COMPLETE_OUTCOMES = ("completed",)


def answer_text(state: State, answer: Answer) -> AnswerText:
    turns = [t for i in answer.turn_ids if (t := state.turn(i)) is not None]
    return AnswerText.build([(t.text or "", t.start_s, t.end_s, t.segments) for t in turns])


def question_scores(state: State) -> dict[str, QuestionScore]:
    """Scores of the questions that were asked (answered or not); branches not taken and
    questions never reached are left out."""
    lang = state.profile.language
    out: dict[str, QuestionScore] = {}
    for a in state.answers:
        if a.question_id not in state.plan:
            continue
        q = state.profile.question(a.question_id)
        if a.status != "answered":
            out[q.id] = QuestionScore(q.id, 0.0, (Evidence("no_answer", 0.0, None, a.status),))
        elif q.type == "open":
            out[q.id] = score_open(q, answer_text(state, a), lang)
        else:
            out[q.id] = score_value(q, a.value)
    return out


def knockout_flags(state: State) -> list[KnockoutFlag]:
    flags = []
    for a in state.answers:
        if a.question_id not in state.plan:
            continue
        q = state.profile.question(a.question_id)
        if q.knockout is None:
            continue
        reason = q.knockout.reason or (q.prompt.text(state.profile.language) or q.id)
        if a.knocked_out:
            flags.append(KnockoutFlag(q.id, a.value, reason, "knocked_out"))
        elif a.status != "answered":
            flags.append(KnockoutFlag(q.id, a.value, reason, "unclear"))
    return flags


def _evidence(e: Evidence) -> dict[str, Any]:
    return {k: v for k, v in asdict(e).items() if v is not None and v != ""}


def _assessment(a: Assessment, lang: str, thresholds: dict[str, int]) -> dict[str, Any]:
    return {
        "recommendation": {
            "value": a.recommendation,
            "requires_human_review": a.requires_human_review,
            "automated_final_decision": False,
            "reasons": list(a.reasons),
            "notice": NOTICE["zh" if lang == "zh" else "en"],
            "thresholds": thresholds,
        },
        "total": a.total,
        "complete": a.complete,
        "dimensions": [
            {
                "id": d.id, "name": d.name, "weight": d.weight, "score": d.score,
                "contributions": [
                    {"source": c.source, "share": c.share, "score": c.score, "points": c.points,
                     "evidence": [_evidence(e) for e in c.evidence]}
                    for c in d.contributions
                ],
            }
            for d in a.dimensions
        ],
        "knockouts": [asdict(k) for k in a.knockouts],
    }  # fmt: skip


def _questions(state: State, scores: dict[str, QuestionScore]) -> list[dict[str, Any]]:
    lang = state.profile.language

    def fixed(key: str) -> str:
        return prompts.render_fixed(state.profile, key).text

    out = []
    for a in state.answers:
        turns = [t for i in a.turn_ids if (t := state.turn(i)) is not None]
        q = state.profile.question(a.question_id) if a.question_id in state.plan else None
        qs = scores.get(a.question_id)
        out.append({
            "id": a.question_id,
            "type": q.type if q else "open",
            "prompt": q.prompt.text(lang) if q else fixed(a.question_id),
            "status": a.status,
            "value": a.value,
            "knocked_out": a.knocked_out,
            "score": qs.score if qs else None,
            "turn_ids": list(a.turn_ids),
            "audio": {"start_s": min((t.start_s for t in turns), default=None),
                      "end_s": max((t.end_s for t in turns), default=None)},
            "transcript": " ".join(t.text or "" for t in turns).strip(),
            "repeats": a.repeats, "reprompts": a.reprompts, "follow_ups": a.follow_ups,
            "barge_ins": a.barge_ins,
            "evidence": [_evidence(e) for e in qs.evidence] if qs else [],
        })  # fmt: skip
    return out


def _excerpts(scores: dict[str, QuestionScore], limit: int = 3) -> list[dict[str, Any]]:
    """The strongest and the red-flag evidence of each question, for a quick read."""
    out = []
    for qid, qs in scores.items():
        said = [e for e in qs.evidence if e.excerpt and e.kind != "answer"]
        good = sorted((e for e in said if e.points > 0), key=lambda e: -e.points)[:limit]
        bad = [e for e in said if e.kind == "negative"]
        out += [{"question_id": qid, **_evidence(e)} for e in good + bad]
    return out


def build_report(
    state: State, *, call_id: str | None = None, generated_at: datetime | None = None
) -> dict[str, Any]:
    """The report of a finished interview (see REPORT.md for every field)."""
    p = state.profile
    consented = state.consent is True and not state.recording_discarded
    m = metrics.compute(state) if consented else None
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.isoformat(timespec="seconds") if generated_at else None,
        "call": {
            "call_id": call_id,
            "started_at": state.started_at.isoformat(timespec="seconds"),
            "duration_s": m.call_s if m else None,
            "outcome": state.outcome,
            "consent": state.consent,
            "recording_kept": not state.recording_discarded,
            "do_not_call": state.do_not_call,
            "callback": _callback(state),
        },
        "candidate": {
            "candidate_id": state.candidate.candidate_id,
            "name": state.candidate.name,
            "resume_keywords": list(state.candidate.resume_keywords),
        },
        "job": {
            "company": p.company,
            "job_title": p.job_title,
            "language": p.language,
            "questions_planned": list(state.plan),
        },
    }
    if not consented:
        report.update(recommendation=None, total=None, complete=False, dimensions=[],
                      knockouts=[], questions=[], metrics=None, transcript=[],
                      key_excerpts=[])  # fmt: skip
        return report
    assert m is not None
    scores = question_scores(state)
    fluency = metrics.fluency(m, p.language)
    complete = state.outcome in COMPLETE_OUTCOMES
    a = assess(p, scores, knockout_flags(state), complete=complete, fluency=fluency)
    thresholds = {"advance_at": p.scoring.advance_at, "review_at": p.scoring.review_at}
    report.update(_assessment(a, p.language, thresholds))
    report["questions"] = _questions(state, scores)
    report["metrics"] = asdict(m)
    report["transcript"] = [
        {"turn_id": t.turn_id, "step": t.step, "start_s": t.start_s, "end_s": t.end_s,
         "speech_s": t.speech_s, "text": t.text, "final": t.final}
        for t in state.turns
    ]  # fmt: skip
    report["key_excerpts"] = _excerpts(scores)
    return report


def _callback(state: State) -> dict[str, Any] | None:
    d = state.details
    if "callback_at" not in d:
        return None
    return {"at": d["callback_at"], "said": d.get("callback_said", ""),
            "default_delay": bool(d.get("callback_default"))}  # fmt: skip
