"""What the machine does with what the candidate said (or did not say) in each phase.

Order of precedence for a reply: opting out ("不要再打了") beats everything; then a request to
repeat (max 2 per step, then move on); then a request to be called later; then the reply as
an answer to what was asked. Unclear answers get one retry, then move on as ``unclear`` (the
recruiter sees them) rather than looping: a phone screen that argues loses the candidate.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from voicebot.interview import flow, intents, prompts
from voicebot.interview.flow import Tx
from voicebot.interview.state import ANYTHING_ELSE, CALLBACK_TIME, CONSENT, GOOD_TIME
from voicebot.interview.textnorm import size
from voicebot.interview.timeparse import parse_callback_time

MAX_REPEATS = 2
ANYTHING_ELSE_LONG_S = 2.5


def now_at(tx: Tx, call_s: float) -> datetime:
    return tx.s.started_at + timedelta(seconds=call_s)


def last_end_s(tx: Tx) -> float:
    ends = [t.end_s for i in tx.s.step.turn_ids if (t := tx.s.turn(i)) is not None]
    return max(ends, default=tx.s.started_s)


def decide(tx: Tx, batch: tuple[int, ...], *, timed_out: bool = False) -> None:
    """Act on the text of ``batch`` (the turns just transcribed) in the current phase."""
    s = tx.s
    text = s.text_of(batch)
    intent = intents.classify(text)
    if intent == "empty" and not timed_out:
        _noise(tx, batch)
        return
    if intent == "opt_out":
        flow.end(tx, "opted_out", "opt_out", dnc=True)
        return
    if intent == "repeat":
        _repeat(tx)
        return
    now = now_at(tx, last_end_s(tx))
    if s.phase not in (CALLBACK_TIME, ANYTHING_ELSE) and intents.wants_call_later(text):
        at = parse_callback_time(text, now)
        flow.callback(tx, at.at if at else None, at.said if at else text, now)
        return
    {
        CONSENT: _consent, GOOD_TIME: _good_time, CALLBACK_TIME: _callback_time,
        "question": _question, ANYTHING_ELSE: _anything_else,
    }[s.phase](tx, text, now)  # fmt: skip


def _noise(tx: Tx, batch: tuple[int, ...]) -> None:
    """An empty transcript: a cough or line noise. Forget it and keep waiting."""
    tx.update_step(turn_ids=tuple(i for i in tx.s.step.turn_ids if i not in batch))
    restart_silence(tx)


def restart_silence(tx: Tx) -> None:
    s = tx.s
    if not s.playing and not s.in_speech and not s.step.pending and s.step.silence_timer is None:
        tx.update_step(silence_timer=tx.start_timer("silence", flow.silence_timeout(tx)))


def _repeat(tx: Tx) -> None:
    step = tx.s.step
    if step.repeats < MAX_REPEATS:
        tx.update_step(repeats=step.repeats + 1, turn_ids=())
        flow.reask(tx, "repeat")
        return
    # asked three times: do not loop; each phase moves on its own way
    if tx.s.phase == "question":
        flow.finish_question(tx, "skipped")
    elif tx.s.phase == CONSENT:
        flow.end(tx, "declined", "declined")
    elif tx.s.phase == GOOD_TIME:
        flow.ask_question(tx, 0)
    elif tx.s.phase == CALLBACK_TIME:
        flow.callback(tx, None, "", now_at(tx, last_end_s(tx)))
    else:
        flow.end(tx, "completed", "closing")


def consent_given(tx: Tx, yes: bool) -> None:
    if yes:
        tx.set(consent=True)
        flow.ask_good_time(tx)
    else:
        tx.set(consent=False)
        flow.end(tx, "declined", "declined")


def _consent(tx: Tx, text: str, now: datetime) -> None:
    answer = intents.yes_no(text)
    if answer is not None:
        consent_given(tx, answer == "yes")
        return
    at = parse_callback_time(text, now)
    if at is not None or intents.wants_callback(text):
        flow.callback(tx, at.at if at else None, at.said if at else text, now)
        return
    if tx.s.step.retries < 1:
        tx.update_step(retries=tx.s.step.retries + 1, turn_ids=())
        flow.reask(tx, "consent_retry")
        return
    flow.end(tx, "declined", "declined")  # no clear yes: no consent


def good_time_answer(tx: Tx, yes: bool) -> None:
    if yes:
        flow.ask_question(tx, 0)
    else:
        flow.ask_callback_time(tx)


def _good_time(tx: Tx, text: str, now: datetime) -> None:
    at = parse_callback_time(text, now)
    answer = intents.yes_no(text)
    if at is not None and answer != "yes":
        flow.callback(tx, at.at, at.said, now)
        return
    if answer is not None or intents.wants_callback(text):
        good_time_answer(tx, answer == "yes")
        return
    if tx.s.step.retries < 1:
        tx.update_step(retries=tx.s.step.retries + 1, turn_ids=())
        flow.reask(tx, "answer_retry", prompts.retry_hint(tx.s.profile, "yes_no", []))
        return
    flow.ask_question(tx, 0)  # consent was given; an unclear "now?" is not a refusal


def _callback_time(tx: Tx, text: str, now: datetime) -> None:
    at = parse_callback_time(text, now)
    flow.callback(tx, at.at if at else None, at.said if at else text, now)


def _question(tx: Tx, text: str, now: datetime) -> None:
    q = tx.s.question
    assert q is not None
    lang = tx.s.profile.language
    if q.type == "open":
        full = tx.s.text_of(tx.s.step.turn_ids)
        if size(full) < q.effective_min_answer_size(lang) and tx.s.step.follow_ups < 1:
            flow.follow_up(tx, q)
        else:
            flow.finish_question(tx, "answered")
        return
    value: str | float | None
    options = [(c.id, c.phrases(lang)) for c in q.choices]
    if q.type == "yes_no":
        value = intents.yes_no(text)
    elif q.type == "number":
        value = intents.number(text, q.unit)
    else:
        value = intents.choice(text, options)
    if value is not None:
        flow.finish_question(tx, "answered", value)
        return
    if tx.s.step.retries < 1:
        tx.update_step(retries=tx.s.step.retries + 1, turn_ids=())
        hint = prompts.retry_hint(tx.s.profile, q.type, [o[1][0] for o in options if o[1]])
        flow.reask(tx, "answer_retry", hint)
        return
    flow.finish_question(tx, "unclear")


def _anything_else(tx: Tx, text: str, now: datetime) -> None:
    if text and not intents.nothing_more(text):
        flow.record(tx, "answered")
    flow.end(tx, "completed", "closing")


def anything_else_long(tx: Tx) -> None:
    """A long turn to "anything else?": keep it and close without waiting for its text."""
    flow.record(tx, "answered")
    flow.end(tx, "completed", "closing")
