"""The interview machine driven through every conversation path, with no sockets.

:class:`Sim` plays the driver: it executes Say/StopSpeaking/timers on a virtual clock and
feeds events back; each test says what the candidate does and checks what the bot said,
which answers were recorded and how the call finished.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from voicebot.interview import machine
from voicebot.interview.events import (
    AddToDoNotCall,
    BargeIn,
    CancelTimer,
    DiscardRecording,
    Hangup,
    Listen,
    NeedTranscript,
    PromptDone,
    Say,
    SpeechStarted,
    Started,
    StartTimer,
    StopSpeaking,
    TimerFired,
    TranscriptReady,
    TurnEnded,
)
from voicebot.interview.profile import Profile
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.simulate import Sim
from voicebot.interview.state import Candidate

EXAMPLES = Path(__file__).parent.parent / "examples"
HOME = load_profile(EXAMPLES / "home_customer_service_zh.yaml")
WAREHOUSE = load_profile(EXAMPLES / "warehouse_sorting_zh.yaml")
SUPPORT_EN = load_profile(EXAMPLES / "customer_support_en.yaml")

LONG_ZH = "我会先耐心倾听客户的描述，然后询问客户需求，复述确认，记录下来，最后跟进回访。"


def consented(profile: Profile = HOME, candidate: Candidate | None = None) -> Sim:
    """A call past the consent and good-time checks, at the first question."""
    sim = Sim(profile, candidate or Candidate())
    sim.start()
    sim.say("同意" if profile.language == "zh" else "yes")
    sim.say("方便" if profile.language == "zh" else "sure, now is fine")
    return sim


def to_anything_else(sim: Sim) -> None:
    """Answer every remaining question plainly (long open answers, yes to the rest)."""
    while sim.state.phase == "question":
        q = sim.state.question
        assert q is not None
        text = {"yes_no": "可以", "number": "两年", "choice": "第一个"}.get(q.type, LONG_ZH)
        sim.say(text, speech_s=8.0 if q.type == "open" else None)
    assert sim.state.phase == "anything_else"


def finish_home(sim: Sim, *, last_yes_no: str = "可以") -> None:
    """Answer the rest of the home-service interview (from wherever it is) plainly."""
    while sim.state.phase == "question":
        q = sim.state.question
        assert q is not None
        text = {"yes_no": last_yes_no, "number": "两年", "choice": "第一个"}.get(q.type, LONG_ZH)
        sim.say(text, speech_s=None if q.type != "open" else 8.0)
    if sim.state.phase == "anything_else":
        sim.say("没有了")
    sim.play_all()


# ---- the greeting and consent ----------------------------------------------------------


def test_greeting_discloses_ai_and_recording_then_asks_consent() -> None:
    sim = Sim(HOME)
    out = sim.send(Started())
    says = [c for c in out if isinstance(c, Say)]
    assert [s.prompt_key for s in says] == ["greeting", "consent"]
    greeting = says[0]
    assert "星联科技" in greeting.text
    assert "居家客服专员" in greeting.text
    assert "AI" in greeting.text
    assert "录音" in greeting.text
    assert greeting.barge_in_allowed is False  # the disclosure is heard in full
    assert "按1" in says[1].text
    assert "按2" in says[1].text
    assert isinstance(out[-1], Listen)
    assert out[-1].expect == "yes_no"


@pytest.mark.parametrize(
    ("reply", "digit"),
    [("不同意", None), ("不用了，谢谢", None), (None, "2"), ("I don't think so", None)],
)
def test_consent_denied_ends_politely_and_discards_recording(
    reply: str | None, digit: str | None
) -> None:
    sim = Sim(HOME)
    sim.start()
    if digit:
        sim.press(digit)
    else:
        assert reply is not None
        sim.say(reply)
    assert sim.said[-1] == "declined"
    assert sim.of(DiscardRecording)
    f = sim.finished()
    assert f is not None
    assert f.outcome == "declined"
    assert sim.commands.index(sim.of(Hangup)[0]) < sim.commands.index(f)
    assert not sim.answers


@pytest.mark.parametrize(("reply", "digit"), [("好的，同意", None), (None, "1"), ("嗯可以", None)])
def test_consent_given_by_voice_or_keypad_asks_if_now_is_a_good_time(
    reply: str | None, digit: str | None
) -> None:
    sim = Sim(HOME)
    sim.start()
    sim.press(digit) if digit else sim.say(reply or "")
    assert sim.said[-1] == "good_time"
    assert sim.state.consent is True
    assert not sim.of(DiscardRecording)


def test_unclear_consent_is_asked_once_more_then_declined() -> None:
    sim = Sim(HOME)
    sim.start()
    sim.say("呃这个嘛")
    assert sim.said[-1] == "consent_retry"
    sim.say("你们是哪里")
    f = sim.finished()
    assert f is not None
    assert f.outcome == "declined"


def test_speech_over_the_greeting_is_not_consent() -> None:
    sim = Sim(HOME)
    sim.send(Started())
    # the candidate says "好" while the greeting (no barge-in) is still playing
    sim.send(TurnEnded(1, 1.0, 1.4, 0.4))
    sim.send(TranscriptReady(1, "好"))
    assert sim.state.consent is None
    assert sim.state.phase == "consent"
    sim.play_all()
    sim.say("同意")
    assert sim.state.consent is True


def test_silence_at_consent_reprompts_once_then_no_input() -> None:
    sim = Sim(HOME)
    sim.start()
    sim.silence()
    assert sim.said[-2:] == ["reprompt", "consent"]
    sim.silence()
    assert sim.said[-1] == "no_input"
    f = sim.finished()
    assert f is not None
    assert f.outcome == "no_input"
    assert sim.of(DiscardRecording)  # never consented


# ---- good time / callback --------------------------------------------------------------

NOW = datetime(2025, 3, 5, 10, 0)


@pytest.mark.parametrize(
    ("reply", "expected_at"),
    [
        ("现在不方便，明天晚上吧", "2025-03-06T19:00"),
        ("下午三点再打给我", "2025-03-05T15:00"),
        ("我在开车，半小时后吧", "2025-03-05T10:3"),  # prefix: 30 min after the turn
        ("能不能今天晚上", "2025-03-05T19:00"),
    ],
)
def test_callback_with_a_requested_time(reply: str, expected_at: str) -> None:
    sim = Sim(HOME, now=NOW)
    sim.start()
    sim.say("同意")
    sim.say(reply)
    sim.play_all()
    f = sim.finished()
    assert f is not None
    assert f.outcome == "callback"
    assert str(f.details["callback_at"]).startswith(expected_at)
    assert f.details["callback_default"] is False
    confirm = [c for c in sim.of(Say) if isinstance(c, Say) and c.prompt_key == "callback_confirm"]
    assert confirm
    assert "再给您打电话" in confirm[0].text


def test_callback_without_a_time_asks_when_then_uses_the_default_delay() -> None:
    sim = Sim(HOME, now=NOW)
    sim.start()
    sim.say("同意")
    sim.say("不方便")
    assert sim.said[-1] == "ask_callback_time"
    sim.say("都行，你们看着办")
    f = sim.finished()
    assert f is not None
    assert f.outcome == "callback"
    assert f.details["callback_default"] is True
    delay = HOME.conversation.callback_default_delay_min
    at = datetime.fromisoformat(str(f.details["callback_at"]))
    assert 0 <= (at - NOW).total_seconds() / 60 - delay < 5


def test_callback_time_given_when_asked() -> None:
    sim = Sim(SUPPORT_EN, now=NOW)
    sim.start()
    sim.say("yes")
    sim.say("no, not really")
    assert sim.said[-1] == "ask_callback_time"
    sim.say("tomorrow at 3 pm please")
    f = sim.finished()
    assert f is not None
    assert f.details["callback_at"] == "2025-03-06T15:00"
    assert "tomorrow at 3:00 pm" in [c for c in sim.of(Say) if isinstance(c, Say)][-1].text


def test_good_time_yes_starts_the_questions_and_dtmf_works_there() -> None:
    sim = Sim(HOME)
    sim.start()
    sim.press("1")
    sim.press("1")
    assert sim.said[-1] == "q:home_setup"


# ---- questions: turn-taking ------------------------------------------------------------


def test_long_open_answer_moves_on_without_waiting_for_text() -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    assert sim.state.question is not None
    assert sim.state.question.id == "customer_needs"
    out = sim.send(TurnEnded(99, 100.0, 108.0, 8.0))
    assert not [c for c in out if isinstance(c, NeedTranscript)]
    assert [c.prompt_key for c in out if isinstance(c, Say)] == ["q:angry_customer"]
    # the text arrives later and is kept for scoring
    sim.send(TranscriptReady(99, LONG_ZH))
    turn = sim.state.turn(99)
    assert turn is not None
    assert turn.text == LONG_ZH
    assert turn.step == "customer_needs"


def test_short_open_answer_waits_for_text_and_gets_one_follow_up() -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    out = sim.send(TurnEnded(50, 100.0, 101.5, 1.5))
    assert NeedTranscript(50) in out
    sim.send(TranscriptReady(50, "我会尽量满足客户"))
    assert sim.said[-1] == "q:customer_needs:follow_up"
    assert "一步一步" in [c for c in sim.of(Say) if isinstance(c, Say)][-1].text
    sim.say("就是好好服务", speech_s=1.2)  # still short: no second follow-up
    assert sim.said[-1] == "q:angry_customer"
    assert sim.answers[-1].question_id == "customer_needs"
    assert sim.answers[-1].turn_ids == (50, sim.turn_seq)


@pytest.mark.parametrize("request_text", ["请再说一遍", "没听清", "再说一边", "sorry, pardon?"])
def test_repeat_request_repeats_the_question_at_most_twice(request_text: str) -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    sim.say(request_text, speech_s=0.9)
    assert sim.said[-2:] == ["repeat", "q:customer_needs"]
    sim.say(request_text, speech_s=0.9)
    assert sim.said[-2:] == ["repeat", "q:customer_needs"]
    sim.say(request_text, speech_s=0.9)  # third time: move on
    assert sim.said[-2:] == ["move_on", "q:angry_customer"]
    assert sim.answers[-1].status == "skipped"
    assert sim.state.answers[-1].repeats == 2


def test_silence_reprompts_once_then_moves_on() -> None:
    sim = consented()
    sim.say("有的")
    sim.silence()
    assert sim.said[-2:] == ["reprompt", "q:experience_years"]
    sim.silence()
    assert sim.said[-2:] == ["move_on", "q:customer_needs"]
    assert sim.answers[-1].question_id == "experience_years"
    assert sim.answers[-1].status == "no_input"


def test_silence_timer_starts_when_the_prompt_ends_and_stops_at_speech() -> None:
    sim = consented()  # the first question is queued, not played yet
    assert not [n for n in sim.timers if n.startswith("silence")]
    out = sim.send(PromptDone("q:home_setup", at_s=sim.t + 3))
    started = [c for c in out if isinstance(c, StartTimer)]
    assert [c.seconds for c in started] == [HOME.questions[0].effective_silence_timeout_s]
    out = sim.send(SpeechStarted(sim.t + 4))
    assert out == [CancelTimer(started[0].name)]


def test_stale_timer_firing_is_ignored() -> None:
    sim = consented()
    state = sim.state
    same, out = machine.step(state, TimerFired("silence.0"))
    assert out == []
    assert same == state


def test_two_silent_questions_in_a_row_end_the_call_as_no_input() -> None:
    sim = consented()
    for _ in range(4):
        sim.silence()
    f = sim.finished()
    assert f is not None
    assert f.outcome == "no_input"
    assert not sim.of(DiscardRecording)  # consent was given: the recording is kept


def test_barge_in_stops_the_prompt_and_listens() -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    # the next question is queued; the candidate talks over it
    assert sim.queue
    assert sim.queue[0].prompt_key == "q:customer_needs"
    sim.say(LONG_ZH, speech_s=9.0, barge_in=True)
    assert sim.of(StopSpeaking)
    assert sim.state.barge_ins == 1
    assert sim.answers[-1].question_id == "customer_needs"
    assert sim.state.answers[-1].barge_ins == 1


def test_no_barge_in_on_prompts_that_must_be_heard() -> None:
    sim = Sim(HOME)
    assert sim.send(Started())
    assert sim.send(BargeIn(1.0)) == []  # still in the greeting


def test_stopped_prompts_report_interrupted_and_do_not_start_the_silence_timer() -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    sim.send(BargeIn(sim.t))
    out = sim.send(PromptDone("q:customer_needs", interrupted=True, at_s=sim.t))
    assert not [c for c in out if isinstance(c, StartTimer)]


# ---- yes/no, numbers, choices, knockouts ---------------------------------------------


@pytest.mark.parametrize(
    ("reply", "value", "knocked"),
    [("不行，夜班我做不了", "no", True), ("可以的", "yes", False), ("不太可以", "no", True)],
)
def test_knockout_flags_but_the_interview_continues(reply: str, value: str, knocked: bool) -> None:
    sim = consented(WAREHOUSE)
    sim.say(reply)
    first = sim.answers[0]
    assert (first.question_id, first.value, first.knocked_out) == ("night_shift", value, knocked)
    assert sim.said[-1] == "q:heavy_lifting"  # goes on either way
    finish_home(sim)
    f = sim.finished()
    assert f is not None
    assert f.outcome == "completed"
    assert bool(f.details["knockouts"]) == knocked


@pytest.mark.parametrize(("digit", "value"), [("1", "yes"), ("2", "no")])
def test_dtmf_answers_yes_no_questions(digit: str, value: str) -> None:
    sim = consented(WAREHOUSE)
    sim.press(digit)
    assert sim.answers[0].value == value


def test_unclear_yes_no_gets_one_retry_then_is_recorded_unclear() -> None:
    sim = consented(WAREHOUSE)
    sim.say("这个嘛看情况")
    assert sim.said[-1] == "answer_retry"
    assert "按1" in [c for c in sim.of(Say) if isinstance(c, Say)][-1].text
    sim.say("再看看")
    assert sim.answers[0].status == "unclear"
    assert sim.answers[0].knocked_out is False


@pytest.mark.parametrize(("reply", "value"), [("五天", 5.0), ("一周3天", 3.0), ("一天", 1.0)])
def test_number_answers(reply: str, value: float) -> None:
    sim = consented(WAREHOUSE)
    sim.say("可以")
    sim.say("没问题")
    sim.say(reply)
    answer = sim.answers[-1]
    assert (answer.question_id, answer.value) == ("days_per_week", value)
    assert answer.knocked_out == (value < 2)


@pytest.mark.parametrize(("reply", "choice"), [("坐地铁", "public"), ("骑电动车", "own")])
def test_choice_answers_by_voice(reply: str, choice: str) -> None:
    sim = consented(WAREHOUSE)
    for text in ("可以", "可以", "五天"):
        sim.say(text)
    sim.say(reply)
    assert (sim.answers[-1].question_id, sim.answers[-1].value) == ("commute", choice)


def test_choice_by_keypad() -> None:
    sim = consented(WAREHOUSE)
    for text in ("可以", "可以", "五天"):
        sim.say(text)
    sim.press("3")
    assert sim.answers[-1].value == "shuttle"


# ---- opt-out, hang-up ------------------------------------------------------------------


@pytest.mark.parametrize("at", ["consent", "good_time", "question", "anything_else"])
def test_opt_out_at_any_point(at: str) -> None:
    sim = Sim(HOME)
    sim.start()
    steps = {"consent": [], "good_time": ["同意"], "question": ["同意", "方便", "有的"]}
    for text in steps.get(at, ["同意", "方便"]):
        sim.say(text)
    if at == "anything_else":
        to_anything_else(sim)
    sim.say("不要再给我打电话了", speech_s=1.5)
    assert sim.said[-1] == "opt_out"
    assert sim.of(AddToDoNotCall)
    f = sim.finished()
    assert f is not None
    assert f.outcome == "opted_out"
    assert bool(sim.of(DiscardRecording)) == (at == "consent")


def test_opt_out_in_a_late_transcript() -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    sim.send(TurnEnded(77, 100.0, 103.0, 3.0))  # long enough: the machine moved on
    sim.send(TranscriptReady(77, "你们别再打了，不要再打了"))
    sim.play_all()
    f = sim.finished()
    assert f is not None
    assert f.outcome == "opted_out"


def test_hang_up_mid_question_keeps_what_was_collected() -> None:
    sim = consented()
    sim.say("有的")
    sim.say("三年")
    sim.send(TurnEnded(60, 100.0, 101.0, 1.0))  # short answer, waiting for its text
    sim.hang_up()
    f = sim.finished()
    assert f is not None
    assert f.outcome == "hung_up"
    assert not sim.of(Hangup)  # the candidate already did
    assert [a.question_id for a in sim.answers] == [
        "home_setup",
        "experience_years",
        "customer_needs",
    ]
    assert f.details["answered"] == ["home_setup", "experience_years", "customer_needs"]
    assert not sim.of(DiscardRecording)


def test_hang_up_before_consent_discards_the_recording() -> None:
    sim = Sim(HOME)
    sim.start()
    sim.hang_up()
    f = sim.finished()
    assert f is not None
    assert f.outcome == "hung_up"
    assert sim.of(DiscardRecording)


def test_hang_up_during_the_closing_keeps_the_outcome() -> None:
    sim2 = consented()
    to_anything_else(sim2)
    sim2.send(TurnEnded(500, 300.0, 300.5, 0.5))
    sim2.send(TranscriptReady(500, "没有了"))
    assert sim2.state.phase == "ending"
    sim2.hang_up()
    f = sim2.finished()
    assert f is not None
    assert f.outcome == "completed"


# ---- branching and the end of the interview -----------------------------------------


@pytest.mark.parametrize(
    ("keywords", "asked", "skipped"),
    [
        (("远程客服经验", "Excel"), "remote_workflow", "remote_expectation"),
        (("超市收银",), "remote_expectation", "remote_workflow"),
        ((), "remote_expectation", "remote_workflow"),
    ],
)
def test_branching_on_resume_keywords(keywords: tuple[str, ...], asked: str, skipped: str) -> None:
    sim = consented(HOME, Candidate(resume_keywords=keywords))
    assert asked in sim.state.plan
    assert skipped not in sim.state.plan
    finish_home(sim)
    assert f"q:{asked}" in sim.said
    assert f"q:{skipped}" not in sim.said


def test_english_branch_on_resume_keywords() -> None:
    tech = machine.start(SUPPORT_EN, Candidate(resume_keywords=("SaaS",)), NOW)
    other = machine.start(SUPPORT_EN, Candidate(resume_keywords=("retail",)), NOW)
    assert "technical_issue" in tech.plan
    assert "team_help" not in tech.plan
    assert "team_help" in other.plan
    assert "technical_issue" not in other.plan


def test_anything_else_is_always_asked_before_the_closing() -> None:
    sim = consented()
    finish_home(sim)
    assert sim.said[-2:] == ["anything_else", "closing"]
    f = sim.finished()
    assert f is not None
    assert f.outcome == "completed"
    closing = [c for c in sim.of(Say) if isinstance(c, Say)][-1]
    assert "24小时" in closing.text
    assert closing.barge_in_allowed is False
    assert sim.commands[-2:] == [Hangup(), f]


def test_something_added_at_the_end_is_recorded() -> None:
    sim = consented()
    to_anything_else(sim)
    sim.say("我还想补充一下，我会用Excel做数据统计，也做过三年的电话销售。", speech_s=6.0)
    assert sim.answers[-1].question_id == "anything_else"
    assert sim.said[-1] == "closing"


def test_knocked_out_candidate_still_hears_the_anything_else_and_closing() -> None:
    sim = consented()
    sim.say("没有，我家里比较吵")  # home_setup: knockout
    finish_home(sim)
    assert sim.answers[0].knocked_out
    assert sim.said[-2:] == ["anything_else", "closing"]
    f = sim.finished()
    assert f is not None
    assert f.outcome == "completed"


def test_listen_uses_the_question_timing() -> None:
    sim = consented(WAREHOUSE)
    listens = [c for c in sim.of(Listen) if isinstance(c, Listen)]
    q = WAREHOUSE.questions[0]
    assert listens[-1] == Listen("night_shift", "yes_no", 350, q.effective_max_answer_s)
    open_q = next(q for q in HOME.questions if q.type == "open")
    assert open_q.effective_hangover_ms == 800


def test_state_is_never_mutated() -> None:
    sim = consented()
    before = sim.state
    snapshot = (before.phase, before.index, before.turns, before.answers, before.step)
    machine.step(before, TurnEnded(1, 1.0, 2.0, 1.0))
    assert (before.phase, before.index, before.turns, before.answers, before.step) == snapshot


def test_call_me_later_in_the_middle_of_the_interview() -> None:
    sim = consented(HOME)
    sim.say("有的")
    sim.say("不好意思我现在有点忙，晚点再打给我吧", speech_s=2.0)
    f = sim.finished()
    assert f is not None
    assert f.outcome == "callback"
    assert f.details["answered"] == ["home_setup"]


def test_missing_transcript_times_out_into_a_retry() -> None:
    sim = consented(WAREHOUSE)
    sim.say("可以", transcribe=False)  # the ASR never delivers this turn's text
    assert sim.said[-1] == "q:night_shift"
    sim.silence("transcript")
    assert sim.said[-1] == "answer_retry"
    sim.say("可以")
    assert sim.answers[0].value == "yes"


def test_transcripts_after_the_end_are_stored_silently() -> None:
    sim = consented()
    to_anything_else(sim)
    sim.say(
        "我还想补充一下，我会用Excel做数据统计，也做过三年的电话销售。",
        speech_s=6.0,
        transcribe=False,
    )
    assert sim.finished() is not None
    turn_id = sim.turn_seq
    out = sim.send(TranscriptReady(turn_id, "我还想补充一下"))
    assert out == []
    turn = sim.state.turn(turn_id)
    assert turn is not None
    assert turn.text == "我还想补充一下"
