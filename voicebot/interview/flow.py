"""Transitions of the interview machine: asking, re-asking, recording answers, ending.

:class:`Tx` is one step's transaction: it holds the state being built (replaced, never
mutated) and the commands emitted so far, so the transition helpers read like the
conversation they implement. Nothing here does I/O; :func:`machine.step` is the only entry.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from voicebot.interview import prompts
from voicebot.interview.events import (
    AddToDoNotCall,
    AnswerStatus,
    CancelTimer,
    Command,
    DiscardRecording,
    Expect,
    Finish,
    Hangup,
    Listen,
    Outcome,
    RecordAnswer,
    Say,
    StartTimer,
    StopSpeaking,
)
from voicebot.interview.profile import Question
from voicebot.interview.state import (
    ANYTHING_ELSE,
    CALLBACK_TIME,
    CONSENT,
    GOOD_TIME,
    Answer,
    Phase,
    Playing,
    State,
    Step,
)
from voicebot.interview.timeparse import describe

ENDING_SAFETY_S = 30.0
"""Hang up this long after the goodbye started even if its PromptDone never comes."""
FIXED_HANGOVER_MS = 350
FIXED_MAX_TURN_S = 15.0
OPEN_EXTRA_HANGOVER_MS = 1000
""""Anything else to add?" is open-ended: give thinking pauses room."""


class Tx:
    def __init__(self, state: State) -> None:
        self.s = state
        self.out: list[Command] = []

    def set(self, **changes: Any) -> None:
        self.s = replace(self.s, **changes)

    def update_step(self, **changes: Any) -> None:
        self.s = replace(self.s, step=replace(self.s.step, **changes))

    def emit(self, *commands: Command) -> None:
        self.out.extend(commands)

    def start_timer(self, kind: str, seconds: float) -> str:
        name = f"{kind}.{self.s.seq + 1}"
        self.set(seq=self.s.seq + 1)
        self.emit(StartTimer(name, seconds))
        return name

    def cancel_step_timers(self) -> None:
        step = self.s.step
        for name in (step.silence_timer, step.transcript_timer):
            if name is not None:
                self.emit(CancelTimer(name))
        self.update_step(silence_timer=None, transcript_timer=None)

    def say(self, key: str, text: str, audio: str | None, *, barge_in: bool = True) -> None:
        self.emit(Say(key, text, self.s.profile.language, audio, barge_in))
        self.set(playing=(*self.s.playing, Playing(key, barge_in)))

    def say_fixed(self, key: str, *, barge_in: bool = True, **values: str) -> None:
        r = prompts.render_fixed(self.s.profile, key, **values)
        self.say(key, r.text, r.audio, barge_in=barge_in)

    def stop_speaking(self) -> None:
        if self.s.playing:
            self.emit(StopSpeaking())
            self.set(stale_prompts=self.s.stale_prompts + len(self.s.playing), playing=())


# ---- asking ---------------------------------------------------------------------------


def _begin(tx: Tx, phase: Phase, key: str) -> None:
    tx.cancel_step_timers()
    tx.set(phase=phase, step=Step(key=key))


def _listen(tx: Tx, qid: str | None, expect: Expect, hangover_ms: int, max_s: float) -> None:
    tx.emit(Listen(qid, expect, hangover_ms, max_s))


def _say_step_prompt(tx: Tx) -> None:
    """(Re)say what the current step asks, and listen for it."""
    s = tx.s
    lang = s.profile.language
    q = s.question
    if q is not None:
        tx.say(f"q:{q.id}", q.prompt.text(lang) or "", q.prompt.audio.get(lang))
        _listen(tx, q.id, q.type, q.effective_hangover_ms, q.effective_max_answer_s)
        return
    key = s.step.key
    if key == ANYTHING_ELSE:
        tx.say_fixed(ANYTHING_ELSE)
        _listen(tx, None, "open", OPEN_EXTRA_HANGOVER_MS, 60.0)
        return
    prompt_key = {CONSENT: "consent", GOOD_TIME: "good_time", CALLBACK_TIME: "ask_callback_time"}[
        key
    ]
    tx.say_fixed(prompt_key)
    expect: Expect = "free" if key == CALLBACK_TIME else "yes_no"
    _listen(tx, None, expect, FIXED_HANGOVER_MS, FIXED_MAX_TURN_S)


def ask_consent(tx: Tx) -> None:
    _begin(tx, "consent", CONSENT)
    tx.say_fixed("greeting", barge_in=False)  # the disclosure is heard in full
    _say_step_prompt(tx)


def ask_good_time(tx: Tx) -> None:
    _begin(tx, "good_time", GOOD_TIME)
    _say_step_prompt(tx)


def ask_callback_time(tx: Tx) -> None:
    _begin(tx, "callback_time", CALLBACK_TIME)
    _say_step_prompt(tx)


def ask_question(tx: Tx, index: int, lead: str | None = None) -> None:
    if index >= len(tx.s.plan):
        ask_anything_else(tx, lead)
        return
    _begin(tx, "question", tx.s.plan[index])
    tx.set(index=index)
    if lead:
        tx.say_fixed(lead)
    _say_step_prompt(tx)


def ask_anything_else(tx: Tx, lead: str | None = None) -> None:
    _begin(tx, "anything_else", ANYTHING_ELSE)
    if lead and lead != "move_on":
        tx.say_fixed(lead)
    _say_step_prompt(tx)


def reask(tx: Tx, lead: str, hint: str = "") -> None:
    """Say a lead-in ("好的，我再说一遍" / "您还在吗") and the step's prompt again."""
    tx.cancel_step_timers()
    tx.update_step(pending=())
    if lead == "answer_retry":
        tx.say_fixed(lead, choices=hint)
        q = tx.s.question
        if q is not None:
            _listen(tx, q.id, q.type, q.effective_hangover_ms, q.effective_max_answer_s)
        else:
            _listen(tx, None, "yes_no", FIXED_HANGOVER_MS, FIXED_MAX_TURN_S)
        return
    if tx.s.step.key == CONSENT and lead == "consent_retry":
        tx.say_fixed(lead)
        _listen(tx, None, "yes_no", FIXED_HANGOVER_MS, FIXED_MAX_TURN_S)
        return
    tx.say_fixed(lead)
    _say_step_prompt(tx)


