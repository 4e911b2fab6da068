import wave
from pathlib import Path

import numpy as np

from voicebot.audiosocket.codec import FRAME_BYTES
from voicebot.media.recorder import CallRecorder


def frame(value: int) -> bytes:
    return np.full(FRAME_BYTES // 2, value, dtype="<i2").tobytes()


def read_stereo(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 2
        assert w.getframerate() == 8000
        assert w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2)


async def test_tracks_are_interleaved_candidate_left_bot_right(tmp_path: Path) -> None:
    rec = CallRecorder(tmp_path / "a" / "call.wav", None)
    for i in range(10):
        rec.bot(frame(100 + i))
        rec.candidate(frame(-(100 + i)))
    info = await rec.close()
    assert info is not None
    assert info.duration_s == 0.2
    assert info.candidate_s == 0.2
    data = read_stereo(info.path)
    assert data.shape == (1600, 2)
    assert (data[:160, 0] == -100).all()
    assert (data[:160, 1] == 100).all()
    assert (data[-160:, 1] == 109).all()


async def test_missing_candidate_packets_are_padded_to_stay_aligned(tmp_path: Path) -> None:
    rec = CallRecorder(tmp_path / "call.wav", None)
    rec.bot(frame(1))
    rec.candidate(frame(7))  # candidate frame 0
    for _ in range(9):  # 9 more bot frames: the candidate sent nothing (packet loss)
        rec.bot(frame(1))
    rec.candidate(frame(8))  # arrives at bot frame 10: must land near frame 10, not frame 1
    info = await rec.close()
    assert info is not None
    left = read_stereo(info.path)[:, 0]
    starts = np.flatnonzero(left == 8)
    assert starts[0] // 160 >= 10 - 3  # within the allowed lag of 3 frames
    assert info.candidate_s == 0.04  # padding is not counted as received audio


async def test_periodic_flush_and_final_tail(tmp_path: Path) -> None:
    rec = CallRecorder(tmp_path / "call.wav", None)
    for _ in range(100):
        rec.bot(frame(3))
        rec.candidate(frame(4))
    await rec._flush(final=False)  # what run() does every second
    assert (tmp_path / "call.wav").exists()
    rec.bot(frame(3))  # the bot track is one frame longer at hangup
    info = await rec.close()
    assert info is not None
    assert read_stereo(info.path).shape == (101 * 160, 2)


async def test_discard_deletes_the_file(tmp_path: Path) -> None:
    rec = CallRecorder(tmp_path / "call.wav", None)
    for _ in range(100):
        rec.bot(frame(3))
        rec.candidate(frame(4))
    await rec._flush(final=False)
    await rec.discard()
    assert not (tmp_path / "call.wav").exists()
    assert await rec.close() is None
