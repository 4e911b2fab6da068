import uuid

import pytest

from voicebot.audiosocket.codec import (
    FRAME_BYTES,
    HANGUP_FRAME,
    BadFrameError,
    Frame,
    FrameParser,
    Kind,
    encode,
    encode_audio,
    encode_uuid,
)
from voicebot.errors import ProtocolError

CALL = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (HANGUP_FRAME, b"\x00\x00\x00"),
        (encode_uuid(CALL), b"\x01\x00\x10" + CALL.bytes),
        (encode(Kind.DTMF, b"5"), b"\x03\x00\x015"),
        (encode_audio(b"\x01\x02" * 160), b"\x10\x01\x40" + b"\x01\x02" * 160),
        (encode(Kind.ERROR, b"\x01"), b"\xff\x00\x01\x01"),
    ],
)
def test_encode_matches_wire_format(data: bytes, expected: bytes) -> None:
    assert data == expected


def test_parser_round_trip_of_a_whole_call() -> None:
    audio = bytes(range(256)) + bytes(64)
    stream = encode_uuid(CALL) + encode_audio(audio) + encode(Kind.DTMF, b"#") + HANGUP_FRAME
    frames = FrameParser().feed(stream)
    assert [f.kind for f in frames] == [Kind.UUID, Kind.AUDIO, Kind.DTMF, Kind.HANGUP]
    assert frames[0].call_uuid == CALL
    assert frames[1].payload == audio
    assert len(frames[1].payload) == FRAME_BYTES
    assert frames[2].digit == "#"


def test_parser_reassembles_frames_split_at_every_byte() -> None:
    stream = encode_uuid(CALL) + encode_audio(b"\x7f" * FRAME_BYTES) * 3
    parser = FrameParser()
    frames: list[Frame] = []
    for i in range(len(stream)):
        frames += parser.feed(stream[i : i + 1])
    assert [f.kind for f in frames] == [Kind.UUID] + [Kind.AUDIO] * 3
    assert all(f.payload == b"\x7f" * FRAME_BYTES for f in frames[1:])
    assert parser.pending == 0


def test_parser_holds_back_an_incomplete_frame() -> None:
    parser = FrameParser()
    data = encode_audio(b"\x00" * FRAME_BYTES)
    assert parser.feed(data[:100]) == []
    assert parser.pending == 100
    assert len(parser.feed(data[100:])) == 1


def test_unknown_kind_is_a_protocol_error_that_keeps_the_frames_before_it() -> None:
    with pytest.raises(ProtocolError, match="0x42") as err:
        FrameParser().feed(encode_uuid(CALL) + b"\x42\x00\x00")
    assert isinstance(err.value, BadFrameError)
    assert [f.kind for f in err.value.frames] == [Kind.UUID]


def test_accessors_reject_the_wrong_frame() -> None:
    with pytest.raises(ProtocolError):
        _ = Frame(Kind.AUDIO, b"x" * 16).call_uuid
    with pytest.raises(ProtocolError):
        _ = Frame(Kind.UUID, b"short").call_uuid
    with pytest.raises(ProtocolError):
        _ = Frame(Kind.AUDIO, b"1").digit


def test_payload_limit() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        encode(Kind.AUDIO, bytes(65536))
