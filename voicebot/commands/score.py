"""``voicebot score --profile FILE --question ID --answer TEXT``: score one answer as JSON.

HR uses it to tune a rubric before a campaign: every point is listed with the rubric phrase
that matched and the words of the answer that matched it.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from voicebot.errors import InputError
from voicebot.interview import intents
from voicebot.interview.profile import Language, Profile, Question
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.scoring import AnswerText, QuestionScore, score_open, score_value


def register(sub: Any) -> None:
    p = sub.add_parser("score", help="score one answer against a profile's rubric (JSON)")
    p.add_argument("--profile", required=True, type=Path, metavar="FILE")
    p.add_argument("--question", required=True, metavar="ID")
    p.add_argument("--answer", required=True, metavar="TEXT")
    p.add_argument("--language", choices=["zh", "en"], help="default: the profile's language")
    p.set_defaults(func=run)


def interpret(q: Question, text: str, language: Language) -> str | float | None:
    """What a closed question's answer means (as the interview machine reads it)."""
    if q.type == "yes_no":
        return intents.yes_no(text)
    if q.type == "number":
        return intents.number(text, q.unit)
    return intents.choice(text, [(c.id, c.phrases(language)) for c in q.choices])


def score_answer(
    profile: Profile, question_id: str, text: str, language: Language
) -> dict[str, Any]:
    try:
        q = profile.question(question_id)
    except KeyError:
        known = ", ".join(q.id for q in profile.questions)
        raise InputError(f"--question: no question {question_id!r} (questions: {known})") from None
    value: str | float | None = None
    result: QuestionScore
    if q.type == "open":
        result = score_open(q, AnswerText(text), language)
    else:
        value = interpret(q, text, language)
        result = score_value(q, value)
    total = sum(q.dimensions.values())
    return {
        "question": q.id,
        "type": q.type,
        "language": language,
        "answer": text,
        "value": value,
        "knocked_out": q.knocks_out(value),
        "score": result.score,
        "evidence": [
            {k: v for k, v in asdict(e).items() if v is not None and v != ""}
            for e in result.evidence
        ],
        "dimensions": {
            d: {"share": round(w / total, 3), "points": round(result.score * w / total, 1)}
            for d, w in q.dimensions.items()
        },
    }


def run(args: argparse.Namespace) -> int:
    profile = load_profile(args.profile)
    language: Language = args.language or profile.language
    print(json.dumps(score_answer(profile, args.question, args.answer, language),
                     ensure_ascii=False, indent=2))  # fmt: skip
    return 0
