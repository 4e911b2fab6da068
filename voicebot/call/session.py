"""One answered call: its socket, paced playout, recording and the conversation task.

Created the moment the AudioSocket UUID arrives (so silence starts flowing at once: a stream
that starts late makes Asterisk hold the first audio ~500 ms); :meth:`CallSession.run` then
drives the conversation until it returns, the candidate hangs up, or the call hits its
maximum length — and always hangs up, closes the recording and reports a :class:`CallRecord`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from voicebot.audiosocket.codec import SAMPLE_RATE
from voicebot.audiosocket.server import Connection
from voicebot.call.api import (
    AudioListener,
    CallEnded,
    CallEvent,
    CallInfo,
    Conversation,
    ConversationResult,
    Dtmf,
    RemoteHangup,
)
from voicebot.logs import bind, fields
from voicebot.media.clock import MediaClock
from voicebot.media.playout import PlayHandle, Playout
from voicebot.media.recorder import CallRecorder, RecordingInfo

log = logging.getLogger(__name__)

_EVENT_QUEUE = 256
_HANGUP_GRACE_S = 2.0


@dataclass(frozen=True, slots=True)
class CallRecord:
    info: CallInfo
    connected_at: datetime
    ended_at: datetime
    duration_s: float
    ended_by: str
    """candidate / bot / timeout / shutdown / error"""
    hangup_reason: str
    recording: RecordingInfo | None
    result: ConversationResult
    frames_in: int
    frames_out: int


class CallSession:
    def __init__(
        self,
        *,
        info: CallInfo,
        conn: Connection,
        clock: MediaClock,
        recorder: CallRecorder,
        conversation: Conversation,
        max_duration_s: float,
    ) -> None:
        self._info = info
        self._conn = conn
        self._clock = clock
        self._recorder = recorder
        self._conversation = conversation
        self._max_duration_s = max_duration_s
        self._playout = Playout()
        self._ticks = 0
        self._in_samples = 0
        self._events: asyncio.Queue[CallEvent] = asyncio.Queue(maxsize=_EVENT_QUEUE)
        self._hung_up = asyncio.Event()
        self._hangup_reason = ""
        self._listeners: list[AudioListener] = []
        self._discard = False
        self.events_dropped = 0
        self.connected_at = datetime.now(UTC)
        self._t0 = time.monotonic()
        clock.add(self, self._tick)

    # ---- CallHandler (from the AudioSocket protocol; sync, on the media path) ----------------
    def on_audio(self, pcm: bytes) -> None:
        self._recorder.candidate(pcm)
        position = self._in_samples
        self._in_samples += len(pcm) // 2
        for listener in self._listeners:
            listener(pcm, position)

    def on_dtmf(self, digit: str) -> None:
        self._post(Dtmf(digit, self.now_s()))

    def on_remote_hangup(self, reason: str) -> None:
        if self._hung_up.is_set():
            return
        self._hangup_reason = reason
        self._hung_up.set()
        self._playout.clear()
        self._clock.remove(self)
        self._post(RemoteHangup(reason, self.now_s()))

    def _post(self, event: CallEvent) -> None:
        if self._events.full():  # never block the reader: drop the oldest, count it
            self._events.get_nowait()
            self.events_dropped += 1
        self._events.put_nowait(event)

    # ---- the clock's sink ----------------------------------------------------------------------
    def _tick(self) -> None:
        frame = self._playout.next_frame(self._ticks)
        self._ticks += 1
        self._conn.send_audio(frame)
        self._recorder.bot(frame)

    # ---- CallIO --------------------------------------------------------------------------------
    @property
    def info(self) -> CallInfo:
        return self._info

    def now_s(self) -> float:
        return self._ticks * 0.020

    def inbound_s(self) -> float:
        return self._in_samples / SAMPLE_RATE

    def play(self, pcm: bytes, label: str = "") -> PlayHandle:
        return self._playout.enqueue(pcm, label)

    def stop_playing(self) -> int:
        return self._playout.clear()

    @property
    def speaking(self) -> bool:
        return self._playout.speaking

    async def wait_played(self, handle: PlayHandle, timeout: float) -> bool:
        if self._hung_up.is_set():
            raise CallEnded(self._hangup_reason)
        hang: asyncio.Future[Any] = asyncio.ensure_future(self._hung_up.wait())
        waiting: set[asyncio.Future[Any]] = {handle.done, hang}
        try:
            done, _ = await asyncio.wait(
                waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            hang.cancel()
        if self._hung_up.is_set():  # a hangup clears the playout too: it is not a barge-in
            raise CallEnded(self._hangup_reason)
        if handle.done in done:
            return handle.done.result()
        raise TimeoutError(f"playout of {handle.label!r} did not finish in {timeout:.1f} s")

    async def next_event(self, timeout: float) -> CallEvent | None:
        try:
            async with asyncio.timeout(timeout):
                return await self._events.get()
        except TimeoutError:
            return None

    def add_audio_listener(self, listener: AudioListener) -> Callable[[], None]:
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    @property
    def hung_up(self) -> bool:
        return self._hung_up.is_set()

    async def wait_hung_up(self) -> None:
        await self._hung_up.wait()

    def discard_recording(self) -> None:
        self._discard = True

    # ---- running the call ----------------------------------------------------------------------
    async def run(self) -> CallRecord:
        call_id = str(self._info.attempt_id)
        with bind(call_id=call_id, candidate_id=self._info.candidate_id):
            log.info("call connected")
            recorder_task = asyncio.create_task(self._recorder.run(), name=f"recorder-{call_id}")
            conv_task = asyncio.create_task(
                self._conversation.run(self), name=f"conversation-{call_id}"
            )
            ended_by = "bot"
            try:
                result, ended_by = await self._converse(conv_task)
                if not self._hung_up.is_set() and self._playout.speaking:
                    with contextlib.suppress(TimeoutError):
                        await self._playout.wait_done(timeout=30)  # let the goodbye finish
            finally:
                if not conv_task.done():
                    conv_task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await conv_task
                self._clock.remove(self)
                self._conn.hangup()
                recorder_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await recorder_task
                if self._discard:
                    await self._recorder.discard()
                    recording = None
                else:
                    recording = await self._recorder.close()
            ended_at = datetime.now(UTC)
            record = CallRecord(
                info=self._info,
                connected_at=self.connected_at,
                ended_at=ended_at,
                duration_s=round(time.monotonic() - self._t0, 3),
                ended_by=ended_by,
                hangup_reason=self._hangup_reason,
                recording=recording,
                result=result,
                frames_in=self._in_samples // 160,
                frames_out=self._ticks,
            )
            log.info(
                "call ended",
                extra=fields(
                    ended_by=ended_by, outcome=result.outcome, duration_s=record.duration_s
                ),
            )
            return record

    async def _converse(
        self, conv_task: asyncio.Task[ConversationResult]
    ) -> tuple[ConversationResult, str]:
        hang = asyncio.create_task(self._hung_up.wait(), name="hangup-watch")
        try:
            done, _ = await asyncio.wait(
                {conv_task, hang}, timeout=self._max_duration_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            hang.cancel()
        if conv_task in done:
            return self._result_of(conv_task), ("candidate" if self._hung_up.is_set() else "bot")
        if self._hung_up.is_set():
            # give the conversation a moment to notice (CallEnded) and return what it has
            try:
                async with asyncio.timeout(_HANGUP_GRACE_S):
                    await asyncio.wait({conv_task})
                return self._result_of(conv_task), "candidate"
            except TimeoutError:
                return ConversationResult("hung_up"), "candidate"
        log.warning("call reached its maximum length", extra=fields(max_s=self._max_duration_s))
        conv_task.cancel()
        return ConversationResult("timeout"), "timeout"

    def _result_of(self, task: asyncio.Task[ConversationResult]) -> ConversationResult:
        if task.cancelled():
            return ConversationResult("hung_up")
        exc = task.exception()
        if exc is None:
            return task.result()
        if isinstance(exc, CallEnded):
            return ConversationResult("hung_up")
        log.error("conversation failed", exc_info=exc)
        return ConversationResult("error", {"error": f"{type(exc).__name__}: {exc}"})
