"""One deadline clock paces the outbound audio of every call in the process.

A task per call that sleeps 20 ms drifts and costs a wake-up per call; this clock wakes once
per 20 ms for all calls (``next_tick += 0.020``, never ``sleep(0.02)``) and asks each
registered sink for one frame. When the loop falls behind, the missed ticks run back to back
(Asterisk forwards them at once; the far end's jitter buffer absorbs a few tens of ms); beyond
``max_catch_up`` ticks the clock re-anchors and counts a resync instead of bursting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import numpy as np

from voicebot.logs import fields

log = logging.getLogger(__name__)

FRAME_S = 0.020
Sink = Callable[[], None]


class ClockStats:
    """Intervals between consecutive ticks (ms), kept in a ring for percentiles."""

    def __init__(self, size: int = 60_000) -> None:
        self._ring = np.zeros(size, dtype=np.float32)
        self._n = 0
        self.ticks = 0
        self.resyncs = 0
        self.max_lag_ms = 0.0
        self.max_tick_work_ms = 0.0

    def add_interval(self, ms: float) -> None:
        self._ring[self._n % len(self._ring)] = ms
        self._n += 1

    def reset(self) -> None:
        self._n = 0
        self.resyncs = 0
        self.max_lag_ms = 0.0
        self.max_tick_work_ms = 0.0

    def percentiles(self, *qs: float) -> list[float]:
        n = min(self._n, len(self._ring))
        if n == 0:
            return [0.0 for _ in qs]
        return [float(v) for v in np.percentile(self._ring[:n], qs)]

    @property
    def samples(self) -> int:
        return min(self._n, len(self._ring))


class MediaClock:
    """``now``/``sleep`` default to the running loop's; tests pass a virtual clock."""

    def __init__(
        self,
        frame_s: float = FRAME_S,
        max_catch_up: int = 5,
        now: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.frame_s = frame_s
        self.max_catch_up = max_catch_up
        self._now = now
        self._sleep = sleep or asyncio.sleep
        self._sinks: dict[object, Sink] = {}
        self.stats = ClockStats()

    def add(self, key: object, sink: Sink) -> None:
        self._sinks[key] = sink

    def remove(self, key: object) -> None:
        self._sinks.pop(key, None)

    @property
    def sinks(self) -> int:
        return len(self._sinks)

    async def run(self) -> None:
        clock = self._now or asyncio.get_running_loop().time
        stats = self.stats
        next_tick = clock()
        last = next_tick
        while True:
            next_tick += self.frame_s
            delay = next_tick - clock()
            if delay > 0:
                await self._sleep(delay)
            else:
                lag = -delay
                if self._sinks:  # the stats describe calls: idle lateness costs nobody
                    stats.max_lag_ms = max(stats.max_lag_ms, lag * 1000)
                if lag > self.max_catch_up * self.frame_s:
                    if self._sinks:
                        stats.resyncs += 1
                        log.warning(
                            "media clock fell behind: resync",
                            extra=fields(lag_ms=round(lag * 1000), calls=len(self._sinks)),
                        )
                    next_tick = clock()
            now = clock()
            if self._sinks:
                stats.add_interval((now - last) * 1000)
            last = now
            stats.ticks += 1
            for sink in list(self._sinks.values()):
                try:
                    sink()
                except Exception:
                    log.exception("media sink failed; removing it")
                    self._sinks = {k: s for k, s in self._sinks.items() if s is not sink}
            stats.max_tick_work_ms = max(stats.max_tick_work_ms, (clock() - now) * 1000)
