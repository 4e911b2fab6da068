"""The running voicebot: store, AMI, dialer, AudioSocket server, media clock, speech engines
and the HTTP API, wired once and owned by one exit stack and one task group.

    async with Service(settings, speech=True) as service:
        factory = await InterviewFactory.prepare(profile_path, service.speech, service.store)
        result = await service.place_call("cand1", conversations=factory)

Every call attempt is a task the service owns (named ``attempt-<uuid>``); shutting down lets
calls in progress finish for ``call.hangup_grace_s``, then hangs them up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

from aiohttp import web

from voicebot.ami.client import AmiClient
from voicebot.ami.dialer import Dialer, check_number
from voicebot.api.app import create_app
from voicebot.audiosocket.server import AudioSocketServer
from voicebot.call.api import CallInfo, ConversationFactory
from voicebot.call.attempt import AttemptResult, AttemptRunner
from voicebot.call.registry import CallRegistry
from voicebot.config import Settings
from voicebot.errors import VoicebotError
from voicebot.logs import fields
from voicebot.media.clock import MediaClock
from voicebot.speech.stack import SpeechStack
from voicebot.store.db import Store

__all__ = ["AttemptResult", "Service"]

log = logging.getLogger(__name__)


class Service:
    def __init__(
        self,
        settings: Settings,
        conversations: ConversationFactory | None = None,
        *,
        speech: bool = False,
    ) -> None:
        self.settings = settings
        self._conversations = conversations
        self._want_speech = speech
        self._stack = contextlib.AsyncExitStack()
        self._tg: asyncio.TaskGroup | None = None
        self._clock_task: asyncio.Task[None] | None = None
        self._attempt_tasks: set[asyncio.Task[AttemptResult]] = set()
        self._accepting = False
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
        self.audiosocket_address = settings.audiosocket_address
        self._store: Store | None = None
        self._speech: SpeechStack | None = None
        self._attempts: AttemptRunner | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            raise VoicebotError("the service is not running")
        return self._store

    @property
    def speech(self) -> SpeechStack:
        if self._speech is None:
            raise VoicebotError("this service runs without speech (Service(..., speech=True))")
        return self._speech

    # ---- life cycle --------------------------------------------------------------------------
    async def __aenter__(self) -> Service:
        stack = self._stack
        try:
            stack.callback(self.io_executor.shutdown, wait=True)
            self._store = await Store.open(self.settings.storage.database)
            stack.push_async_callback(self._store.close)
            await self.audiosocket.start()
            stack.push_async_callback(self.audiosocket.close)
            a = self.settings.audiosocket
            self.audiosocket_address = a.advertise or f"{a.host}:{self.audiosocket.port}"
            dialer = Dialer(self.ami, self.settings.dial, self.audiosocket_address)
            self.ami.start()
            stack.push_async_callback(self.ami.close)
            if self._want_speech:
                self._speech = await stack.enter_async_context(SpeechStack(self.settings.speech))
            self._attempts = AttemptRunner(
                settings=self.settings,
                store=self._store,
                ami=self.ami,
                dialer=dialer,
                registry=self.registry,
                audiosocket_address=self.audiosocket_address,
            )
            self._tg = await stack.enter_async_context(asyncio.TaskGroup())
            self._clock_task = self._tg.create_task(self.clock.run(), name="media-clock")
            if self.settings.http.enabled:
                await self._start_http()
        except BaseException:
            await stack.aclose()
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
        pending = [t for t in self._attempt_tasks if not t.done()]
        if pending:
            log.info("waiting for calls in progress", extra=fields(calls=len(pending)))
            _, still = await asyncio.wait(pending, timeout=self.settings.call.hangup_grace_s)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=10)
        if self._clock_task is not None:
            self._clock_task.cancel()
        await self._stack.aclose()
        log.info("voicebot service stopped")

    async def _start_http(self) -> None:
        runner = web.AppRunner(create_app(self), access_log=None)
        await runner.setup()
        self._stack.push_async_callback(runner.cleanup)
        site = web.TCPSite(runner, self.settings.http.host, self.settings.http.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.http_port = int(sockets[0].getsockname()[1]) if sockets else self.settings.http.port

    async def wait_ami(self, timeout: float | None = None) -> None:
        await self.ami.wait_ready(timeout)

    # ---- calls -------------------------------------------------------------------------------
    def start_call(
        self, number: str, *, conversations: ConversationFactory | None = None, **info: Any
    ) -> asyncio.Task[AttemptResult]:
        """Start one call attempt as a task the service owns."""
        if not self._accepting or self._tg is None or self._attempts is None:
            raise VoicebotError("the service is not running")
        factory = conversations or self._conversations
        if factory is None:
            raise VoicebotError("no conversation for this call (pass conversations=...)")
        attempt_id = uuid.uuid4()
        call_info = CallInfo(attempt_id=attempt_id, number=check_number(number), **info)
        task = self._tg.create_task(
            self._attempts.run(call_info, factory), name=f"attempt-{attempt_id}"
        )
        self._attempt_tasks.add(task)
        task.add_done_callback(self._attempt_tasks.discard)
        return task

    async def place_call(
        self, number: str, *, conversations: ConversationFactory | None = None, **info: Any
    ) -> AttemptResult:
        return await self.start_call(number, conversations=conversations, **info)

    @property
    def calls_in_progress(self) -> int:
        return sum(1 for t in self._attempt_tasks if not t.done())
