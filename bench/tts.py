"""TTS benchmark: real-time factor, time to first audio and memory, per voice.

    .cache/venv/bin/python bench/tts.py [--sentences 8] [--default-heap]

Renders sentences nobody cached before (an empty prompt cache in a temp folder) with the
English (piper) and Mandarin (Kokoro) voices of voicebot.toml, one at a time, as a call's
dynamic prompts are. Printed per voice: real-time factor (synthesis time / audio time), time
to the first audio chunk of a streamed sentence, and the process's peak RSS while that voice
synthesised (VmHWM, reset before each voice). ``--default-heap`` turns speech.bounded_heap
off and skips the huge-pages environment, to compare with glibc's defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import add_heap_options, bench_settings, heap_setup, speech_variant  # noqa: E402 - bench/ is on sys.path as the script's folder
from timing import hwm_mb, reset_peak_rss, rss_mb  # noqa: E402

from voicebot import logs  # noqa: E402
from voicebot.speech import memory  # noqa: E402
from voicebot.speech.stack import SpeechStack  # noqa: E402

SENTENCES = {
    "en": [
        "Thanks for taking the time to talk with us today, {n}.",
        "Could you tell me about a time you helped a customer who was upset?",
        "We will call you back tomorrow evening at seven, as you asked, {n}.",
        "Is there anything else you would like to add about yourself?",
    ],
    "zh": [
        "您好，{n}，感谢您抽出时间参加今天的电话面试。",
        "请您讲一讲，遇到情绪激动的客户时，您会怎么处理？",
        "好的，我们会在明天晚上七点再给您打电话，{n}。",
        "最后，您还有什么想补充的关于您自己的情况吗？",
    ],
}
NAMES = {"en": ["Alex", "Maria", "Sam", "Priya"], "zh": ["张伟", "李娜", "王芳", "刘洋"]}


async def main(count: int, default_heap: bool) -> int:
    logs.setup("WARNING")
    settings = bench_settings("voicebot-bench-tts-", 1)
    speech = speech_variant(settings, default_heap=default_heap, cold=True).speech
    async with SpeechStack(speech) as stack:
        await stack.warm({"en", "zh"})
        memory.trim()
        print(f"RSS with both voices loaded: {rss_mb():.0f} MB")
        print("voice                     RTF p50 / max   first audio p50 / max   peak RSS")
        for language in ("en", "zh"):
            voice = stack.voice_for(language)
            texts = [
                SENTENCES[language][i % 4].format(n=NAMES[language][(i // 4) % 4]) + f" {i}"
                for i in range(count)
            ]
            reset_peak_rss()
            rtfs, firsts = [], []
            for text in texts:
                started = time.perf_counter()
                first: float | None = None
                audio = 0
                async for chunk in stack.tts.stream(text, voice):
                    if first is None:
                        first = time.perf_counter() - started
                    audio += len(chunk)
                elapsed = time.perf_counter() - started
                rtfs.append(elapsed / (audio / 16000))  # 8 kHz slin16: 16000 bytes a second
                firsts.append(first or elapsed)
            print(
                f"{voice:24}  {statistics.median(rtfs):.3f} / {max(rtfs):.3f}"
                f"     {statistics.median(firsts):.2f} / {max(firsts):.2f} s"
                f"          {hwm_mb():.0f} MB"
            )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=8, help="per voice (1..40)")
    add_heap_options(parser)
    args = parser.parse_args()
    if not 1 <= args.sentences <= 40:
        parser.error("bounded: 1..40 sentences")
    heap_setup(args)
    raise SystemExit(asyncio.run(main(args.sentences, args.default_heap)))
