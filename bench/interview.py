"""Interview benchmark on the REAL call path: concurrent interviews through Asterisk.

    .cache/venv/bin/python bench/interview.py [--calls 1 4 8 12]

For each level N, N scripted candidates (pjsua2, alternately the strong English and the
strong Mandarin persona) are interviewed at once with the real models. Printed per level:

- end of the candidate's speech -> first audio frame of the bot's next prompt, measured by
  the driver in call time (sample counts), p50/p95, for open answers (target: p50 <=
  hangover + 200 ms = 1.0 s) and for yes/no / number / choice answers (target: p50 <= 0.9 s);
- the media clock while calls are up (inter-frame p99, max lag, resyncs);
- how many interviews ended as scripted (every answer on its question);
- the process's RSS (speech stack + everything) and its peak.
The capacity is the largest level meeting every target. Bounded: at most 16 calls; one
round of ~3 minutes per level. The candidates' own CPU is on the same 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import add_heap_options, bench_settings, heap_setup, speech_variant  # noqa: E402 - bench/ is on sys.path as the script's folder

from voicebot import logs  # noqa: E402
from voicebot.interview.factory import InterviewFactory  # noqa: E402
from voicebot.service import AttemptResult, Service  # noqa: E402
from voicebot.testing.harness import CandidateProcess  # noqa: E402
from voicebot.testing.personas import Persona, load_personas  # noqa: E402
from voicebot.testing.spec import AgentSpec  # noqa: E402

OPEN_TARGET_S = 1.0  # hangover 800 ms + 200 ms
CLOSED_TARGET_S = 0.9
PERSONAS = ("en_strong", "zh_strong")


@dataclass
class Level:
    calls: int
    open_gaps: list[float]
    closed_gaps: list[float]
    on_script: int
    clock_p99_ms: float
    max_lag_ms: float
    resyncs: int
    rss_mb: float

    def p(self, gaps: list[float], q: int) -> float:
        return statistics.quantiles(gaps, n=100)[q - 1] if len(gaps) >= 2 else float("nan")

    def line(self) -> str:
        o50, o95 = self.p(self.open_gaps, 50), self.p(self.open_gaps, 95)
        c50, c95 = self.p(self.closed_gaps, 50), self.p(self.closed_gaps, 95)
        return (
            f"{self.calls:>5}  {o50:5.2f} / {o95:5.2f} s{'':18}{c50:5.2f} / {c95:5.2f} s{'':20}"
            f"{self.on_script:>2}/{self.calls:<2}    {self.clock_p99_ms:5.1f} ms  "
            f"{self.max_lag_ms:5.0f} ms  {self.resyncs:>4}    {self.rss_mb:.0f} MB"
            f"  {'OK' if self.ok else 'MISSED'}"
        )

    @property
    def ok(self) -> bool:
        return (
            self.on_script == self.calls
            and self.p(self.open_gaps, 50) <= OPEN_TARGET_S
            and self.p(self.closed_gaps, 50) <= CLOSED_TARGET_S
            and self.resyncs == 0
        )


def rss_mb() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def on_script(persona: Persona, result: AttemptResult) -> bool:
    report = result.call.result.data.get("report") if result.call else None
    if not isinstance(report, dict) or report["call"]["outcome"] != "completed":
        return False
    answered = {q["id"] for q in report["questions"] if q["status"] == "answered"}
    wanted = {
        s for s, _, _ in persona.answers if s not in ("consent", "good_time", "anything_else")
    }
    return wanted <= answered


async def run_level(svc: Service, factories: dict[str, InterviewFactory], n: int) -> Level:
    personas = load_personas()
    cast = {f"cand{i + 1}": personas[PERSONAS[i % 2]] for i in range(n)}
    secret = (ROOT / ".cache/asterisk/secrets/candidates").read_text().strip()
    out = Path(tempfile.mkdtemp(prefix="bench-cand-"))
    spec = AgentSpec(
        secret=secret, out_dir=str(out), candidates=tuple(p.candidate(u) for u, p in cast.items())
    )
    async with CandidateProcess(spec):
        svc.clock.stats.reset()
        tasks = [
            svc.start_call(u, conversations=factories[p.profile], **p.call_info())
            for u, p in cast.items()
        ]
        results = await asyncio.gather(*tasks)
    stats = svc.clock.stats
    open_gaps: list[float] = []
    closed_gaps: list[float] = []
    for result in results:
        if result.call is None:
            continue
        for lat in result.call.result.data.get("latency", []):
            if lat["next_prompt_s"] is None:
                continue
            gap = lat["next_prompt_s"] - lat["speech_end_s"]
            (open_gaps if lat["expect"] == "open" else closed_gaps).append(gap)
    rss, _ = rss_mb()
    return Level(
        calls=n,
        open_gaps=open_gaps,
        closed_gaps=closed_gaps,
        on_script=sum(on_script(p, r) for p, r in zip(cast.values(), results, strict=True)),
        clock_p99_ms=stats.percentiles(99)[0],
        max_lag_ms=stats.max_lag_ms,
        resyncs=stats.resyncs,
        rss_mb=rss,
    )


async def main(levels: list[int], cold: bool, default_heap: bool) -> int:
    logs.setup("WARNING")
    settings = bench_settings("voicebot-bench-", 32)
    settings = speech_variant(settings, default_heap=default_heap, cold=cold)
    base_rss, _ = rss_mb()
    results: list[Level] = []
    async with Service(settings, speech=True) as svc:
        personas = load_personas()
        factories = {}
        for name in sorted({personas[p].profile for p in PERSONAS}):
            factories[name] = await InterviewFactory.prepare(
                ROOT / "examples" / name, svc.speech, svc.store, settings.call.zone
            )
        await svc.wait_ami()
        loaded_rss, _ = rss_mb()
        print(f"RSS: {base_rss:.0f} MB at start, {loaded_rss:.0f} MB with all models loaded")
        print(
            "calls  open p50/p95 (target p50<=1.0s)  closed p50/p95 (target p50<=0.9s)  "
            "on script  clock p99  max lag  resyncs  RSS"
        )
        for n in levels:
            level = await run_level(svc, factories, n)
            results.append(level)
            print(level.line())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    capacity = max((lvl.calls for lvl in results if lvl.ok), default=0)
    print(f"peak RSS of the process: {peak:.0f} MB (target: speech stack <= 600 MB)")
    print(f"capacity: {capacity} simultaneous interviews meeting every target (tried {levels})")
    return 0 if capacity else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, nargs="+", default=[1, 4, 8, 12])
    parser.add_argument(
        "--cold", action="store_true", help="an empty prompt cache: render every prompt first"
    )
    add_heap_options(parser)
    args = parser.parse_args()
    if any(not 1 <= n <= 16 for n in args.calls):
        parser.error("bounded: 1..16 concurrent interviews")
    heap_setup(args)
    raise SystemExit(asyncio.run(main(args.calls, args.cold, args.default_heap)))
