"""``voicebot transcribe FILE.wav``: print what the bot would hear in a recording.

The file takes the path a call's audio takes: any PCM WAV is resampled to 8 kHz mono phone
audio, cut into turns and segments by the same endpointer (open-answer settings), and
transcribed by the same streaming path and model (Whisper gets the 8 kHz audio upsampled to
16 kHz). So it checks the models, offline, on your own recordings as a call would hear them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from voicebot.commands.common import settings_from
from voicebot.config import SpeechSettings
from voicebot.errors import SpeechError
from voicebot.speech.asr import Asr, from_settings, join_text
from voicebot.speech.audio import FRAME_SAMPLES, RATE, frames, read_wav_as_phone
from voicebot.speech.streaming import StreamingTranscriber, TurnText
from voicebot.speech.vad import EndpointConfig, Endpointer, TurnEnd, WebRtcVad

FLUSH_S = 2.0
"""Silence appended so the last turn ends (longer than any hangover)."""
MAX_TURN_S = 120.0
TURN_TIMEOUT_S = 600.0


def register(sub: Any) -> None:
    p = sub.add_parser("transcribe", help="print the transcript of a WAV file, as a call hears it")
    p.add_argument("file", type=Path, help="a PCM WAV file, any sample rate, mono or stereo")
    p.add_argument(
        "--language", choices=["zh", "en"], help="default: detected once, on the first speech"
    )
    p.add_argument("--segments", action="store_true", help="one line per segment, with times")
    p.add_argument("--json", action="store_true", help="print turns, segments and timings as JSON")
    p.set_defaults(func=run)


async def transcribe_pcm(asr: Asr, pcm: bytes, language: str | None) -> list[TurnText]:
    """Run 8 kHz call audio through endpointing and streaming ASR; return the turns in order.

    A file arrives faster than a call: after each turn the feeding waits for its text, so at
    most one turn's segments (≤ 120 s of audio) are queued at a time.
    """
    endpointer = Endpointer(WebRtcVad(), EndpointConfig.open_answer(max_turn_s=MAX_TURN_S))
    turns: list[TurnText] = []
    async with StreamingTranscriber(asr, language) as stream:
        for n, frame in enumerate(frames(pcm + bytes(int(FLUSH_S * RATE) * 2))):
            for event in endpointer.feed(frame, n * FRAME_SAMPLES / RATE):
                stream.push(event)
                if isinstance(event, TurnEnd):
                    final = await stream.next_final(timeout=TURN_TIMEOUT_S)
                    if final is None:
                        raise SpeechError("transcription of one turn took over 10 minutes")
                    turns.append(final)
    return turns


def _load(settings: SpeechSettings) -> Asr:
    # one turn's segments at a time, however many the settings allow a live server
    return from_settings(settings.model_copy(update={"asr_queue": max(settings.asr_queue, 64)}))


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    pcm = read_wav_as_phone(args.file)  # InputError naming the file

    async def main() -> tuple[list[TurnText], float]:
        asr = await asyncio.to_thread(_load, settings.speech)
        async with asr:
            started = time.perf_counter()
            turns = await transcribe_pcm(asr, pcm, args.language)
            return turns, time.perf_counter() - started

    turns, elapsed = asyncio.run(main())
    language = next((t.language for t in turns if t.language), args.language)
    if args.json:
        doc = {
            "file": str(args.file),
            "language": language,
            "audio_s": round(len(pcm) / 2 / RATE, 3),
            "elapsed_s": round(elapsed, 3),
            "text": join_text([t.text for t in turns], language or "en"),
            "turns": [
                {
                    "start_s": t.start_s,
                    "end_s": t.end_s,
                    "text": t.text,
                    "missing_pieces": t.missing,
                    "segments": [[s.start_s, s.end_s, s.text] for s in t.segments],
                }
                for t in turns
            ],
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    elif args.segments:
        for t in turns:
            for s in t.segments:
                print(f"[{s.start_s:7.2f} - {s.end_s:7.2f}] {s.text}")
    else:
        for t in turns:
            if t.text:
                print(t.text)
    if not any(t.text for t in turns):
        sys.stderr.write(f"voicebot: no speech found in {args.file}\n")
    return 0
