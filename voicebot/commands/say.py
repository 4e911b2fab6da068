"""``voicebot say "TEXT" -o FILE.wav``: render a prompt exactly as a call would play it.

The same path as the call: the :class:`~voicebot.speech.tts.Tts` facade, its synthesis thread
and the prompt cache, so what you hear in FILE.wav (8 kHz mono 16-bit) is what the candidate
hears. ``--voice recorded:`` with a WAV path as TEXT checks a recorded prompt the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from voicebot.commands.common import settings_from
from voicebot.config import Settings
from voicebot.speech.audio import duration_s, rms_dbfs, write_wav
from voicebot.speech.prompt_cache import PromptCache
from voicebot.speech.tts import Tts, default_registry, parse_voice


def register(sub: Any) -> None:
    p = sub.add_parser("say", help="render a prompt to an 8 kHz WAV, as a call would play it")
    p.add_argument("text", help="what to say (with --voice recorded:, the path of a WAV file)")
    p.add_argument("-o", "--output", type=Path, required=True, help="WAV file to write")
    p.add_argument(
        "--voice",
        help="<engine>:<voice>, e.g. piper:en_US-joe-medium, kokoro:zf_xiaoyi, kokoro:zm_yunxi, "
        "recorded: (default: speech.voice_zh or speech.voice_en by --language)",
    )
    p.add_argument(
        "--language",
        choices=["zh", "en"],
        help="picks the default voice (default: zh when TEXT has Chinese characters, else en)",
    )
    p.add_argument("--no-cache", action="store_true", help="do not read or write the prompt cache")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def choose_voice(settings: Settings, text: str, voice: str | None, language: str | None) -> str:
    """--voice wins; else the configured voice for --language, or for the text's script."""
    if voice:
        parse_voice(voice)  # InputError for a malformed id, before any model loads
        return voice
    if language is None:
        language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
    return settings.speech.voice_zh if language == "zh" else settings.speech.voice_en


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    voice = choose_voice(settings, args.text, args.voice, args.language)
    registry = default_registry(settings.speech, recorded_root=Path.cwd())
    cache = None if args.no_cache else PromptCache(settings.speech.prompt_cache_dir)

    async def main() -> tuple[bytes, float]:
        async with Tts(registry, cache) as tts:
            await tts.warm([voice])
            started = time.perf_counter()
            pcm = await tts.render(args.text, voice)
            return pcm, time.perf_counter() - started

    pcm, elapsed = asyncio.run(main())
    write_wav(args.output, pcm)
    info = {
        "output": str(args.output),
        "voice": voice,
        "duration_s": round(duration_s(pcm), 3),
        "level_dbfs": round(rms_dbfs(pcm), 1),
        "render_s": round(elapsed, 3),
    }
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        for key, value in info.items():
            print(f"{key:>10}: {value}")
    return 0
