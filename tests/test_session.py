"""The call session with an in-memory socket and the real 20 ms clock (short calls)."""

import asyncio
import uuid
from pathlib import Path

import numpy as np
import pytest

from voicebot.audiosocket.codec import FRAME_BYTES
from voicebot.call.api import CallEnded, CallInfo, CallIO, ConversationResult, Dtmf, RemoteHangup
from voicebot.call.session import CallSession
from voicebot.media.clock import MediaClock
from voicebot.media.recorder import CallRecorder


class FakeConnection:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.hung_up = False

    def send_audio(self, pcm: bytes) -> None:
        self.sent.append(pcm)

    def hangup(self) -> None:
        self.hung_up = True

    @property
    def closed(self) -> bool:
        return self.hung_up


def tone(frames: int, value: int = 1000) -> bytes:
    return np.full(frames * FRAME_BYTES // 2, value, dtype="<i2").tobytes()


@pytest.fixture
async def clock():
    c = MediaClock()
    task = asyncio.create_task(c.run())
    yield c
    task.cancel()


def make_session(tmp_path: Path, clock: MediaClock, conversation, max_s: float = 5.0):
    conn = FakeConnection()
    session = CallSession(
        info=CallInfo(attempt_id=uuid.uuid4(), number="cand1"),
        conn=conn,
        clock=clock,
        recorder=CallRecorder(tmp_path / "rec.wav", None),
        conversation=conversation,
        max_duration_s=max_s,
    )
    return session, conn


class Script:
    def __init__(self, body) -> None:
        self.body = body

    async def run(self, call: CallIO) -> ConversationResult:
        return await self.body(call)


async def test_plays_paced_audio_and_hangs_up(tmp_path: Path, clock: MediaClock) -> None:
    async def body(call: CallIO) -> ConversationResult:
        h = call.play(tone(10), "hello")
        assert await call.wait_played(h, timeout=2)
        return ConversationResult("completed", {"t": call.now_s()})

    session, conn = make_session(tmp_path, clock, Script(body))
    record = await session.run()
    assert record.result.outcome == "completed"
    assert record.ended_by == "bot"
    assert conn.hung_up
    voiced = [f for f in conn.sent if any(f)]
    assert len(voiced) == 10
    assert all(len(f) == FRAME_BYTES for f in conn.sent)
    assert record.recording is not None
    assert record.recording.duration_s == pytest.approx(len(conn.sent) * 0.02, abs=0.021)


async def test_events_and_inbound_audio_reach_the_conversation(
    tmp_path: Path, clock: MediaClock
) -> None:
    heard: list[int] = []

    async def body(call: CallIO) -> ConversationResult:
        call.add_audio_listener(lambda pcm, pos: heard.append(pos))
        event = await call.next_event(timeout=2)
        assert isinstance(event, Dtmf)
        return ConversationResult("completed", {"digit": event.digit})

    session, _ = make_session(tmp_path, clock, Script(body))
    task = asyncio.create_task(session.run())
    await asyncio.sleep(0.05)
    for _ in range(3):
        session.on_audio(tone(1))
    session.on_dtmf("1")
    record = await task
    assert record.result.data == {"digit": "1"}
    assert heard == [0, 160, 320]  # call-time sample positions


async def test_remote_hangup_ends_a_waiting_conversation(tmp_path: Path, clock: MediaClock) -> None:
    saw: list[object] = []

    async def body(call: CallIO) -> ConversationResult:
        h = call.play(tone(500), "long prompt")
        try:
            await call.wait_played(h, timeout=20)
        except CallEnded:
            saw.append(await call.next_event(timeout=1))
            raise
        return ConversationResult("completed")

    session, _ = make_session(tmp_path, clock, Script(body))
    task = asyncio.create_task(session.run())
    await asyncio.sleep(0.1)
    session.on_remote_hangup("eof")
    record = await asyncio.wait_for(task, 3)
    assert record.ended_by == "candidate"
    assert record.result.outcome == "hung_up"
    assert isinstance(saw[0], RemoteHangup)
    assert record.duration_s < 1.0  # the 10 s prompt was dropped at once


async def test_maximum_call_length_is_enforced(tmp_path: Path, clock: MediaClock) -> None:
    async def body(call: CallIO) -> ConversationResult:
        await asyncio.sleep(60)
        return ConversationResult("completed")

    session, conn = make_session(tmp_path, clock, Script(body), max_s=0.3)
    record = await asyncio.wait_for(session.run(), 3)
    assert (record.ended_by, record.result.outcome) == ("timeout", "timeout")
    assert conn.hung_up


async def test_a_crashing_conversation_is_reported_and_the_call_still_ends(
    tmp_path: Path, clock: MediaClock
) -> None:
    async def body(call: CallIO) -> ConversationResult:
        raise ValueError("bug")

    session, conn = make_session(tmp_path, clock, Script(body))
    record = await session.run()
    assert record.result.outcome == "error"
    assert "ValueError: bug" in record.result.data["error"]
    assert conn.hung_up


async def test_no_consent_discards_the_recording(tmp_path: Path, clock: MediaClock) -> None:
    async def body(call: CallIO) -> ConversationResult:
        await asyncio.sleep(0.1)
        call.discard_recording()
        return ConversationResult("declined")

    session, _ = make_session(tmp_path, clock, Script(body))
    record = await session.run()
    assert record.recording is None
    assert not (tmp_path / "rec.wav").exists()
