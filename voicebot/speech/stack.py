"""The process's speech engines, shared by every call: one TTS facade, one recogniser.

Owned by the service (``async with SpeechStack(settings) as speech``): the recogniser's model
loads in a worker thread at start-up, TTS engines load when a voice is first used (or at
:meth:`warm`), and both shut down, with timeouts, when the service stops.
"""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

from voicebot.config import SpeechSettings
from voicebot.errors import InputError
from voicebot.logs import fields
from voicebot.speech import asr as asr_module
from voicebot.speech import memory
from voicebot.speech.asr import Asr
from voicebot.speech.prompt_cache import PromptCache
from voicebot.speech.tts import PrerenderReport, Tts, default_registry

log = logging.getLogger(__name__)


class SpeechStack:
    def __init__(self, settings: SpeechSettings) -> None:
        self.settings = settings
        self.tts = Tts(default_registry(settings), PromptCache(settings.prompt_cache_dir))
        self._asr: Asr | None = None

    @property
    def asr(self) -> Asr:
        if self._asr is None:
            raise RuntimeError("the speech stack is not started")
        return self._asr

    def voice_for(self, language: str) -> str:
        voices = {"en": self.settings.voice_en, "zh": self.settings.voice_zh}
        if language not in voices:
            raise InputError(f"no voice for language {language!r} (speech.voice_en / voice_zh)")
        return voices[language]

    async def __aenter__(self) -> SpeechStack:
        if self.settings.bounded_heap and not memory.bound_heap():
            log.warning("speech.bounded_heap: this C library has no mallopt; peaks stay high")
        await self.tts.start()
        try:
            self._asr = await asyncio.to_thread(asr_module.from_settings, self.settings)
            self._asr.start()
        except BaseException:
            await self.tts.aclose()
            raise
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._asr is not None:
                await self._asr.close(timeout=30)
        finally:
            await self.tts.aclose()

    async def warm(self, languages: set[str]) -> None:
        """Load the TTS engines these languages use, before the first call needs them."""
        await self.tts.warm(self.voice_for(lang) for lang in sorted(languages))

    async def prerender(self, texts: list[str], language: str) -> PrerenderReport:
        report = await self.tts.prerender((t, self.voice_for(language)) for t in texts)
        log.info("prerendered", extra=fields(language=language, prompts=report.prompts))
        return report
