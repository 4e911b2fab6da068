import asyncio

import pytest

from voicebot.audiosocket.codec import FRAME_BYTES
from voicebot.media.playout import SILENCE, Playout


async def test_silence_when_idle_and_frames_in_order() -> None:
    p = Playout()
    assert p.next_frame(0) == SILENCE
    a = p.enqueue(b"\x01" * FRAME_BYTES * 2, "a")
    b = p.enqueue(b"\x02" * (FRAME_BYTES + 10), "b")  # padded to two frames
    out = [p.next_frame(i) for i in range(1, 6)]
    assert out[0] == out[1] == b"\x01" * FRAME_BYTES
    assert out[2] == b"\x02" * FRAME_BYTES
    assert out[3] == b"\x02" * 10 + bytes(FRAME_BYTES - 10)
    assert out[4] == SILENCE
    assert a.done.result() is True
    assert b.done.result() is True
    assert a.tick_index == 1
    assert b.tick_index == 3
    assert p.frames_sent == 6
    assert p.frames_voiced == 4


async def test_clear_interrupts_everything_queued() -> None:
    p = Playout()
    a = p.enqueue(b"\x01" * FRAME_BYTES * 50)
    b = p.enqueue(b"\x02" * FRAME_BYTES * 50)
    p.next_frame(0)
    assert p.speaking
    assert p.queued_ms == 1980  # 99 frames left
    assert p.clear() == 1980
    assert not p.speaking
    assert p.next_frame(1) == SILENCE
    assert a.interrupted
    assert b.interrupted
    assert a.played_s == pytest.approx(0.02)


async def test_wait_done() -> None:
    p = Playout()
    p.enqueue(b"\x01" * FRAME_BYTES * 3)

    async def drain() -> None:
        for i in range(3):
            await asyncio.sleep(0)
            p.next_frame(i)

    task = asyncio.create_task(drain())
    assert await p.wait_done(timeout=1) is True
    await task
    assert await p.wait_done(timeout=1) is True  # nothing queued
    p.enqueue(b"\x01" * FRAME_BYTES)
    with pytest.raises(TimeoutError):
        await p.wait_done(timeout=0.05)


async def test_empty_audio_is_done_at_once() -> None:
    assert Playout().enqueue(b"").done.result() is True
