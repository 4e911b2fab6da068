"""Recorded prompts: validated at load, with errors that name the file and the problem."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from voicebot.errors import InputError
from voicebot.speech.audio import rms_dbfs
from voicebot.speech.tts_recorded import RecordedEngine, load_recorded_prompt, parse_wav


def speechlike(seconds: float, rate: int, peak: float = 0.5, channels: int = 1) -> np.ndarray:
    """A 200 Hz tone with a 3 Hz envelope (syllable-like), shape (frames, channels)."""
    t = np.arange(int(seconds * rate)) / rate
    x = peak * np.sin(2 * np.pi * 200 * t) * (0.55 + 0.45 * np.sin(2 * np.pi * 3 * t))
    return np.repeat(x[:, None], channels, axis=1)


def encode(x: np.ndarray, bits: int) -> bytes:
    flat = x.reshape(-1)
    if bits == 8:
        return bytes((np.clip(flat, -1, 1) * 127 + 128).astype(np.uint8).tobytes())
    if bits == 16:
        return bytes((np.clip(flat, -1, 1) * 32767).astype("<i2").tobytes())
    if bits == 24:
        v = (np.clip(flat, -1, 1) * 8388607).astype(np.int32)
        return b"".join(int(s).to_bytes(3, "little", signed=True) for s in v)
    return bytes((np.clip(flat, -1, 1) * 2147483647).astype("<i4").tobytes())


def wav_bytes(
    x: np.ndarray,
    rate: int,
    bits: int = 16,
    tag: int = 1,
    extensible: bool = False,
    data_size: int | None = None,
    extra_chunk: bool = False,
) -> bytes:
    channels = x.shape[1]
    data = encode(x, bits)
    block = channels * bits // 8
    fmt = struct.pack(
        "<HHIIHH", 0xFFFE if extensible else tag, channels, rate, rate * block, block, bits
    )
    if extensible:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + guid_tail
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    if extra_chunk:  # a LIST chunk with an odd size (padded) before the data
        chunks += b"LIST" + struct.pack("<I", 5) + b"INFOx" + b"\x00"
    size = len(data) if data_size is None else data_size
    chunks += b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def write(tmp_path: Path, blob: bytes, name: str = "prompt.wav") -> Path:
    path = tmp_path / name
    path.write_bytes(blob)
    return path


@pytest.mark.parametrize(
    ("rate", "bits", "channels", "extensible"),
    [
        (8000, 16, 1, False),
        (16000, 16, 2, False),
        (44100, 24, 2, False),
        (48000, 32, 1, False),
        (22050, 8, 1, False),
        (48000, 24, 2, True),
    ],
)
def test_good_files_become_8khz_prompts(
    tmp_path: Path, rate: int, bits: int, channels: int, extensible: bool
) -> None:
    path = write(
        tmp_path,
        wav_bytes(speechlike(2.0, rate, channels=channels), rate, bits, extensible=extensible),
    )
    pcm = load_recorded_prompt(path)
    assert len(pcm) / 2 / 8000 == pytest.approx(2.0, abs=0.07)
    assert rms_dbfs(pcm) > -25  # levelled like synthesized speech


def test_quiet_but_usable_recording_is_levelled(tmp_path: Path) -> None:
    path = write(tmp_path, wav_bytes(speechlike(1.0, 16000, peak=0.02), 16000))  # -34 dBFS
    assert rms_dbfs(load_recorded_prompt(path)) > -25


def test_odd_chunks_and_streaming_sizes_are_read(tmp_path: Path) -> None:
    x = speechlike(1.0, 16000)
    info = parse_wav(wav_bytes(x, 16000, extra_chunk=True))
    assert info.frames == 16000
    unknown_size = parse_wav(wav_bytes(x, 16000, data_size=0xFFFFFFFF))
    assert unknown_size.frames == 16000
    too_big = parse_wav(wav_bytes(x, 16000, data_size=10**9))  # truncated file
    assert too_big.frames == 16000


@pytest.mark.parametrize(
    ("blob_of", "message"),
    [
        (lambda: b"ID3\x04\x00rest-of-an-mp3", "is an MP3 file"),
        (lambda: b"OggS\x00\x02", "is an Ogg file"),
        (lambda: b"hello world, not audio", "not a RIFF WAV"),
        (lambda: wav_bytes(speechlike(1, 8000), 8000, bits=32, tag=3), "32-bit float"),
        (lambda: wav_bytes(speechlike(1, 8000), 8000, bits=8, tag=7), "mu-law"),
        (lambda: wav_bytes(speechlike(1, 8000), 8000, bits=8, tag=6), "A-law"),
        (lambda: wav_bytes(speechlike(1, 6000), 6000), "6000 Hz is below 8000 Hz"),
        (lambda: wav_bytes(speechlike(1, 8000, channels=3), 8000), "3 channels"),
        (lambda: wav_bytes(speechlike(0.2, 8000), 8000), r"lasts 0\.20 s"),
        (lambda: wav_bytes(speechlike(61, 8000), 8000), r"lasts 61\.00 s"),
        (lambda: wav_bytes(np.zeros((8000, 1)), 8000), "silent"),
        (lambda: wav_bytes(speechlike(1, 8000, peak=0.005), 8000), r"peak -46\.\d dBFS"),
        (lambda: wav_bytes(speechlike(1, 8000), 8000)[:40], "no data chunk"),
        (lambda: b"RIFF\x04\x00\x00\x00WAVE", "no fmt chunk"),
    ],
)
def test_bad_files_are_refused_with_the_reason(
    tmp_path: Path, blob_of: Callable[[], bytes], message: str
) -> None:
    path = write(tmp_path, blob_of(), "welcome.wav")
    with pytest.raises(InputError, match=message) as info:
        load_recorded_prompt(path)
    assert str(path) in str(info.value)


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.wav: cannot read recorded prompt"):
        load_recorded_prompt(tmp_path / "nope.wav")


def test_engine_reads_paths_relative_to_the_profile(tmp_path: Path) -> None:
    write(tmp_path, wav_bytes(speechlike(1.0, 16000), 16000), "hello.wav")
    engine = RecordedEngine(tmp_path)
    assert engine.voices() == [""]
    chunks = list(engine.synthesize("hello.wav", ""))
    assert len(chunks) == 1
    assert len(chunks[0]) / 16000 == pytest.approx(1.0, abs=0.07)
    assert list(engine.synthesize(str(tmp_path / "hello.wav"), "")) == chunks
    with pytest.raises(InputError, match="path"):
        list(engine.synthesize("  ", ""))