def follow_up(tx: Tx, q: Question) -> None:
    tx.cancel_step_timers()
    tx.update_step(pending=(), follow_ups=tx.s.step.follow_ups + 1)
    lang = tx.s.profile.language
    if q.follow_up is not None and q.follow_up.text(lang):
        tx.say(f"q:{q.id}:follow_up", q.follow_up.text(lang) or "", q.follow_up.audio.get(lang))
    else:
        r = prompts.render_fixed(tx.s.profile, "follow_up")
        tx.say(f"q:{q.id}:follow_up", r.text, r.audio)
    _listen(tx, q.id, q.type, q.effective_hangover_ms, q.effective_max_answer_s)


def silence_timeout(tx: Tx) -> float:
    q = tx.s.question
    return q.effective_silence_timeout_s if q else tx.s.profile.conversation.silence_timeout_s


# ---- answers --------------------------------------------------------------------------


def record(tx: Tx, status: AnswerStatus, value: str | float | None = None) -> Answer:
    """Close the current step's answer (a question or "anything else")."""
    s = tx.s
    step = s.step
    q = s.question
    knocked = q.knocks_out(value) if q is not None else False
    answer = Answer(
        question_id=step.key, turn_ids=step.turn_ids, status=status, value=value,
        knocked_out=knocked, prompt_end_s=step.prompt_end_s,
        first_speech_s=step.first_speech_s, repeats=step.repeats, reprompts=step.reprompts,
        follow_ups=step.follow_ups, barge_ins=step.barge_ins,
    )  # fmt: skip
    tx.cancel_step_timers()
    tx.emit(RecordAnswer(step.key, step.turn_ids, status, value, knocked))
    tx.set(answers=(*s.answers, answer))
    return answer


def finish_question(tx: Tx, status: AnswerStatus, value: str | float | None = None) -> None:
    """Record the current question and go on: next question, or end a dead line."""
    record(tx, status, value)
    streak = tx.s.silent_streak + 1 if status == "no_input" else 0
    tx.set(silent_streak=streak)
    if streak >= tx.s.profile.conversation.max_silent_questions:
        end(tx, "no_input", "no_input")
        return
    ask_question(tx, tx.s.index + 1, "move_on" if status in ("no_input", "skipped") else None)


# ---- endings --------------------------------------------------------------------------


def end(tx: Tx, outcome: Outcome, prompt_key: str, *, dnc: bool = False, **values: str) -> None:
    """Say the last prompt; Hangup and Finish follow when it has played."""
    tx.cancel_step_timers()
    tx.stop_speaking()
    if tx.s.consent is not True and not tx.s.recording_discarded:
        tx.emit(DiscardRecording())  # no consent, no recording (declined, or ended before)
        tx.set(recording_discarded=True)
    if dnc:
        tx.emit(AddToDoNotCall())
        tx.set(do_not_call=True)
    tx.set(phase="ending", outcome=outcome, step=Step(key=tx.s.step.key))
    tx.say_fixed(prompt_key, barge_in=False, **values)
    tx.set(ending_timer=tx.start_timer("ending", ENDING_SAFETY_S))


def callback(tx: Tx, at: datetime | None, said: str, now: datetime) -> None:
    default = at is None
    when = at or now + timedelta(minutes=tx.s.profile.conversation.callback_default_delay_min)
    tx.set(details={**tx.s.details, "callback_at": when.isoformat(timespec="minutes"),
                    "callback_said": said, "callback_default": default})  # fmt: skip
    end(tx, "callback", "callback_confirm", when=describe(when, now, tx.s.profile.language))


def complete(tx: Tx, *, hung_up: bool = False) -> None:
    """The final commands: Hangup (unless the candidate already did) and Finish."""
    if tx.s.ending_timer is not None:
        tx.emit(CancelTimer(tx.s.ending_timer))
    if not hung_up:
        tx.emit(Hangup())
    assert tx.s.outcome is not None
    tx.emit(Finish(tx.s.outcome, finish_details(tx.s)))
    tx.set(phase="done", ending_timer=None, playing=())


def finish_details(s: State) -> dict[str, Any]:
    knockouts = []
    for a in s.answers:
        if a.knocked_out:
            q = s.profile.question(a.question_id)
            reason = q.knockout.reason if q.knockout else ""
            knockouts.append({"question_id": a.question_id, "value": a.value, "reason": reason})
    return {
        **s.details,
        "consent": s.consent,
        "planned": list(s.plan),
        "answered": [a.question_id for a in s.answers if a.status == "answered"],
        "knockouts": knockouts,
        "do_not_call": s.do_not_call,
        "recording_discarded": s.recording_discarded,
    }
