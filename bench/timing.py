"""Small timing helpers shared by the benches (latency samples, percentiles, process memory).

lat = Samples("turn end -> final text", unit="s")
lat.add(0.42)
print(lat.line())          # turn end -> final text  n=40  p50=0.412 s  p95=0.733 s  max=0.9 s
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class Samples:
    name: str
    unit: str = "s"
    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(float(value))

    def extend(self, values: Iterable[float]) -> None:
        self.values.extend(float(v) for v in values)

    def pct(self, q: float) -> float:
        return float(np.percentile(self.values, q)) if self.values else float("nan")

    @property
    def p50(self) -> float:
        return self.pct(50)

    @property
    def p95(self) -> float:
        return self.pct(95)

    def summary(self) -> dict[str, float | int | str]:
        return {
            "name": self.name,
            "n": len(self.values),
            "p50": round(self.p50, 4),
            "p95": round(self.p95, 4),
            "max": round(max(self.values), 4) if self.values else float("nan"),
            "unit": self.unit,
        }

    def line(self, width: int = 44) -> str:
        if not self.values:
            return f"{self.name:<{width}} n=0"
        u = self.unit
        return (
            f"{self.name:<{width}} n={len(self.values):<3} p50={self.p50:.3f} {u}  "
            f"p95={self.p95:.3f} {u}  max={max(self.values):.3f} {u}"
        )


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: ...`` then ``t[0]`` is the elapsed wall time in seconds."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def rss_mb() -> float:
    """Resident memory of this process now (MB), from /proc."""
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hwm_mb() -> float:
    """Peak resident memory since the last :func:`reset_peak_rss` (or since start), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_rss() -> None:
    """Start :func:`hwm_mb` again from the current RSS (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")
