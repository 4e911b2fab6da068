"""The AudioSocket server over real loopback TCP, with a client speaking the protocol."""

import asyncio
import contextlib
import uuid

from voicebot.audiosocket.codec import (
    FRAME_BYTES,
    HANGUP_FRAME,
    FrameParser,
    Kind,
    encode,
    encode_audio,
    encode_uuid,
)
from voicebot.audiosocket.server import AudioSocketProtocol, AudioSocketServer


class Handler:
    def __init__(self) -> None:
        self.audio: list[bytes] = []
        self.digits: list[str] = []
        self.hangups: list[str] = []
        self.ended = asyncio.Event()

    def on_audio(self, pcm: bytes) -> None:
        self.audio.append(pcm)

    def on_dtmf(self, digit: str) -> None:
        self.digits.append(digit)

    def on_remote_hangup(self, reason: str) -> None:
        self.hangups.append(reason)
        self.ended.set()


async def start(known: uuid.UUID, handler: Handler) -> tuple[AudioSocketServer, dict]:
    conns: dict = {}

    def route(call_id: uuid.UUID, conn: AudioSocketProtocol):
        if call_id != known:
            return None
        conns["conn"] = conn
        return handler

    server = AudioSocketServer("127.0.0.1", 0, route)
    await server.start()
    return server, conns


async def close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def read_all(reader: asyncio.StreamReader) -> list:
    data = await asyncio.wait_for(reader.read(), 2)
    return FrameParser().feed(data)


async def test_known_call_gets_audio_dtmf_and_eof() -> None:
    call = uuid.uuid4()
    handler = Handler()
    server, conns = await start(call, handler)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(encode_uuid(call) + encode_audio(b"\x05" * FRAME_BYTES) + encode(Kind.DTMF, b"2"))
    await writer.drain()
    await asyncio.sleep(0.05)
    conns["conn"].send_audio(b"\x06" * FRAME_BYTES)
    frames = FrameParser().feed(await asyncio.wait_for(reader.readexactly(3 + FRAME_BYTES), 2))
    assert frames == [frames[0]]
    assert frames[0].kind is Kind.AUDIO
    assert frames[0].payload == b"\x06" * FRAME_BYTES
    await close(writer)  # the far end hangs up: plain EOF
    await asyncio.wait_for(handler.ended.wait(), 2)
    assert handler.audio == [b"\x05" * FRAME_BYTES]
    assert handler.digits == ["2"]
    assert handler.hangups == ["eof"]
    await server.close()


async def test_unknown_call_is_refused() -> None:
    server, _ = await start(uuid.uuid4(), Handler())
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(encode_uuid(uuid.uuid4()))
    frames = await read_all(reader)
    assert [f.kind for f in frames] == [Kind.ERROR, Kind.HANGUP]
    await close(writer)
    await server.close()


async def test_bot_hangup_sends_the_hangup_frame_and_closes() -> None:
    call = uuid.uuid4()
    handler = Handler()
    server, conns = await start(call, handler)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(encode_uuid(call))
    await writer.drain()
    await asyncio.sleep(0.05)
    conns["conn"].hangup()
    frames = await read_all(reader)
    assert frames[-1].kind is Kind.HANGUP
    assert conns["conn"].closed
    await close(writer)
    await server.close()


async def test_garbage_is_a_protocol_error_that_ends_the_call() -> None:
    call = uuid.uuid4()
    handler = Handler()
    server, _ = await start(call, handler)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(encode_uuid(call) + b"\x42\x00\x00")
    assert (await read_all(reader))[-1].kind is Kind.HANGUP
    await asyncio.wait_for(handler.ended.wait(), 2)
    assert handler.hangups == ["protocol error"]
    await close(writer)
    await server.close()


async def test_a_far_end_hangup_frame_is_honoured() -> None:
    call = uuid.uuid4()
    handler = Handler()
    server, _ = await start(call, handler)
    _, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(encode_uuid(call) + HANGUP_FRAME)
    await asyncio.wait_for(handler.ended.wait(), 2)
    assert handler.hangups == ["hangup frame"]
    await close(writer)
    await server.close()
