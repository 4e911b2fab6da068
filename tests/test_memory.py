import subprocess
import sys
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


HEAP_PROBE = """
import sys
from pathlib import Path
from voicebot.speech import memory

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

if sys.argv[1] == "bounded":
    assert memory.bound_heap()
warm = bytearray(16 << 20)  # freed: glibc raises its mmap threshold above 16 MB
del warm
base = rss_mb()
tensors, pins = [], []
for _ in range(25):  # 25 x 4 MB "tensors", each followed by a small live block
    tensors.append(bytearray(4 << 20))
    pins.append(bytearray(1024))
del tensors
print(rss_mb() - base)
"""


@pytest.mark.parametrize(("mode", "kept_mb"), [("default", (80, 200)), ("bounded", (0, 10))])
def test_bound_heap_returns_large_blocks_at_once(mode: str, kept_mb: tuple[int, int]) -> None:
    """glibc alone keeps a run's freed large blocks in its heap (the peak stays); with the
    bounded heap each is its own mapping, gone when freed. In a child: mallopt is global."""
    if memory._libc() is None:
        pytest.skip("not glibc")
    out = subprocess.run(
        [sys.executable, "-c", HEAP_PROBE, mode], capture_output=True, text=True, check=True
    )
    low, high = kept_mb
    assert low <= float(out.stdout) <= high


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "glibc.malloc.hugetlb=1"),
        ({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"},
         "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"),
        ({"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"}, None),  # the user's own choice stands
        ({"VOICEBOT_HUGE_PAGES": "0"}, None),
    ],
)  # fmt: skip
def test_huge_pages_environment(environ: dict[str, str], expected: str | None) -> None:
    if memory._libc() is None:
        pytest.skip("not glibc")
    env = memory.env_with_huge_pages(environ)
    assert (env["GLIBC_TUNABLES"] if env else None) == expected
