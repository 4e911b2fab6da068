"""Give freed heap memory back to the operating system (glibc ``malloc_trim``).

The TTS models allocate large transient tensors per sentence (Kokoro: up to ~1.4 GB for a
long one). Freed, they stay in glibc's heap, so the process keeps its peak RSS for good
(measured: 1.4 GB after four Mandarin prompts); trimming after each synthesis job returns it
(310 MB). A no-op where the C library has no malloc_trim (musl, macOS).

Trimming after a job does not bound the peak *during* one. glibc raises its mmap threshold
each time a large block is freed, so the large tensors of the next run come from the heap,
where freed blocks fragment: one Mandarin sentence took the process from 435 MB to 0.85-1.3
GB, and eight in a row to 2.0 GB. :func:`bound_heap` pins the threshold (1 MiB), so every
tensor above it is its own mapping, returned the moment it is freed (peak 690 MB). The price
is page faults on fresh mappings: Kokoro's real-time factor goes from ~0.4 to ~0.9, or ~0.6
with transparent huge pages for those mappings, which only the environment can ask for:
``GLIBC_TUNABLES=glibc.malloc.hugetlb=1`` (the scripts and the Docker image set it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from collections.abc import Mapping
from functools import cache


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def trim() -> bool:
    """Release free heap pages; True if anything was returned."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False


_M_MMAP_THRESHOLD = -3  # mallopt parameters, from glibc's malloc.h
_M_ARENA_MAX = -8


def bound_heap(mmap_threshold: int = 1 << 20, arenas: int = 2) -> bool:
    """Pin glibc's mmap threshold and cap its per-thread arenas (call before threads start).

    Blocks of ``mmap_threshold`` bytes and more are mapped and unmapped one by one, so a
    model run's transient tensors never stay in the heap; ``arenas`` caps the heaps that
    worker threads spread their leftovers over. True if the C library took both settings."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        libc.mallopt(_M_ARENA_MAX, arenas)
    )


HUGE_PAGES = "glibc.malloc.hugetlb=1"


def env_with_huge_pages(environ: Mapping[str, str]) -> dict[str, str] | None:
    """``environ`` plus :data:`HUGE_PAGES` in ``GLIBC_TUNABLES``, or None where that is
    already there, not glibc on Linux, or turned off (``VOICEBOT_HUGE_PAGES=0``).

    glibc reads tunables at process start only: a command that loads the models re-executes
    itself once with this environment (:func:`reexec_with_huge_pages`)."""
    tunables = environ.get("GLIBC_TUNABLES", "")
    if (
        not sys.platform.startswith("linux")
        or _libc() is None
        or "glibc.malloc.hugetlb" in tunables
        or environ.get("VOICEBOT_HUGE_PAGES", "1") == "0"
    ):
        return None
    return {**environ, "GLIBC_TUNABLES": ":".join(t for t in (tunables, HUGE_PAGES) if t)}


def reexec_with_huge_pages() -> None:
    """Replace this process by itself (same pid, same arguments) with :data:`HUGE_PAGES` in
    its environment; returns only where that is not needed (see above)."""
    env = env_with_huge_pages(os.environ)
    if env is not None:
        logging.getLogger(__name__).debug("re-executing with %s", env["GLIBC_TUNABLES"])
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)  # noqa: S606
