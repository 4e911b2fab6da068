"""Prompts recorded by people (HR records its own voice), as real IVRs do.

A job profile may give any prompt an audio file instead of (or as well as) text. The file is
checked when it is loaded, so a bad file fails when the profile is loaded, not in the middle of
a call: a RIFF WAV with integer PCM samples (8, 16, 24 or 32 bit; WAVE_FORMAT_EXTENSIBLE too),
mono or stereo, at least 8000 Hz, 0.3 to 60 s long, and not silent (peak above -40 dBFS).
Every problem is an :class:`InputError` that names the file and says what to change.

The header is parsed here (a pure function) rather than with :mod:`wave`, which rejects
WAVE_FORMAT_EXTENSIBLE files on Python 3.11 and cannot say *why* a file is unusable (an MP3
renamed to .wav, a-law, float samples). The audio then goes through the same trim/level/
resample step as synthesized speech, so recorded and synthesized prompts sound alike in level.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicebot.errors import InputError
from voicebot.speech.tts_pcm import to_call_audio

MIN_RATE = 8000
MAX_RATE = 384_000
MIN_DURATION_S = 0.3
MAX_DURATION_S = 60.0
MIN_PEAK_DBFS = -40.0

_PCM = 0x0001
_EXTENSIBLE = 0xFFFE
_FORMAT_NAMES = {
    0x0002: "MS ADPCM",
    0x0003: "32-bit float",
    0x0006: "G.711 A-law",
    0x0007: "G.711 mu-law",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0055: "MP3",
}
_MAGIC = {
    b"ID3": "an MP3 file",
    b"\xff\xfb": "an MP3 file",
    b"OggS": "an Ogg file",
    b"fLaC": "a FLAC file",
    b"RIFX": "a big-endian WAV",
    b"\x1aE\xdf\xa3": "a WebM/MKV file",
}
FIX_HINT = "convert it with: sox IN -r 16000 -c 1 -b 16 -e signed-integer OUT.wav"


@dataclass(frozen=True, slots=True)
class WavInfo:
    channels: int
    rate: int
    bits: int
    data: bytes
    """The sample bytes (whole frames only)."""

    @property
    def frames(self) -> int:
        return len(self.data) // (self.channels * self.bits // 8)

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate


def parse_wav(blob: bytes) -> WavInfo:
    """Parse a RIFF WAV holding integer PCM; ValueError says what is wrong (no file name)."""
    if len(blob) < 12 or blob[:4] != b"RIFF" or blob[8:12] != b"WAVE":
        for magic, kind in _MAGIC.items():
            if blob.startswith(magic):
                raise ValueError(f"is {kind}, not a RIFF WAV; {FIX_HINT}")
        raise ValueError(f"not a RIFF WAV file; {FIX_HINT}")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(blob):
        chunk_id = blob[pos : pos + 4]
        (size,) = struct.unpack_from("<I", blob, pos + 4)
        body = pos + 8
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(blob[body : body + size])
        elif chunk_id == b"data":
            if fmt is None:
                raise ValueError("the data chunk comes before the fmt chunk")
            # streaming writers leave the size at 0 or 0xFFFFFFFF: take what is there
            end = len(blob) if size in (0, 0xFFFFFFFF) else min(len(blob), body + size)
            _, channels, rate, bits = fmt
            frame = channels * bits // 8
            data = blob[body:end]
            return WavInfo(channels, rate, bits, data[: len(data) - len(data) % frame])
        pos = body + size + (size & 1)
    raise ValueError("no fmt chunk" if fmt is None else "no data chunk (no audio)")


def _parse_fmt(body: bytes) -> tuple[int, int, int, int]:
    if len(body) < 16:
        raise ValueError("fmt chunk too short")
    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", body)
    if tag == _EXTENSIBLE and len(body) >= 26:
        (tag,) = struct.unpack_from("<H", body, 24)  # first two bytes of the sub-format GUID
    if tag != _PCM:
        name = _FORMAT_NAMES.get(tag, f"format 0x{tag:04x}")
        raise ValueError(f"holds {name} audio, not integer PCM; {FIX_HINT}")
    if bits not in (8, 16, 24, 32):
        raise ValueError(f"{bits}-bit samples are not supported (8, 16, 24 or 32); {FIX_HINT}")
    if channels not in (1, 2):
        raise ValueError(f"has {channels} channels; use mono or stereo")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(
            f"sample rate {rate} Hz is below {MIN_RATE} Hz (phone quality)"
            if rate < MIN_RATE
            else f"sample rate {rate} Hz is implausible"
        )
    return tag, channels, rate, bits


def decode(info: WavInfo) -> np.ndarray:
    """Samples as mono float32 in [-1, 1] (stereo channels averaged)."""
    raw = info.data
    if info.bits == 8:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif info.bits == 16:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif info.bits == 24:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        x = (np.where(v >= 1 << 23, v - (1 << 24), v)).astype(np.float32) / float(1 << 23)
    else:
        x = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    if info.channels == 2:
        x = x.reshape(-1, 2).mean(axis=1)
    return x


def check(info: WavInfo, samples: np.ndarray) -> None:
    """Duration and level rules; ValueError says what is wrong."""
    if not MIN_DURATION_S <= info.duration_s <= MAX_DURATION_S:
        raise ValueError(
            f"lasts {info.duration_s:.2f} s; a prompt must last "
            f"{MIN_DURATION_S:g} to {MAX_DURATION_S:g} s"
        )
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    peak_dbfs = 20 * np.log10(peak) if peak > 0 else -120.0
    if peak_dbfs <= MIN_PEAK_DBFS:
        raise ValueError(
            f"is silent or nearly (peak {peak_dbfs:.1f} dBFS, needs above {MIN_PEAK_DBFS:g} dBFS);"
            " check the microphone and record again"
        )


def load_recorded_prompt(path: Path) -> bytes:
    """Validate a recorded prompt and return it as the call plays it (8 kHz slin16)."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read recorded prompt: {exc.strerror or exc}") from exc
    try:
        info = parse_wav(blob)
        samples = decode(info)
        check(info, samples)
    except ValueError as exc:
        raise InputError(f"{path}: recorded prompt {exc}") from None
    return to_call_audio(samples, info.rate)


class RecordedEngine:
    """``recorded:`` voice: the "text" of a prompt is the path of its audio file.

    Relative paths are taken from ``root`` (the job profile's folder). Output is never put in
    the prompt cache (see :func:`voicebot.speech.tts.default_registry`): files are small, load
    in milliseconds, and HR may replace one at any time.
    """

    name = "recorded"
    version = "recorded/1"

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def voices(self) -> list[str]:
        return [""]

    def resolve(self, text: str) -> Path:
        path = Path(text.strip())
        if not text.strip():
            raise InputError("recorded: voice needs the audio file's path as the prompt text")
        return path if path.is_absolute() or self.root is None else self.root / path

    def synthesize(self, text: str, voice: str) -> Iterator[bytes]:
        yield load_recorded_prompt(self.resolve(text))
