"""The call path against the real Asterisk: voicebot originates, a pjsua2 candidate answers.

Audio is checked at both ends: what voicebot played must arrive in the candidate's recording
(at the right length: paced, not bursted), what the candidate said must arrive in voicebot's
stereo recording (left channel).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from voicebot.call.api import CallIO, ConversationResult, Dtmf
from voicebot.call.fixed_prompt import FixedPrompt, FixedPromptConversation
from voicebot.config import Settings
from voicebot.service import Service
from voicebot.testing.analysis import voiced
from voicebot.testing.harness import CandidateProcess
from voicebot.testing.spec import CandidateSpec, ScriptSpec, dtmf, hangup, say

from .support import ANSWER_EN, ASSETS, asterisk

pytestmark = pytest.mark.asterisk

PROMPT = FixedPrompt.bundled()
PROMPT_S = len(PROMPT.prompt) / 16000  # 6.36 s
GOODBYE_S = len(PROMPT.goodbye) / 16000  # 1.25 s


def fixed(info: object) -> FixedPromptConversation:
    return FixedPromptConversation(PROMPT)


async def test_answered_call_carries_audio_both_ways(settings: Settings, agent_spec) -> None:
    spec = agent_spec(CandidateSpec(user="cand1", script=ScriptSpec(steps=(say(ANSWER_EN),))))
    async with CandidateProcess(spec) as cands, Service(settings, fixed) as svc:
        await svc.wait_ami()
        result = await svc.place_call("cand1")
        heard = await cands.wait_event("call_end", timeout=15, user="cand1")
        assert svc.store is not None
        row = await svc.store.attempts.get(result.attempt_id)

    assert result.outcome == "answered"
    assert result.error is None
    call = result.call
    assert call is not None
    assert call.ended_by == "bot"
    assert call.result.outcome == "completed"

    # voicebot heard the answer: the endpointer's turn matches the WAV's speech
    answer = voiced(ANSWER_EN)
    data = call.result.data
    assert data["answer_s"] == pytest.approx(answer.last_s - answer.first_s, abs=0.35)
    assert call.recording is not None
    left = voiced(call.recording.path, channel=0)
    assert left.voiced_s == pytest.approx(answer.voiced_s, abs=0.4)
    right = voiced(call.recording.path, channel=1)
    played = voiced(ASSETS / "hello_en.wav").voiced_s + voiced(ASSETS / "goodbye_en.wav").voiced_s
    assert right.voiced_s == pytest.approx(played, abs=0.1)

    # the candidate heard the prompt and the goodbye, at full length (paced, not bursted)
    assert heard["ended_by"] == "remote"  # the bot hung up
    assert heard["status_code"] == 200
    rec = voiced(Path(heard["recording"]))
    assert rec.first_s is not None
    assert rec.first_s < 0.6  # the prompt starts at once
    assert rec.voiced_s == pytest.approx(right.voiced_s, abs=0.5)
    timeline = {m["what"]: m["at"] for m in heard["timeline"]}
    assert timeline["prompt_end"] - timeline["prompt_start"] == pytest.approx(
        PROMPT_S + 0.9, abs=0.5
    )

    # and the store has the whole story
    assert row is not None
    assert (row.state, row.outcome, row.result, row.ended_by) == (
        "ended",
        "answered",
        "completed",
        "bot",
    )
    assert row.recording is not None
    assert (settings.storage.data_dir / row.recording).exists()


async def test_candidate_hangs_up_during_the_prompt(settings: Settings, agent_spec) -> None:
    spec = agent_spec(
        CandidateSpec(user="cand2", script=ScriptSpec(steps=(hangup(barge_in_after_s=1.0),)))
    )
    async with CandidateProcess(spec) as cands, Service(settings, fixed) as svc:
        await svc.wait_ami()
        result = await svc.place_call("cand2")
        heard = await cands.wait_event("call_end", timeout=10, user="cand2")
    call = result.call
    assert call is not None
    assert (call.ended_by, call.result.outcome) == ("candidate", "hung_up")
    assert call.duration_s < 3.0
    assert heard["ended_by"] == "local"


@pytest.mark.parametrize(
    ("behaviour", "number", "outcome", "cause"),
    [
        ("busy", "cand3", "busy", 17),
        ("reject", "cand4", "rejected", 21),
        ("ignore", "cand5", "no_answer", 19),
        (None, "cand19", "unreachable", None),  # a test endpoint nobody registered
        (None, "nowhere", "unreachable", 19),  # a static peer whose address answers nothing
    ],
)
async def test_unanswered_calls_map_to_outcomes(
    settings: Settings,
    agent_spec,
    behaviour: str | None,
    number: str,
    outcome: str,
    cause: int | None,
) -> None:
    user = number if behaviour else "cand6"
    spec = agent_spec(CandidateSpec(user=user, script=ScriptSpec(behaviour=behaviour or "answer")))
    async with CandidateProcess(spec), Service(settings, fixed) as svc:
        await svc.wait_ami()
        result = await svc.place_call(number)
        assert svc.store is not None
        row = await svc.store.attempts.get(result.attempt_id)
    assert result.dial is not None
    assert result.outcome == outcome
    assert result.dial.cause == cause
    assert result.call is None
    assert row is not None
    assert (row.state, row.outcome, row.cause) == ("ended", outcome, cause)


class WaitForKeys:
    """A conversation that plays the prompt, then collects keypad digits for a while."""

    def __init__(self) -> None:
        self.digits: list[str] = []

    async def run(self, call: CallIO) -> ConversationResult:
        await call.wait_played(call.play(PROMPT.goodbye, "prompt"), timeout=10)
        while len(self.digits) < 2:
            event = await call.next_event(timeout=10)
            if event is None:
                break
            if isinstance(event, Dtmf):
                self.digits.append(event.digit)
        return ConversationResult("completed", {"digits": "".join(self.digits)})


async def test_keypad_digits_reach_the_conversation(settings: Settings, agent_spec) -> None:
    spec = agent_spec(
        CandidateSpec(
            user="cand7",
            script=ScriptSpec(steps=(dtmf("1"), dtmf("2", wait_prompt=False, pause_s=0.5))),
        )
    )
    async with CandidateProcess(spec), Service(settings, lambda info: WaitForKeys()) as svc:
        await svc.wait_ami()
        result = await svc.place_call("cand7")
    assert result.call is not None
    assert result.call.result.data == {"digits": "12"}


async def test_a_crash_fails_the_call_in_flight_and_the_service_reconnects(
    settings: Settings, agent_spec
) -> None:
    """AMI loss: Asterisk dies while a call rings. That attempt fails (retryable: the
    candidate never had a chance), AMI reconnects by itself, the next call works."""
    answering = ScriptSpec(steps=(say(ANSWER_EN),))
    spec = agent_spec(
        CandidateSpec(user="cand8", script=ScriptSpec(behaviour="ignore")),
        # a static peer (pjsip.conf: loadcand -> 127.0.0.1:5080): a crash loses registrations,
        # which real phones restore on their next refresh; a static peer needs none
        CandidateSpec(user="loadcand", registers=False, default=True, script=answering),
        sip_port=5080,
    )
    long_ring = settings.dial.model_copy(update={"ring_timeout_s": 20.0})
    async with (
        CandidateProcess(spec) as cands,
        Service(settings.model_copy(update={"dial": long_ring}), fixed) as svc,
    ):
        await svc.wait_ami()
        ringing = svc.start_call("cand8")
        await cands.wait_event("incoming", timeout=5, user="cand8")
        killed = await asyncio.to_thread(asterisk, "kill")
        assert killed.returncode == 0, killed.stderr
        lost = await asyncio.wait_for(ringing, 5)
        assert lost.outcome == "failed"
        assert lost.error is not None
        assert "connection lost" in lost.error
        assert not svc.ami.ready

        started = await asyncio.to_thread(asterisk, "start")
        assert started.returncode == 0, started.stderr
        await svc.wait_ami(timeout=15)
        assert svc.ami.reconnects >= 1
        again = await svc.place_call("loadcand")
        await cands.wait_event("call_end", timeout=15, user="loadcand")
        assert svc.store is not None
        row = await svc.store.attempts.get(lost.attempt_id)
    assert again.outcome == "answered"
    assert again.call is not None
    assert again.call.result.outcome == "completed"
    assert row is not None
    assert (row.state, row.outcome) == ("ended", "failed")


async def test_a_graceful_restart_is_survived(settings: Settings, agent_spec) -> None:
    spec = agent_spec(CandidateSpec(user="cand10", script=ScriptSpec(steps=(say(ANSWER_EN),))))
    async with CandidateProcess(spec) as cands, Service(settings, fixed) as svc:
        await svc.wait_ami()
        restarted = await asyncio.to_thread(asterisk, "restart")
        assert restarted.returncode == 0, restarted.stderr
        await svc.wait_ami(timeout=15)
        result = await svc.place_call("cand10")
        await cands.wait_event("call_end", timeout=15, user="cand10")
    assert result.outcome == "answered"
    assert result.call is not None
    assert result.call.result.outcome == "completed"


async def test_an_unreachable_audiosocket_fails_fast_with_a_clear_error(
    settings: Settings, agent_spec
) -> None:
    """Misconfigured audiosocket.advertise: Asterisk cannot connect, the channel hangs up."""
    wrong = settings.audiosocket.model_copy(update={"advertise": "127.0.0.1:9"})
    spec = agent_spec(CandidateSpec(user="cand11", script=ScriptSpec()))
    async with (
        CandidateProcess(spec),
        Service(settings.model_copy(update={"audiosocket": wrong}), fixed) as svc,
    ):
        await svc.wait_ami()
        started = asyncio.get_running_loop().time()
        result = await svc.place_call("cand11")
        elapsed = asyncio.get_running_loop().time() - started
    assert result.outcome == "answered"
    assert result.call is None
    assert result.error is not None
    assert "hung up before reaching AudioSocket" in result.error
    assert elapsed < 5  # not the 10 s connect timeout
