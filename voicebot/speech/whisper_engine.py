"""Whisper decoding tuned for short phone answers (synchronous; :mod:`asr` runs it in threads).

Why not ``WhisperModel.transcribe``: it always pads the log-Mel features to Whisper's 30 s
window, and on this 2-core CPU the encoder then costs ~0.6 s whatever the answer's length.
CTranslate2 accepts shorter feature windows, so a clip is encoded in a window that *fits* it
(its length plus a margin, rounded up to whole seconds so clips of similar length batch
together); a 2 s "yes, that's fine" costs ~0.1 s instead of ~0.6 s. The bench
(``bench/asr.py``) compares both windows on the speech test set for accuracy and latency.

Decoding is fixed to what measured well here: greedy (beam 1), no temperature fallback (the
fallback ladder took 66 s on one hard 14 s clip), no conditioning on earlier text, one fixed
language per clip, a token budget proportional to the clip's length (so a repetition loop is
bounded), and Chinese output converted to Simplified characters.
"""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from voicebot.errors import InputError, SpeechError
from voicebot.speech.zh_script import to_simplified

SAMPLE_RATE = 16_000
FRAMES_PER_S = 100
"""Log-Mel frames per second (hop of 160 samples at 16 kHz)."""
FULL_WINDOW = 3000
"""Whisper's native window: 30 s of features (1500 encoder positions)."""
TIME_PRECISION = 0.02
MAX_TOKENS = 448
TOKENS_BASE = 24
TOKENS_PER_S = 16
"""Token budget of a clip: ~2x a fast Mandarin speaker (5 characters/s; rarer characters
take 2-3 byte-level tokens; plus timestamps). A repetition loop stops there instead of at 448
tokens (10 tokens/s cut real 10 s Mandarin answers short in the bench)."""
REPEAT_NGRAM = 8
"""A run of this many text tokens seen before in the same clip starts a repetition loop."""
REPEAT_NGRAM_AT_BUDGET = 4
"""When the budget ran out (no end of text) the loop's last copy may be shorter."""
SUPPORTED = ("en", "zh")
"""Languages this product screens in (others work in Whisper but are not validated here)."""


@dataclass(frozen=True, slots=True)
class WindowPolicy:
    """How many feature frames the encoder sees for a clip of a given length."""

    mode: Literal["fit", "full"] = "fit"
    margin_s: float = 1.0
    """Padding after the audio; the model expects to 'see' the speech end before the window's."""
    step_s: float = 1.0
    """Windows are whole multiples of this, so clips of similar length share a batch shape."""

    def frames(self, samples: int) -> int:
        if self.mode == "full":
            return FULL_WINDOW
        need_s = samples / SAMPLE_RATE + self.margin_s
        steps = math.ceil(need_s / self.step_s)
        frames = round(steps * self.step_s * FRAMES_PER_S)
        frames += frames % 2  # the encoder halves the frame count
        return min(FULL_WINDOW, max(frames, 2 * FRAMES_PER_S))


@dataclass(frozen=True, slots=True)
class Clip:
    """Audio to transcribe: 16 kHz mono float32, at most 30 s, in one language."""

    audio: np.ndarray
    language: str


