import asyncio
import itertools

import pytest

from voicebot.media.clock import MediaClock


class VirtualTime:
    """A clock that only moves when the code under test sleeps (or a sink 'works')."""

    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def run_for(clock: MediaClock, vt: VirtualTime, seconds: float) -> None:
    task = asyncio.create_task(clock.run())
    while vt.now < seconds:  # noqa: ASYNC110 - yields to the clock task on virtual time
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_ticks_every_20ms_without_drift() -> None:
    vt = VirtualTime()
    clock = MediaClock(now=vt.time, sleep=vt.sleep)
    ticks: list[float] = []
    clock.add("call", lambda: ticks.append(vt.now))
    await run_for(clock, vt, 10.0)
    assert len(ticks) == pytest.approx(500, abs=1)
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) == pytest.approx(0.020)
    assert ticks[-1] == pytest.approx(0.020 * len(ticks))  # deadlines, not accumulated sleeps
    assert clock.stats.percentiles(50)[0] == pytest.approx(20.0)


async def test_a_short_stall_is_caught_up_and_a_long_one_resyncs() -> None:
    vt = VirtualTime()
    clock = MediaClock(now=vt.time, sleep=vt.sleep, max_catch_up=5)
    count = 0

    def sink() -> None:
        nonlocal count
        count += 1
        if count == 10:
            vt.now += 0.060  # the loop was busy for 3 frames: catch up
        if count == 100:
            vt.now += 1.0  # busy for 50 frames: give up and re-anchor

    clock.add("call", sink)
    await run_for(clock, vt, 3.0)
    # the 3-frame stall was caught up (tick 100 still came at t=2.0 s), the 1 s stall was
    # not replayed: the clock re-anchored at t=3.0 s instead of bursting 49 frames
    assert clock.stats.resyncs == 1
    assert clock.stats.max_lag_ms == pytest.approx(980, abs=1)
    assert 101 <= count <= 103


async def test_a_failing_sink_is_removed_not_fatal() -> None:
    vt = VirtualTime()
    clock = MediaClock(now=vt.time, sleep=vt.sleep)
    good = 0

    def bad() -> None:
        raise RuntimeError("boom")

    def ok() -> None:
        nonlocal good
        good += 1

    clock.add("bad", bad)
    clock.add("ok", ok)
    await run_for(clock, vt, 0.2)
    assert clock.sinks == 1
    assert good >= 9
