"""One call's outbound audio: queued PCM, released one 20 ms frame per clock tick.

Asterisk does not pace what AudioSocket sends it (a 3 s burst plays as 0.16 s), so audio is
never written as it is produced: it is queued here and the shared :class:`MediaClock` takes
exactly one frame per tick — silence when nothing is queued, so the stream never starves.

``clear()`` drops everything queued at once (barge-in): at most the frame already on the wire
is still heard.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field

from voicebot.audiosocket.codec import FRAME_BYTES

SILENCE = bytes(FRAME_BYTES)


@dataclass(eq=False, slots=True)
class PlayHandle:
    """Tracks one queued piece of audio."""

    label: str
    total_bytes: int
    done: asyncio.Future[bool] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    """Resolves True when fully played, False when cleared (interrupted) first."""
    sent_bytes: int = 0
    first_frame_at: float | None = None
    """time.monotonic() of the first frame handed to the socket."""
    tick_index: int | None = None
    """The clock tick (call-relative frame number) of the first frame."""

    @property
    def played_s(self) -> float:
        return self.sent_bytes / (FRAME_BYTES * 50)

    @property
    def interrupted(self) -> bool:
        return self.done.done() and not self.done.result()


class Playout:
    __slots__ = ("_handles", "_queue", "frames_sent", "frames_voiced")

    def __init__(self) -> None:
        self._queue: deque[tuple[memoryview, PlayHandle]] = deque()
        self._handles: deque[PlayHandle] = deque()
        self.frames_sent = 0
        self.frames_voiced = 0

    def enqueue(self, pcm: bytes, label: str = "") -> PlayHandle:
        """Queue 8 kHz slin16 audio; a trailing partial frame is padded with silence."""
        rest = len(pcm) % FRAME_BYTES
        if rest:
            pcm = pcm + bytes(FRAME_BYTES - rest)
        handle = PlayHandle(label=label, total_bytes=len(pcm))
        if pcm:
            self._queue.append((memoryview(pcm), handle))
            self._handles.append(handle)
        else:
            handle.done.set_result(True)
        return handle

    @property
    def speaking(self) -> bool:
        return bool(self._queue)

    @property
    def queued_ms(self) -> int:
        return sum(len(view) for view, _ in self._queue) * 1000 // (FRAME_BYTES * 50)

    def clear(self) -> int:
        """Drop all queued audio (barge-in / hangup); returns how many ms were dropped."""
        dropped = self.queued_ms
        self._queue.clear()
        while self._handles:
            handle = self._handles.popleft()
            if not handle.done.done():
                handle.done.set_result(False)
        return dropped

    def next_frame(self, tick_index: int) -> bytes:
        """The frame for this tick (called by the clock)."""
        self.frames_sent += 1
        if not self._queue:
            return SILENCE
        view, handle = self._queue[0]
        frame = bytes(view[:FRAME_BYTES])
        if handle.first_frame_at is None:
            handle.first_frame_at = time.monotonic()
            handle.tick_index = tick_index
        handle.sent_bytes += FRAME_BYTES
        self.frames_voiced += 1
        if len(view) > FRAME_BYTES:
            self._queue[0] = (view[FRAME_BYTES:], handle)
        else:
            self._queue.popleft()
            self._handles.popleft()
            if not handle.done.done():
                handle.done.set_result(True)
        return frame

    async def wait_done(self, timeout: float) -> bool:
        """Wait until everything queued now has played; False if some of it was cleared."""
        pending = [h.done for h in self._handles]
        if not pending:
            return True
        async with asyncio.timeout(timeout):
            results = await asyncio.gather(*pending)
        return all(results)