@dataclass(frozen=True, slots=True)
class Piece:
    """One timed stretch of text Whisper produced, in seconds from the clip's start."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    language: str
    pieces: tuple[Piece, ...]
    no_speech_prob: float
    avg_logprob: float
    window_s: float
    suspect: bool
    """Looks like a repetition loop (text compresses too well): treat the text with caution."""


def _load_model(model_dir: Path, **kwargs: Any) -> Any:
    # The model folder is complete (whisper_model checks it); make sure nothing ever reaches
    # for a hub even if a file went missing since.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from faster_whisper import WhisperModel  # noqa: PLC0415 - optional 'speech' extra
    except ImportError as exc:
        raise SpeechError(
            "faster-whisper is not installed: pip install 'voicebot[speech]'"
        ) from exc
    try:
        return WhisperModel(str(model_dir), **kwargs)
    except (RuntimeError, ValueError, OSError) as exc:
        raise SpeechError(f"cannot load the Whisper model in {model_dir}: {exc}") from exc


class WhisperEngine:
    """One loaded Whisper model; :meth:`transcribe` may be called from several threads
    (CTranslate2 runs up to ``workers`` of them in parallel, each on ``cpu_threads``)."""

    def __init__(
        self,
        model_dir: Path,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        cpu_threads: int = 2,
        workers: int = 1,
        window: WindowPolicy | None = None,
    ) -> None:
        self.window = window or WindowPolicy()
        self._fw = _load_model(
            model_dir,
            device=device,
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            num_workers=workers,
        )
        # faster_whisper imports fine now that _load_model succeeded
        from faster_whisper.tokenizer import _LANGUAGE_CODES, Tokenizer  # noqa: PLC0415
        from faster_whisper.transcribe import (  # noqa: PLC0415
            get_ctranslate2_storage,
            get_suppressed_tokens,
        )

        self._ct2 = self._fw.model
        self._storage = get_ctranslate2_storage
        self._languages: frozenset[str] = frozenset(_LANGUAGE_CODES)
        self._tokenizers = {
            lang: Tokenizer(self._fw.hf_tokenizer, True, task="transcribe", language=lang)
            for lang in SUPPORTED
        }
        self._Tokenizer = Tokenizer
        first = self._tokenizers["en"]
        self._suppress = list(get_suppressed_tokens(first, (-1,)) or ())
        self._timestamp_begin = int(first.timestamp_begin)
        self._eot = int(first.eot)

    # ----------------------------------------------------------------- public, thread-safe

    def check_language(self, language: str) -> str:
        if language not in self._languages:
            raise InputError(f"unknown language {language!r} (use a Whisper code: en, zh …)")
        return language

    def window_frames(self, samples: int) -> int:
        return self.window.frames(min(samples, FULL_WINDOW * SAMPLE_RATE // FRAMES_PER_S))

    def features(self, audio: np.ndarray) -> np.ndarray:
        feats: np.ndarray = self._fw.feature_extractor(audio.astype(np.float32, copy=False))
        return feats

    def detect_language(
        self, audio: np.ndarray, among: Sequence[str] = SUPPORTED
    ) -> tuple[str, float]:
        """The most likely of ``among`` for this audio, and its probability (renormalised)."""
        clip = audio[: FULL_WINDOW * SAMPLE_RATE // FRAMES_PER_S]
        feats = self._window(self.features(clip), self.window_frames(len(clip)))
        probs = self._ct2.detect_language(self._storage(feats[None]))[0]
        scores = {token[2:-2]: float(p) for token, p in probs if token[2:-2] in among}
        if not scores:
            return among[0], 0.0
        best = max(scores, key=lambda k: scores[k])
        total = sum(scores.values()) or 1.0
        return best, scores[best] / total

    def transcribe(self, clips: Sequence[Clip]) -> list[Decoded]:
        """Decode clips (each ≤ 30 s, language known) as one batch padded to the widest window."""
        if not clips:
            return []
        for clip in clips:
            self.check_language(clip.language)
        windows = [self.window_frames(len(c.audio)) for c in clips]
        width = max(windows)
        batch = np.stack([self._window(self.features(c.audio), width) for c in clips])
        prompts = [list(self._tokenizer(c.language).sot_sequence) for c in clips]
        longest_s = max(len(c.audio) for c in clips) / SAMPLE_RATE
        max_new = int(TOKENS_BASE + TOKENS_PER_S * longest_s)
        results = self._ct2.generate(
            self._storage(batch),
            prompts,
            beam_size=1,
            max_length=min(MAX_TOKENS, len(prompts[0]) + max_new),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
            max_initial_timestamp_index=50,
        )
        return [
            self._decode(result, clip, width / FRAMES_PER_S, max_new)
            for result, clip in zip(results, clips, strict=True)
        ]

    # ----------------------------------------------------------------------------- helpers

    def _tokenizer(self, language: str) -> Any:
        tok = self._tokenizers.get(language)
        if tok is None:
            tok = self._Tokenizer(self._fw.hf_tokenizer, True, task="transcribe", language=language)
            self._tokenizers[language] = tok
        return tok

    @staticmethod
    def _window(feats: np.ndarray, frames: int) -> np.ndarray:
        """Cut or zero-pad features to ``frames`` (zero is what faster-whisper pads with)."""
        feats = feats[:, :frames]
        if feats.shape[1] < frames:
            feats = np.pad(feats, ((0, 0), (0, frames - feats.shape[1])))
        return np.ascontiguousarray(feats, dtype=np.float32)

    def _decode(self, result: Any, clip: Clip, window_s: float, budget: int) -> Decoded:
        tokens: list[int] = list(result.sequences_ids[0])
        cum = float(result.scores[0]) * len(tokens) if result.scores else 0.0
        avg_logprob = cum / (len(tokens) + 1)
        hit_budget = len(tokens) >= budget - 1
        cut = self._first_repeat(tokens, REPEAT_NGRAM_AT_BUDGET if hit_budget else REPEAT_NGRAM)
        if cut is not None:
            tokens = tokens[:cut]
        no_speech = float(result.no_speech_prob)
        duration = len(clip.audio) / SAMPLE_RATE
        pieces = self._pieces(tokens, clip.language, duration)
        text = "".join(p.text for p in pieces).strip()
        # Whisper's own silence rule: confident "no speech" and an unsure decode
        if no_speech > 0.6 and avg_logprob < -1.0:
            pieces, text = (), ""
        suspect = (
            cut is not None or hit_budget or (len(text) > 24 and _compression_ratio(text) > 2.4)
        )
        return Decoded(
            text=text,
            language=clip.language,
            pieces=pieces,
            no_speech_prob=no_speech,
            avg_logprob=avg_logprob,
            window_s=window_s,
            suspect=suspect,
        )

    def _first_repeat(self, tokens: list[int], n: int) -> int | None:
        """Where a repetition loop starts: the first text n-gram already seen, or None.

        Greedy decoding without temperature fallback sometimes repeats the last sentence until
        the token budget ends (more often in short windows). A loop copies earlier text
        exactly, so the first repeated ``n``-gram marks where the copy begins.
        """
        text_at = [i for i, t in enumerate(tokens) if t < self._eot]
        seen: set[tuple[int, ...]] = set()
        for k in range(len(text_at) - n + 1):
            gram = tuple(tokens[i] for i in text_at[k : k + n])
            if gram in seen:
                return text_at[k]
            seen.add(gram)
        return None

    def _pieces(self, tokens: list[int], language: str, duration: float) -> tuple[Piece, ...]:
        tok = self._tokenizer(language)
        out: list[Piece] = []
        start: float | None = None
        text_tokens: list[int] = []
        for token in [*tokens, self._eot]:
            if token >= self._timestamp_begin or token == self._eot:
                at = (token - self._timestamp_begin) * TIME_PRECISION
                if text_tokens:
                    end = min(at, duration) if token != self._eot else duration
                    text = _finish(tok.decode(text_tokens), language)
                    if text.strip():
                        out.append(Piece(round(start or 0.0, 2), round(max(end, 0.0), 2), text))
                    text_tokens = []
                    start = None
                if token != self._eot and start is None:
                    start = min(at, duration)
            elif token < self._eot:
                if start is None:
                    start = out[-1].end_s if out else 0.0
                text_tokens.append(token)
        return tuple(out)


def _finish(text: str, language: str) -> str:
    return to_simplified(text) if language == "zh" else text


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data))
