"""Rules of a job profile that span fields, each reported at the location to fix.

Pydantic checks shapes; these check meaning: the competency weights add up to 100, every
dimension a question names exists and every dimension is fed by some question, question ids
are unique, each prompt exists in the profile's language, each knockout has a rule that fits
its question type, recorded audio files exist, templates only use known placeholders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from voicebot.interview.profile import LANGUAGES, PROMPT_KEYS, Profile, Prompt, Question
from voicebot.interview.prompts import PLACEHOLDERS, placeholders

Loc = tuple[str | int, ...]
Found = tuple[Loc, str]


def check(profile: Profile) -> list[Found]:
    """Every problem as (location, message); empty when the profile is usable."""
    return [
        *_dimensions(profile),
        *_question_ids(profile),
        *(f for i, q in enumerate(profile.questions) for f in _question(profile, i, q)),
        *_fixed_prompts(profile),
        *_scoring(profile),
    ]


def _dimensions(profile: Profile) -> Iterator[Found]:
    total = sum(d.weight for d in profile.dimensions)
    if total != 100:
        parts = " + ".join(f"{d.id} {d.weight}" for d in profile.dimensions)
        yield ("dimensions",), f"weights must add up to 100, they add up to {total} ({parts})"
    seen: set[str] = set()
    fed = {d for q in profile.questions for d, w in q.dimensions.items() if w > 0}
    for i, d in enumerate(profile.dimensions):
        if d.id in seen:
            yield ("dimensions", i, "id"), f"duplicate dimension id {d.id!r}"
        seen.add(d.id)
        if d.weight > 0 and d.id not in fed:
            yield ("dimensions", i, "id"), f"no question feeds dimension {d.id!r}"


def _question_ids(profile: Profile) -> Iterator[Found]:
    first: dict[str, int] = {}
    for i, q in enumerate(profile.questions):
        if q.id in first:
            yield (
                ("questions", i, "id"),
                (f"duplicate question id {q.id!r} (also questions[{first[q.id]}])"),
            )
        first.setdefault(q.id, i)


def _prompt(
    profile: Profile, loc: Loc, prompt: Prompt, *, required: bool = True
) -> Iterator[Found]:
    lang = profile.language
    text = prompt.text(lang)
    if required and not (text and text.strip()):
        yield (*loc, lang), f"missing the {lang} text (the profile's language is {lang})"
    for language in LANGUAGES:
        template = prompt.text(language)
        if not template:
            continue
        try:
            unknown = placeholders(template) - PLACEHOLDERS
        except ValueError as exc:
            yield (*loc, language), f"broken {{placeholder}}: {exc}"
            continue
        if unknown:
            known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            yield (*loc, language), f"unknown placeholder {{{sorted(unknown)[0]}}} (known: {known})"
    for language, path in prompt.audio.items():
        if not path.lower().endswith(".wav"):
            yield (*loc, "audio", language), f"audio must be a .wav file: {path}"
        elif not Path(path).is_file():
            yield (*loc, "audio", language), f"audio file not found: {path}"


def _question(profile: Profile, i: int, q: Question) -> Iterator[Found]:
    loc: Loc = ("questions", i)
    yield from _prompt(profile, (*loc, "prompt"), q.prompt)
    if q.follow_up is not None:
        yield from _prompt(profile, (*loc, "follow_up"), q.follow_up)
    known = {d.id for d in profile.dimensions}
    for dim, weight in q.dimensions.items():
        if dim not in known:
            yield (
                (*loc, "dimensions", dim),
                (f"unknown dimension {dim!r} (dimensions are: {', '.join(sorted(known))})"),
            )
        if weight < 0:
            yield (*loc, "dimensions", dim), "a contribution cannot be negative"
    scored = any(w > 0 for w in q.dimensions.values())
    if q.type == "open" and scored and q.rubric is None:
        yield (*loc, "rubric"), "an open question that feeds dimensions needs a rubric"
    if q.type != "open" and q.rubric is not None:
        yield (
            (*loc, "rubric"),
            f"rubrics are for open questions; a {q.type} question is scored by its answer",
        )
    yield from _typed(profile, loc, q, scored)
    if q.when is not None and not (q.when.resume_has_any or q.when.resume_has_none):
        yield (*loc, "when"), "a branch needs resume_has_any or resume_has_none keywords"


def _typed(profile: Profile, loc: Loc, q: Question, scored: bool) -> Iterator[Found]:
    """Rules that depend on the question type: choices, score bands, knockout rules."""
    if q.type != "choice" and q.choices:
        yield (*loc, "choices"), f"choices are only for choice questions, this one is {q.type}"
    if q.type != "number" and q.points:
        yield (*loc, "points"), "points are only for number questions"
    if q.type == "choice":
        yield from _choice(profile, loc, q, scored)
    elif q.type == "number":
        yield from _number(loc, q, scored)
    elif q.type == "yes_no":
        yield from _yes_no(loc, q, scored)
    elif q.knockout is not None:
        yield (
            (*loc, "knockout"),
            "an open question cannot knock out (no rule can judge free text safely); "
            "ask a yes_no question for it",
        )


def _choice(profile: Profile, loc: Loc, q: Question, scored: bool) -> Iterator[Found]:
    lang = profile.language
    if len(q.choices) < 2:
        yield (*loc, "choices"), "a choice question needs at least two choices"
    ids = [c.id for c in q.choices]
    for j, c in enumerate(q.choices):
        if not c.phrases(lang):
            yield (*loc, "choices", j, lang), f"choice {c.id!r} has no {lang} phrases"
        if scored and c.score is None:
            yield (*loc, "choices", j, "score"), "the question feeds dimensions: give a score"
    ko = q.knockout
    if ko is None:
        return
    bad = [c for c in ko.choices if c not in ids]
    if not ko.choices or ko.answer is not None or ko.min is not None or ko.max is not None:
        yield (*loc, "knockout"), "a choice question knocks out by 'choices: [ids]' only"
    elif bad:
        yield (
            (*loc, "knockout", "choices"),
            f"unknown choice {bad[0]!r} (choices are: {', '.join(ids)})",
        )


def _number(loc: Loc, q: Question, scored: bool) -> Iterator[Found]:
    ko = q.knockout
    if ko is not None and (
        ko.answer is not None or ko.choices or (ko.min is None and ko.max is None)
    ):
        yield (*loc, "knockout"), "a number question knocks out by a rule: 'min:' and/or 'max:'"
    if scored and not q.points:
        yield (*loc, "points"), "the question feeds dimensions: give score bands in 'points'"


def _yes_no(loc: Loc, q: Question, scored: bool) -> Iterator[Found]:
    ko = q.knockout
    if ko is not None and (
        ko.answer is None or ko.choices or ko.min is not None or ko.max is not None
    ):
        yield (
            (*loc, "knockout"),
            "a yes_no question knocks out by 'answer: yes|no' (or 'knockout: true' for no)",
        )
    if scored and q.expected is None:
        yield (*loc, "expected"), "the question feeds dimensions: say which answer is worth 100"


def _fixed_prompts(profile: Profile) -> Iterator[Found]:
    for key in PROMPT_KEYS:
        prompt: Prompt | None = getattr(profile.prompts, key)
        if prompt is not None:
            yield from _prompt(profile, ("prompts", key), prompt)


def _scoring(profile: Profile) -> Iterator[Found]:
    s = profile.scoring
    if s.review_at > s.advance_at:
        yield ("scoring", "review_at"), f"must not be above advance_at ({s.advance_at})"
    if s.speech_dimension is not None and s.speech_dimension not in {
        d.id for d in profile.dimensions
    }:
        yield ("scoring", "speech_dimension"), f"unknown dimension {s.speech_dimension!r}"
