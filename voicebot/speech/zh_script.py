"""Traditional -> Simplified Chinese (Whisper often answers Mandarin in Traditional characters).

A thin wrapper over ``zhconv``: its lazy dictionary load leaves the JSON file open (a
ResourceWarning, an error under the test suite's ``filterwarnings = error``), so the dictionary
is loaded here once, from its path, with the file closed, under a lock (ASR worker threads
call this concurrently).
"""

from __future__ import annotations

import threading
from pathlib import Path

_lock = threading.Lock()
_loaded = False


def to_simplified(text: str) -> str:
    """Convert to Simplified (mainland) characters; text without Chinese is returned as is."""
    global _loaded  # noqa: PLW0603 - a load-once flag for an external module's global dict
    import zhconv  # noqa: PLC0415 - optional 'speech' extra, needed for Chinese only

    if not _loaded:
        with _lock:
            if not _loaded:
                zhconv.zhconv.loaddict(str(Path(zhconv.__file__).parent / "zhcdict.json"))
                _loaded = True
    return str(zhconv.convert(text, "zh-cn"))
