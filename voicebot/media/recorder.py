"""The call recording voicebot writes itself: stereo WAV, candidate left, bot right, 8 kHz.

The bot track gets one frame per clock tick (voice or silence), so its length is call time.
The candidate track follows the frames Asterisk sends; when packets go missing it falls
behind, and is padded with silence to stay within one frame of the bot track, so a word and
the prompt that followed it line up in the file as they did on the line.

Samples are buffered in memory and written by :meth:`run` (about once a second) in the I/O
executor; a crash loses at most that second. ``discard()`` deletes the file (no consent).
"""

from __future__ import annotations

import asyncio
import logging
import wave
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicebot.audiosocket.codec import FRAME_SAMPLES, SAMPLE_RATE

log = logging.getLogger(__name__)

_MAX_LAG_SAMPLES = 3 * FRAME_SAMPLES


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    path: Path
    duration_s: float
    candidate_s: float
    """Seconds of candidate audio that arrived (excluding padding)."""


class CallRecorder:
    def __init__(self, path: Path, executor: Executor | None, flush_s: float = 1.0) -> None:
        self.path = path
        self._executor = executor
        self._flush_s = flush_s
        self._left: list[bytes] = []  # candidate, pending write
        self._right: list[bytes] = []  # bot, pending write
        self._left_n = 0  # samples of each track not yet written
        self._right_n = 0
        self._left_total = 0  # samples since call start
        self._right_total = 0
        self._received = 0
        self._writer: wave.Wave_write | None = None
        self._written = 0
        self._closed = False
        self._discarded = False

    # ---- called from the media path (sync, cheap) ----
    def candidate(self, pcm: bytes) -> None:
        if self._closed:
            return
        n = len(pcm) // 2
        gap = self._right_total - _MAX_LAG_SAMPLES - self._left_total
        if gap > 0:  # lost packets: keep the tracks aligned
            self._left.append(bytes(gap * 2))
            self._left_n += gap
            self._left_total += gap
        self._left.append(pcm)
        self._left_n += n
        self._left_total += n
        self._received += n

    def bot(self, pcm: bytes) -> None:
        if self._closed:
            return
        n = len(pcm) // 2
        self._right.append(pcm)
        self._right_n += n
        self._right_total += n

    # ---- writing ----
    async def run(self) -> None:
        """Flush periodically until cancelled (owned by the call's task group)."""
        while True:
            await asyncio.sleep(self._flush_s)
            await self._flush(final=False)

    async def close(self) -> RecordingInfo | None:
        """Write the rest and close the file; None if discarded or empty."""
        if self._closed:
            return None if self._discarded else self._info()
        self._closed = True
        if self._discarded:
            return None
        await self._flush(final=True)
        loop = asyncio.get_running_loop()
        if self._writer is not None:
            await loop.run_in_executor(self._executor, self._writer.close)
            self._writer = None
        return self._info() if self._written else None

    async def discard(self) -> None:
        """Stop recording and delete whatever was written."""
        self._closed = True
        self._discarded = True
        self._left.clear()
        self._right.clear()
        loop = asyncio.get_running_loop()
        writer, self._writer = self._writer, None
        await loop.run_in_executor(self._executor, _remove, writer, self.path)

    def _info(self) -> RecordingInfo:
        return RecordingInfo(
            path=self.path,
            duration_s=round(self._written / SAMPLE_RATE, 3),
            candidate_s=round(self._received / SAMPLE_RATE, 3),
        )

    def _take(self, final: bool) -> bytes | None:
        n = max(self._left_n, self._right_n) if final else min(self._left_n, self._right_n)
        if n == 0:
            return None
        left = _take_samples(self._left, n)
        right = _take_samples(self._right, n)
        self._left_n = max(0, self._left_n - n)
        self._right_n = max(0, self._right_n - n)
        stereo = np.empty(2 * n, dtype="<i2")
        stereo[0::2] = left
        stereo[1::2] = right
        return stereo.tobytes()

    async def _flush(self, final: bool) -> None:
        chunk = self._take(final)
        if chunk is None:
            return
        loop = asyncio.get_running_loop()
        if self._writer is None:
            self._writer = await loop.run_in_executor(self._executor, _open, self.path)
        await loop.run_in_executor(self._executor, self._writer.writeframes, chunk)
        self._written += len(chunk) // 4


def _take_samples(parts: list[bytes], n: int) -> np.ndarray:
    """Remove n samples from the front of parts (zero-padded if short)."""
    out = np.zeros(n, dtype="<i2")
    filled = 0
    while parts and filled < n:
        head = np.frombuffer(parts[0], dtype="<i2")
        use = min(len(head), n - filled)
        out[filled : filled + use] = head[:use]
        filled += use
        if use < len(head):
            parts[0] = head[use:].tobytes()
        else:
            parts.pop(0)
    return out


def _open(path: Path) -> wave.Wave_write:
    path.parent.mkdir(parents=True, exist_ok=True)
    w = wave.open(str(path), "wb")  # noqa: SIM115 - kept open across flushes, closed in close()
    w.setnchannels(2)
    w.setsampwidth(2)
    w.setframerate(SAMPLE_RATE)
    return w


def _remove(writer: wave.Wave_write | None, path: Path) -> None:
    if writer is not None:
        writer.close()
    path.unlink(missing_ok=True)
