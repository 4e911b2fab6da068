"""The AudioSocket TCP server: one lean asyncio.Protocol per call, no task per connection.

Asterisk's ``AudioSocket(uuid, host:port)`` connects, sends the UUID frame, then audio frames
every 20 ms until either side hangs up (a far-end hangup is a plain TCP EOF). The protocol
parses frames as they arrive and calls the :class:`CallHandler` the router returns for the
UUID — synchronously, so the reader never blocks and never queues audio behind other work.
A connection whose UUID nobody expects is refused (error frame, then close).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from typing import Protocol

from voicebot.audiosocket.codec import (
    HANGUP_FRAME,
    BadFrameError,
    Frame,
    FrameParser,
    Kind,
    encode,
    encode_audio,
)
from voicebot.errors import ProtocolError
from voicebot.logs import fields

log = logging.getLogger(__name__)

UUID_TIMEOUT_S = 5.0


class CallHandler(Protocol):
    """What the server drives for one connected call (implemented by the call session)."""

    def on_audio(self, pcm: bytes) -> None: ...
    def on_dtmf(self, digit: str) -> None: ...
    def on_remote_hangup(self, reason: str) -> None: ...


class Connection(Protocol):
    """What a call session may do with its socket."""

    def send_audio(self, pcm: bytes) -> None: ...
    def hangup(self) -> None: ...
    @property
    def closed(self) -> bool: ...


Router = Callable[[uuid.UUID, "AudioSocketProtocol"], CallHandler | None]
"""Given a call's UUID and its connection, return the handler, or None to refuse the call."""


class AudioSocketProtocol(asyncio.Protocol):
    def __init__(self, router: Router) -> None:
        self._router = router
        self._parser = FrameParser()
        self._transport: asyncio.Transport | None = None
        self._handler: CallHandler | None = None
        self._uuid_timer: asyncio.TimerHandle | None = None
        self._closed = False
        self._hangup_reported = False
        self.call_id: uuid.UUID | None = None
        self.frames_in = 0
        self.bytes_out = 0

    # ---- asyncio.Protocol ----
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._uuid_timer = asyncio.get_running_loop().call_later(UUID_TIMEOUT_S, self._no_uuid)

    def data_received(self, data: bytes) -> None:
        error: BadFrameError | None = None
        try:
            frames = self._parser.feed(data)
        except BadFrameError as exc:
            frames, error = exc.frames, exc
        for frame in frames:
            self._handle(frame)
            if self._closed:
                return
        if error is not None:
            log.warning(
                "AudioSocket protocol error", extra=fields(call_id=self.call_id, error=error)
            )
            self._report_hangup("protocol error")
            self.hangup()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        if self._uuid_timer:
            self._uuid_timer.cancel()
        self._report_hangup("eof" if exc is None else f"socket error: {exc}")

    # ---- Connection ----
    def send_audio(self, pcm: bytes) -> None:
        if self._closed or self._transport is None:
            return
        data = encode_audio(pcm)
        self._transport.write(data)
        self.bytes_out += len(data)

    def hangup(self) -> None:
        """Tell Asterisk to end the call and close the socket."""
        if self._closed or self._transport is None:
            return
        self._closed = True
        self._transport.write(HANGUP_FRAME)
        self._transport.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def write_buffer(self) -> int:
        return self._transport.get_write_buffer_size() if self._transport else 0

    # ---- internals ----
    def _handle(self, frame: Frame) -> None:
        kind = frame.kind
        if kind is Kind.AUDIO:
            self.frames_in += 1
            if self._handler is not None:
                self._handler.on_audio(frame.payload)
        elif kind is Kind.UUID:
            self._on_uuid(frame)
        elif kind is Kind.DTMF:
            if self._handler is not None:
                self._handler.on_dtmf(frame.digit)
        elif kind is Kind.HANGUP:
            self._report_hangup("hangup frame")
            self.hangup()
        elif kind is Kind.ERROR:
            code = frame.payload.hex() or "none"
            log.warning("AudioSocket error frame", extra=fields(call_id=self.call_id, code=code))
            self._report_hangup(f"error frame {code}")
            self.hangup()

    def _on_uuid(self, frame: Frame) -> None:
        if self._uuid_timer:
            self._uuid_timer.cancel()
            self._uuid_timer = None
        if self._handler is not None:
            log.warning("second UUID frame ignored", extra=fields(call_id=self.call_id))
            return
        try:
            self.call_id = frame.call_uuid
        except ProtocolError:
            log.warning("AudioSocket UUID frame malformed")
            self._refuse()
            return
        handler = self._router(self.call_id, self)
        if handler is None:
            log.warning(
                "AudioSocket call refused: unknown attempt", extra=fields(call_id=self.call_id)
            )
            self._refuse()
            return
        self._handler = handler

    def _refuse(self) -> None:
        if self._transport is not None and not self._closed:
            self._transport.write(encode(Kind.ERROR, b"\x01"))
        self.hangup()

    def _no_uuid(self) -> None:
        log.warning("AudioSocket connection sent no UUID in time: closing")
        self.hangup()

    def _report_hangup(self, reason: str) -> None:
        if self._handler is not None and not self._hangup_reported:
            self._hangup_reported = True
            self._handler.on_remote_hangup(reason)


class AudioSocketServer:
    def __init__(self, host: str, port: int, router: Router) -> None:
        self._host = host
        self._port = port
        self._router = router
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: AudioSocketProtocol(self._router), self._host, self._port, reuse_address=True
        )
        log.info("AudioSocket listening", extra=fields(address=f"{self._host}:{self.port}"))

    @property
    def port(self) -> int:
        if self._server is None or not self._server.sockets:
            return self._port
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
