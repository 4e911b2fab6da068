"""The AudioSocket wire format, with no I/O.

Every frame is a 3-byte header — kind (1 byte) and payload length (16-bit big-endian) —
followed by the payload:

====  =========  ==========================================================
kind  name       payload
====  =========  ==========================================================
0x00  HANGUP     none: the sender ends the call
0x01  UUID       16 bytes: the call's UUID (first frame from Asterisk)
0x03  DTMF       1 ASCII byte: a keypad digit the caller pressed
0x10  AUDIO      signed linear 16-bit little-endian mono, 8 kHz (320 B = 20 ms)
0xff  ERROR      optional application error code
====  =========  ==========================================================
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import IntEnum

from voicebot.errors import ProtocolError

HEADER_SIZE = 3
MAX_PAYLOAD = 65535
SAMPLE_RATE = 8000
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2


class Kind(IntEnum):
    HANGUP = 0x00
    UUID = 0x01
    DTMF = 0x03
    AUDIO = 0x10
    ERROR = 0xFF


@dataclass(frozen=True, slots=True)
class Frame:
    kind: Kind
    payload: bytes = b""

    @property
    def call_uuid(self) -> uuid.UUID:
        if self.kind is not Kind.UUID or len(self.payload) != 16:
            raise ProtocolError(f"not a UUID frame: kind={self.kind.name} len={len(self.payload)}")
        return uuid.UUID(bytes=self.payload)

    @property
    def digit(self) -> str:
        if self.kind is not Kind.DTMF or len(self.payload) != 1:
            raise ProtocolError(f"not a DTMF frame: kind={self.kind.name}")
        return self.payload.decode("ascii", "replace")


def encode(kind: Kind, payload: bytes = b"") -> bytes:
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    return bytes((kind,)) + len(payload).to_bytes(2, "big") + payload


def encode_audio(pcm: bytes) -> bytes:
    return encode(Kind.AUDIO, pcm)


def encode_uuid(call_id: uuid.UUID) -> bytes:
    return encode(Kind.UUID, call_id.bytes)


HANGUP_FRAME = encode(Kind.HANGUP)

_KINDS = {k.value: k for k in Kind}


class BadFrameError(ProtocolError):
    """An unknown frame kind; ``frames`` holds the good frames that came before it."""

    def __init__(self, message: str, frames: list[Frame]) -> None:
        super().__init__(message)
        self.frames = frames


class FrameParser:
    """Incremental parser: feed it bytes as they arrive, get whole frames back."""

    __slots__ = ("_buf",)

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        buf = self._buf
        buf += data
        frames: list[Frame] = []
        pos = 0
        end = len(buf)
        while end - pos >= HEADER_SIZE:
            kind_byte = buf[pos]
            length = (buf[pos + 1] << 8) | buf[pos + 2]
            if end - pos - HEADER_SIZE < length:
                break
            kind = _KINDS.get(kind_byte)
            if kind is None:
                self._buf = bytearray()
                raise BadFrameError(f"unknown AudioSocket frame kind 0x{kind_byte:02x}", frames)
            start = pos + HEADER_SIZE
            frames.append(Frame(kind, bytes(buf[start : start + length])))
            pos = start + length
        if pos:
            del buf[:pos]
        return frames

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buf)
