"""What the benchmarks share: settings for this checkout's private Asterisk, in a temp dir."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from voicebot.config import Settings, load_settings  # noqa: E402
from voicebot.speech import memory  # noqa: E402


def bench_settings(prefix: str, max_concurrent: int) -> Settings:
    """voicebot.toml, with a fresh data folder, any free AudioSocket port, no HTTP, and the
    checkout's models and prompt cache (a benchmark measures calls, not first renders)."""
    base = load_settings(ROOT / "voicebot.toml", env={})
    data = Path(tempfile.mkdtemp(prefix=prefix))
    return base.model_copy(
        update={
            "ami": base.ami.model_copy(
                update={"secret_file": ROOT / ".cache/asterisk/secrets/ami"}
            ),
            "audiosocket": base.audiosocket.model_copy(update={"port": 0}),
            "http": base.http.model_copy(update={"enabled": False}),
            "storage": base.storage.model_copy(update={"data_dir": data}),
            "dial": base.dial.model_copy(
                update={"max_concurrent": max_concurrent, "ring_timeout_s": 20}
            ),
            "speech": base.speech.model_copy(
                update={
                    "models_dir": ROOT / ".cache" / "models",
                    "prompt_cache_dir": ROOT / "var" / "prompt-cache",
                }
            ),
        }
    )


def add_heap_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--default-heap",
        action="store_true",
        help="compare: speech.bounded_heap off, no huge pages (glibc's defaults)",
    )


def heap_setup(args: argparse.Namespace) -> None:
    """Before anything loads: the huge-pages environment, as the voicebot command sets it."""
    if not args.default_heap:
        memory.reexec_with_huge_pages()


def speech_variant(settings: Settings, *, default_heap: bool, cold: bool) -> Settings:
    """``settings`` with the heap mode asked for, and with an empty prompt cache if ``cold``
    (every prompt synthesised, as on a fresh install); prints the mode."""
    update: dict[str, object] = {"bounded_heap": not default_heap}
    if cold:
        update["prompt_cache_dir"] = Path(tempfile.mkdtemp(prefix="voicebot-bench-prompts-"))
    speech = settings.speech.model_copy(update=update)
    tunables = os.environ.get("GLIBC_TUNABLES", "none")
    print(f"speech.bounded_heap={speech.bounded_heap}, GLIBC_TUNABLES={tunables}")
    return settings.model_copy(update={"speech": speech})
