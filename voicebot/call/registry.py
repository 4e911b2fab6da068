"""Attempts waiting for their AudioSocket connection, and the sessions of connected calls.

The dialer side calls :meth:`CallRegistry.expect` before it originates; the AudioSocket server
calls :meth:`CallRegistry.route` when a UUID arrives. Whichever comes first, the expectation's
future yields the :class:`CallSession`. A UUID nobody expects is refused.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from voicebot.audiosocket.server import AudioSocketProtocol, CallHandler
from voicebot.call.api import CallInfo, Conversation
from voicebot.call.session import CallSession
from voicebot.media.clock import MediaClock
from voicebot.media.recorder import CallRecorder


class _Expectation:
    def __init__(self, info: CallInfo, conversation: Conversation) -> None:
        self.info = info
        self.conversation = conversation
        self.session: asyncio.Future[CallSession] = asyncio.get_running_loop().create_future()


class CallRegistry:
    def __init__(
        self,
        clock: MediaClock,
        recordings_dir: Path,
        io_executor: Executor | None,
        max_duration_s: float,
    ) -> None:
        self._clock = clock
        self._recordings = recordings_dir
        self._executor = io_executor
        self._max_duration_s = max_duration_s
        self._expected: dict[uuid.UUID, _Expectation] = {}
        self._sessions: dict[uuid.UUID, CallSession] = {}

    @contextmanager
    def expect(
        self, info: CallInfo, conversation: Conversation
    ) -> Iterator[asyncio.Future[CallSession]]:
        """Expect the AudioSocket connection of this attempt while the block runs."""
        expectation = _Expectation(info, conversation)
        self._expected[info.attempt_id] = expectation
        try:
            yield expectation.session
        finally:
            self._expected.pop(info.attempt_id, None)
            self._sessions.pop(info.attempt_id, None)
            if not expectation.session.done():
                expectation.session.cancel()

    def route(self, call_id: uuid.UUID, conn: AudioSocketProtocol) -> CallHandler | None:
        expectation = self._expected.get(call_id)
        if expectation is None or expectation.session.done():
            return None
        session = CallSession(
            info=expectation.info,
            conn=conn,
            clock=self._clock,
            recorder=CallRecorder(self.recording_path(call_id), self._executor),
            conversation=expectation.conversation,
            max_duration_s=self._max_duration_s,
        )
        self._sessions[call_id] = session
        expectation.session.set_result(session)
        return session

    def recording_path(self, call_id: uuid.UUID) -> Path:
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        return self._recordings / day / f"{call_id}.wav"

    @property
    def active(self) -> int:
        return len(self._sessions)

    @property
    def waiting(self) -> int:
        return len(self._expected) - len(self._sessions)

    def sessions(self) -> list[CallSession]:
        return list(self._sessions.values())
