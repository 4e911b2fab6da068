from pathlib import Path

import pytest

from voicebot.speech import memory


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_trim_gives_freed_heap_back() -> None:
    if memory._libc() is None:
        pytest.skip("this C library has no malloc_trim")
    blocks = [bytearray(64 * 1024) for _ in range(3000)]  # ~190 MB below the mmap threshold
    holes = blocks[::2]  # freeing every other block leaves holes glibc keeps (not the heap top)
    del blocks[::2]
    del holes
    kept = rss_mb()
    assert memory.trim()
    after = rss_mb()
    assert after < kept - 60  # ~95 MB of holes went back to the OS
    del blocks
