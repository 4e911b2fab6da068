"""The running voicebot: store, AMI, dialer, AudioSocket server, media clock and HTTP API,
wired once under one task group.

    async with Service(settings, conversations) as service:
        result = await service.place_call("cand1")

Every call attempt is a task owned by the service (named ``attempt-<uuid>``); shutting down
lets calls in progress finish for ``call.hangup_grace_s``, then hangs them up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

from voicebot.ami.client import AmiClient, AmiEvent
from voicebot.ami.dialer import Dialer, DialRequest, DialResult, check_number
from voicebot.ami.outcomes import Outcome
from voicebot.api.app import create_app
from voicebot.audiosocket.server import AudioSocketServer
from voicebot.call.api import CallInfo, ConversationFactory
from voicebot.call.registry import CallRegistry
from voicebot.call.session import CallRecord, CallSession
from voicebot.config import Settings
from voicebot.errors import DialError, VoicebotError
from voicebot.logs import bind, fields
from voicebot.media.clock import MediaClock
from voicebot.store.db import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AttemptResult:
    attempt_id: uuid.UUID
    number: str
    dial: DialResult | None
    call: CallRecord | None
    error: str | None = None

    @property
    def outcome(self) -> str:
        return self.dial.outcome.value if self.dial else Outcome.FAILED.value


class Service:
    def __init__(self, settings: Settings, conversations: ConversationFactory) -> None:
        self.settings = settings
        self._conversations = conversations
        self._tg: asyncio.TaskGroup | None = None
        self._clock_task: asyncio.Task[None] | None = None
        self._attempts: set[asyncio.Task[AttemptResult]] = set()
        self._accepting = False
        self._http: web.AppRunner | None = None
        self.http_port: int | None = None
        self.io_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="voicebot-io")
        self.clock = MediaClock()
        self.registry = CallRegistry(
            self.clock, settings.storage.recordings, self.io_executor, settings.call.max_duration_s
        )
        self.audiosocket = AudioSocketServer(
            settings.audiosocket.host, settings.audiosocket.port, self.registry.route
        )
        self.ami = AmiClient(settings.ami)
        self.store: Store | None = None
        self.audiosocket_address = settings.audiosocket_address
        self.dialer: Dialer | None = None

    # ---- life cycle --------------------------------------------------------------------------
    async def __aenter__(self) -> Service:
        self.store = await Store.open(self.settings.storage.database)
        try:
            await self.audiosocket.start()
            a = self.settings.audiosocket
            self.audiosocket_address = a.advertise or f"{a.host}:{self.audiosocket.port}"
            self.dialer = Dialer(self.ami, self.settings.dial, self.audiosocket_address)
            self.ami.start()
            self._tg = asyncio.TaskGroup()
            await self._tg.__aenter__()
            self._clock_task = self._tg.create_task(self.clock.run(), name="media-clock")
            if self.settings.http.enabled:
                await self._start_http()
        except BaseException:
            await self._close_resources()
            raise
        self._accepting = True
        log.info(
            "voicebot service started",
            extra=fields(audiosocket=self.audiosocket_address, http_port=self.http_port),
        )
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._accepting = False
        pending = [t for t in self._attempts if not t.done()]
        if pending:
            log.info("waiting for calls in progress", extra=fields(calls=len(pending)))
            _, still = await asyncio.wait(pending, timeout=self.settings.call.hangup_grace_s)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=10)
        assert self._tg is not None
        if self._clock_task is not None:
            self._clock_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._tg.__aexit__(None, None, None)
        await self._close_resources()
        log.info("voicebot service stopped")

    async def _close_resources(self) -> None:
        if self._http is not None:
            await self._http.cleanup()
            self._http = None
        await self.ami.close()
        await self.audiosocket.close()
        if self.store is not None:
            await self.store.close()
        self.io_executor.shutdown(wait=True)

    async def _start_http(self) -> None:
        self._http = web.AppRunner(create_app(self), access_log=None)
        await self._http.setup()
        site = web.TCPSite(self._http, self.settings.http.host, self.settings.http.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.http_port = int(sockets[0].getsockname()[1]) if sockets else self.settings.http.port

    async def wait_ami(self, timeout: float | None = None) -> None:
        await self.ami.wait_ready(timeout)

    # ---- calls -------------------------------------------------------------------------------
    def start_call(self, number: str, **info: Any) -> asyncio.Task[AttemptResult]:
        """Start one call attempt as a task the service owns."""
        if not self._accepting or self._tg is None:
            raise VoicebotError("the service is not running")
        attempt_id = uuid.uuid4()
        call_info = CallInfo(attempt_id=attempt_id, number=check_number(number), **info)
        task = self._tg.create_task(self._attempt(call_info), name=f"attempt-{attempt_id}")
        self._attempts.add(task)
        task.add_done_callback(self._attempts.discard)
        return task

    async def place_call(self, number: str, **info: Any) -> AttemptResult:
        return await self.start_call(number, **info)

    @property
    def calls_in_progress(self) -> int:
        return sum(1 for t in self._attempts if not t.done())

    async def _attempt(self, info: CallInfo) -> AttemptResult:
        """Dial, run the conversation if answered, and record everything in the store."""
        assert self.store is not None
        assert self.dialer is not None
        attempts = self.store.attempts
        with bind(call_id=str(info.attempt_id), candidate_id=info.candidate_id):
            await attempts.create(info.attempt_id, info.number, info.candidate_id)
            conversation = self._conversations(info)
            dial: DialResult | None = None
            try:
                with (
                    self.registry.expect(info, conversation) as session_future,
                    self._watch_hangup(info.attempt_id) as hung_up,
                ):
                    dial = await self.dialer.dial(DialRequest(info.attempt_id, info.number))
                    await attempts.dialed(
                        info.attempt_id,
                        outcome=dial.outcome.value,
                        reason=dial.reason,
                        cause=dial.cause,
                        cause_text=dial.cause_text,
                        ring_s=dial.ring_s,
                    )
                    if dial.outcome is not Outcome.ANSWERED:
                        return AttemptResult(info.attempt_id, info.number, dial, None)
                    session = await self._await_session(session_future, hung_up)
                    if isinstance(session, str):
                        log.error("answered call lost", extra=fields(error=session))
                        await attempts.failed(info.attempt_id, session, outcome="answered")
                        return AttemptResult(info.attempt_id, info.number, dial, None, session)
                    await attempts.connected(info.attempt_id, session.connected_at)
                    record = await session.run()
                await self._save(record)
                return AttemptResult(info.attempt_id, info.number, dial, record)
            except (DialError, VoicebotError) as exc:
                log.warning("call attempt failed", extra=fields(error=exc))
                await attempts.failed(info.attempt_id, str(exc))
                return AttemptResult(info.attempt_id, info.number, dial, None, str(exc))
            except Exception as exc:
                log.exception("call attempt crashed")
                await attempts.failed(info.attempt_id, f"{type(exc).__name__}: {exc}")
                return AttemptResult(info.attempt_id, info.number, dial, None, str(exc))

    @contextlib.contextmanager
    def _watch_hangup(self, attempt_id: uuid.UUID) -> Iterator[asyncio.Future[str]]:
        """A future set with the hangup cause if the attempt's channel hangs up."""
        uid = str(attempt_id)
        hung: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_hangup(event: AmiEvent) -> None:
            if event.get("uniqueid") == uid and not hung.done():
                hung.set_result(f"{event.get('cause', '?')} {event.get('cause-txt', '')}".strip())

        unsubscribe = self.ami.subscribe("Hangup", on_hangup)
        try:
            yield hung
        finally:
            unsubscribe()
            hung.cancel()

    async def _await_session(
        self, session_future: asyncio.Future[CallSession], hung_up: asyncio.Future[str]
    ) -> CallSession | str:
        """The call's session once AudioSocket connects, or why it never will."""
        waiting: set[asyncio.Future[Any]] = {session_future, hung_up}
        await asyncio.wait(
            waiting,
            timeout=self.settings.audiosocket.connect_timeout_s,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if session_future.done() and not session_future.cancelled():
            return session_future.result()
        if hung_up.done() and not hung_up.cancelled():
            cause = hung_up.result()
            return f"answered, but the channel hung up before reaching AudioSocket (cause {cause})"
        return (
            "answered, but the call never reached the AudioSocket server at "
            f"{self.audiosocket_address} (check the dialplan and the firewall)"
        )

    async def _save(self, record: CallRecord) -> None:
        assert self.store is not None
        recording = None
        if record.recording is not None:
            try:
                recording = record.recording.path.relative_to(self.settings.storage.data_dir)
            except ValueError:
                recording = record.recording.path
        await self.store.attempts.ended(
            record.info.attempt_id,
            ended_at=record.ended_at,
            ended_by=record.ended_by,
            duration_s=record.duration_s,
            result=record.result.outcome,
            result_data=record.result.data,
            recording=recording,
            recording_s=record.recording.duration_s if record.recording else None,
        )
