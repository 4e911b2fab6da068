"""The interview as a pure state machine: ``step(state, event) -> (state, commands)``.

No sockets, no clocks, no I/O: the call driver feeds events (see :mod:`events` for the
contract) and executes the commands. Tests drive every path with plain event lists.

Turn-taking, in short:

* Every step (consent, good time, each question, "anything else") plays its prompt and then
  waits; the silence timer starts when the prompt has finished, and stops at speech.
* An open answer with enough speech (``min_answer_s``, 2.5 s by default) moves on at once:
  its text is only needed for scoring, later. A shorter turn could be "请再说一遍", "不要再打了"
  or a too-short answer, so the machine asks for its transcript first (``NeedTranscript``).
* Yes/no, number and choice answers always need their text (or a keypad digit).
* Silence gets one re-prompt, then the machine moves on. Repeat requests: at most two.
* The candidate talking over a prompt that allows barge-in stops it (``StopSpeaking``).
* Speech over the greeting (which must be heard in full) is not taken as consent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from voicebot.interview import decide, flow, intents
from voicebot.interview.events import (
    BargeIn,
    CancelTimer,
    Command,
    DiscardRecording,
    Dtmf,
    Event,
    HungUp,
    NeedTranscript,
    PromptDone,
    SpeechStarted,
    Started,
    TimerFired,
    TranscriptReady,
    TurnEnded,
)
from voicebot.interview.flow import Tx
from voicebot.interview.profile import Profile
from voicebot.interview.state import (
    ANYTHING_ELSE,
    CONSENT,
    GOOD_TIME,
    Candidate,
    State,
    Turn,
    plan_questions,
)

LISTENING = ("consent", "good_time", "callback_time", "question", "anything_else")


def start(profile: Profile, candidate: Candidate, now: datetime) -> State:
    """The initial state; ``now`` is the wall-clock time of call time 0."""
    return State(profile=profile, candidate=candidate, started_at=now,
                 plan=plan_questions(profile, candidate))  # fmt: skip


def step(state: State, event: Event) -> tuple[State, list[Command]]:
    """Apply one event; the new state and the commands for the driver, in order."""
    tx = Tx(state)
    match event:
        case Started(at_s=at_s):
            if state.phase == "new":
                tx.set(started_s=at_s)
                flow.ask_consent(tx)
        case PromptDone():
            _prompt_done(tx, event)
        case SpeechStarted(at_s=at_s):
            _speech_started(tx, at_s)
        case BargeIn():
            _barge_in(tx)
        case TurnEnded():
            _turn_ended(tx, event)
        case TranscriptReady():
            _transcript(tx, event)
        case Dtmf(digit=digit):
            _dtmf(tx, digit)
        case TimerFired(name=name):
            _timer(tx, name)
        case HungUp(at_s=at_s):
            _hung_up(tx, at_s)
    return tx.s, tx.out


def _prompt_done(tx: Tx, event: PromptDone) -> None:
    s = tx.s
    keys = [p.key for p in s.playing]
    if (event.interrupted or event.prompt_key not in keys) and s.stale_prompts > 0:
        tx.set(stale_prompts=s.stale_prompts - 1)  # one we stopped on purpose
        return
    if event.prompt_key not in keys:
        return
    i = keys.index(event.prompt_key)
    tx.set(playing=s.playing[:i] + s.playing[i + 1 :])
    if tx.s.playing:
        return
    if s.phase == "ending":
        flow.complete(tx)
    elif s.phase in LISTENING:
        tx.update_step(prompt_end_s=event.at_s)
        decide.restart_silence(tx)


def _speech_started(tx: Tx, at_s: float) -> None:
    tx.set(in_speech=True)
    if tx.s.phase not in LISTENING:
        return
    if tx.s.step.first_speech_s is None and not tx.s.playing:
        tx.update_step(first_speech_s=at_s)
    if tx.s.step.silence_timer is not None:
        tx.emit(CancelTimer(tx.s.step.silence_timer))
        tx.update_step(silence_timer=None)


def _barge_in(tx: Tx) -> None:
    s = tx.s
    if s.phase not in LISTENING or not s.playing or not s.playing[0].barge_in_allowed:
        return
    tx.stop_speaking()
    tx.set(barge_ins=s.barge_ins + 1)
    tx.update_step(barge_ins=s.step.barge_ins + 1)


def _turn_ended(tx: Tx, e: TurnEnded) -> None:
    s = tx.s
    turn = Turn(e.turn_id, s.step.key, e.start_s, e.end_s, e.speech_s, e.reason)
    tx.set(in_speech=False, turns=(*s.turns, turn))
    if s.phase not in LISTENING:
        return
    if s.playing and not s.playing[0].barge_in_allowed:
        return  # talked over the greeting: not an answer (its transcript is still checked)
    if s.step.silence_timer is not None:  # a turn is speech, even without SpeechStarted
        tx.emit(CancelTimer(s.step.silence_timer))
        tx.update_step(silence_timer=None)
    if s.step.first_speech_s is None:
        tx.update_step(first_speech_s=e.start_s)
    tx.update_step(turn_ids=(*s.step.turn_ids, e.turn_id))
    q = s.question
    long_turn = e.speech_s >= (q.min_answer_s if q else decide.ANYTHING_ELSE_LONG_S)
    if not s.step.pending and long_turn and q is not None and q.type == "open":
        flow.finish_question(tx, "answered")
        return
    if not s.step.pending and long_turn and s.phase == ANYTHING_ELSE:
        decide.anything_else_long(tx)
        return
    tx.update_step(pending=(*tx.s.step.pending, e.turn_id))
    tx.emit(NeedTranscript(e.turn_id))
    if tx.s.step.transcript_timer is None:
        timeout = s.profile.conversation.transcript_timeout_s
        tx.update_step(transcript_timer=tx.start_timer("transcript", timeout))


def _transcript(tx: Tx, e: TranscriptReady) -> None:
    s = tx.s
    old = s.turn(e.turn_id)
    if old is None or (old.final and not e.final):
        return
    updated = tuple(
        replace(t, text=e.text, final=e.final, segments=e.segments) if t.turn_id == e.turn_id else t
        for t in s.turns
    )
    tx.set(turns=updated)
    if not e.final:
        return
    if e.turn_id in s.step.pending and s.phase in LISTENING:
        pending = tuple(i for i in s.step.pending if i != e.turn_id)
        tx.update_step(pending=pending)
        if pending:
            return
        if tx.s.step.transcript_timer is not None:
            tx.emit(CancelTimer(tx.s.step.transcript_timer))
            tx.update_step(transcript_timer=None)
        batch = tuple(i for i in tx.s.step.turn_ids if i in s.step.pending or i == e.turn_id)
        decide.decide(tx, batch)
    elif s.phase in LISTENING and intents.wants_opt_out(e.text):
        flow.end(tx, "opted_out", "opt_out", dnc=True)  # a late transcript opting out


def _dtmf(tx: Tx, digit: str) -> None:
    s = tx.s
    q = s.question
    if s.phase in (CONSENT, GOOD_TIME) or (q is not None and q.type == "yes_no"):
        answer = intents.dtmf_yes_no(digit)
        if answer is None:
            return
        _clear_wait(tx)
        if s.phase == CONSENT:
            decide.consent_given(tx, answer == "yes")
        elif s.phase == GOOD_TIME:
            decide.good_time_answer(tx, answer == "yes")
        else:
            flow.finish_question(tx, "answered", answer)
    elif q is not None and q.type == "choice":
        lang = s.profile.language
        chosen = intents.dtmf_choice(digit, [(c.id, c.phrases(lang)) for c in q.choices])
        if chosen is not None:
            _clear_wait(tx)
            flow.finish_question(tx, "answered", chosen)


def _clear_wait(tx: Tx) -> None:
    tx.stop_speaking()
    tx.cancel_step_timers()
    tx.update_step(pending=())


def _timer(tx: Tx, name: str) -> None:
    s = tx.s
    if name == s.ending_timer and s.phase == "ending":
        flow.complete(tx)
    elif name == s.step.silence_timer and s.phase in LISTENING:
        tx.update_step(silence_timer=None)
        _silence(tx)
    elif name == s.step.transcript_timer and s.phase in LISTENING:
        batch = s.step.pending
        tx.update_step(transcript_timer=None, pending=())
        decide.decide(tx, batch, timed_out=True)


def _silence(tx: Tx) -> None:
    s = tx.s
    step = s.step
    q = s.question
    if s.phase == ANYTHING_ELSE:
        flow.end(tx, "completed", "closing")
    elif s.phase == "callback_time":
        flow.callback(tx, None, "", decide.now_at(tx, decide.last_end_s(tx)))
    elif q is not None and step.turn_ids:
        # they said something, were asked to say more, then fell silent: keep what we have
        flow.finish_question(tx, "answered" if q.type == "open" else "unclear")
    elif step.reprompts < 1:
        tx.update_step(reprompts=step.reprompts + 1)
        flow.reask(tx, "reprompt")
    elif q is not None:
        flow.finish_question(tx, "no_input")
    else:
        flow.end(tx, "no_input", "no_input")


def _hung_up(tx: Tx, at_s: float) -> None:
    s = tx.s
    tx.set(ended_s=at_s, playing=())
    if s.phase == "done":
        return
    if s.phase == "ending":
        flow.complete(tx, hung_up=True)
        return
    tx.cancel_step_timers()
    if s.question is not None and s.step.turn_ids:
        flow.record(tx, "answered")  # what they said before hanging up still counts
    if s.consent is not True:
        tx.emit(DiscardRecording())
        tx.set(recording_discarded=True)
    tx.set(outcome="hung_up")
    flow.complete(tx, hung_up=True)
