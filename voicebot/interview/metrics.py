"""Speech metrics from the timestamps the driver reported: no audio is needed here.

* speaking rate: characters (zh) or words (en) per minute of the answer's turns;
* pauses: gaps of at least :data:`PAUSE_S` between ASR segments inside a turn and between the
  turns of one answer; their count and the longest;
* time to first word: from the end of the question's prompt to the first speech;
* talk ratio: the candidate's speech time over the call's duration;
* barge-ins: how often the candidate talked over a prompt.

A fluency score (0-100) condenses them for the profile's ``speech_dimension``, with its own
evidence, so a recruiter sees why "communication" lost points for long silences.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from voicebot.interview.profile import Language
from voicebot.interview.scoring import Evidence
from voicebot.interview.state import State, Turn
from voicebot.interview.textnorm import size

PAUSE_S = 0.6
RATE_RANGE: dict[Language, tuple[float, float]] = {"zh": (150.0, 330.0), "en": (100.0, 190.0)}
"""Comfortable speaking rates on the phone (chars/min for zh, words/min for en)."""


@dataclass(frozen=True, slots=True)
class AnswerMetrics:
    question_id: str
    speech_s: float
    units: int
    rate_per_min: float | None
    pauses: int
    longest_pause_s: float
    latency_s: float | None
    barge_ins: int


@dataclass(frozen=True, slots=True)
class SpeechMetrics:
    answers: tuple[AnswerMetrics, ...]
    speech_s: float
    call_s: float
    talk_ratio: float | None
    rate_per_min: float | None
    pauses: int
    longest_pause_s: float
    mean_latency_s: float | None
    barge_ins: int


def _gaps(turns: list[Turn]) -> list[float]:
    gaps: list[float] = []
    for t in turns:
        segs = sorted(t.segments, key=lambda s: s.start_s)
        gaps += [b.start_s - a.end_s for a, b in pairwise(segs)]
    ordered = sorted(turns, key=lambda t: t.start_s)
    gaps += [b.start_s - a.end_s for a, b in pairwise(ordered)]
    return [g for g in gaps if g >= PAUSE_S]


def compute(state: State) -> SpeechMetrics:
    """Metrics of every answered question (and "anything else") of a finished interview."""
    answers = []
    for a in state.answers:
        turns = [t for i in a.turn_ids if (t := state.turn(i)) is not None]
        if not turns:
            continue
        speech = sum(t.speech_s for t in turns)
        units = sum(size(t.text or "") for t in turns)
        gaps = _gaps(turns)
        latency = None
        if a.prompt_end_s is not None and a.first_speech_s is not None:
            latency = round(max(0.0, a.first_speech_s - a.prompt_end_s), 2)
        answers.append(
            AnswerMetrics(
                question_id=a.question_id,
                speech_s=round(speech, 2),
                units=units,
                rate_per_min=round(units / speech * 60, 1) if speech > 0 and units else None,
                pauses=len(gaps),
                longest_pause_s=round(max(gaps, default=0.0), 2),
                latency_s=latency,
                barge_ins=a.barge_ins,
            )
        )
    speech = sum(t.speech_s for t in state.turns)
    end = (
        state.ended_s
        if state.ended_s is not None
        else max((t.end_s for t in state.turns), default=state.started_s)
    )
    call_s = max(0.0, end - state.started_s)
    units = sum(m.units for m in answers)
    answered_speech = sum(m.speech_s for m in answers if m.units)
    latencies = [m.latency_s for m in answers if m.latency_s is not None]
    return SpeechMetrics(
        answers=tuple(answers),
        speech_s=round(speech, 2),
        call_s=round(call_s, 2),
        talk_ratio=round(speech / call_s, 3) if call_s > 0 else None,
        rate_per_min=round(units / answered_speech * 60, 1) if answered_speech > 0 else None,
        pauses=sum(m.pauses for m in answers),
        longest_pause_s=max((m.longest_pause_s for m in answers), default=0.0),
        mean_latency_s=round(sum(latencies) / len(latencies), 2) if latencies else None,
        barge_ins=state.barge_ins,
    )


def fluency(m: SpeechMetrics, language: Language) -> tuple[float, tuple[Evidence, ...]] | None:
    """Fluency 0-100: rate in range (40), longest pause (30), response time (30).

    None when there is nothing to judge (no timed, transcribed answers)."""
    if m.rate_per_min is None:
        return None
    low, high = RATE_RANGE[language]
    unit = "字/分钟" if language == "zh" else "words/min"
    rate = m.rate_per_min
    rate_pts = 40.0 if low <= rate <= high else 20.0 if low * 0.75 <= rate <= high * 1.2 else 0.0
    items = [Evidence("metric:speaking_rate", rate_pts, None, f"{rate:g} {unit}")]
    pause = m.longest_pause_s
    pause_pts = 30.0 if pause <= 2.5 else 15.0 if pause <= 4.0 else 0.0
    items.append(Evidence("metric:longest_pause", pause_pts, None, f"{pause:g} s"))
    lat = m.mean_latency_s
    if lat is None:
        lat_pts = 15.0
        items.append(Evidence("metric:response_time", lat_pts, None, "unknown"))
    else:
        lat_pts = 30.0 if lat <= 3.0 else 15.0 if lat <= 6.0 else 0.0
        items.append(Evidence("metric:response_time", lat_pts, None, f"{lat:g} s"))
    return rate_pts + pause_pts + lat_pts, tuple(items)
