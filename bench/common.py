"""What the benchmarks share: settings for this checkout's private Asterisk, in a temp dir."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from voicebot.config import Settings, load_settings  # noqa: E402


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
