"""Load test: concurrent calls through the REAL Asterisk with voicebot sending paced audio.

    .cache/venv/bin/python bench/load_calls.py [--calls 60] [--hold 20]

One candidate process (pjsua2, the static peer `loadcand` on 127.0.0.1:5080) answers every
call; voicebot plays a looped prompt on each call for --hold seconds, then hangs up. Measured
while all calls are up: the interval between consecutive 20 ms frames as sent (p50/p99/max),
CPU of voicebot, Asterisk and the candidate process, and afterwards how much of the audio
each candidate actually heard (a paced stream arrives at full length; a burst would not).
Bounded: at most --calls calls of --hold seconds, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import bench_settings  # noqa: E402 - bench/ is on sys.path as the script's folder

from voicebot import logs  # noqa: E402
from voicebot.call.api import CallIO, ConversationResult  # noqa: E402
from voicebot.call.fixed_prompt import FixedPrompt  # noqa: E402
from voicebot.service import Service  # noqa: E402
from voicebot.testing.analysis import voiced  # noqa: E402
from voicebot.testing.harness import CandidateProcess  # noqa: E402
from voicebot.testing.spec import AgentSpec, CandidateSpec, ScriptSpec  # noqa: E402


class Hold:
    """Play the prompt again and again for `seconds`, then hang up."""

    def __init__(self, pcm: bytes, seconds: float) -> None:
        self.pcm = pcm
        self.seconds = seconds

    async def run(self, call: CallIO) -> ConversationResult:
        loops = max(1, round(self.seconds / (len(self.pcm) / 16000)))
        handle = call.play(self.pcm * loops, "load")
        await call.wait_played(handle, timeout=self.seconds + 30)
        return ConversationResult("completed", {"played_s": handle.played_s})


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main(calls: int, hold: float, ramp: float) -> int:
    logs.setup("WARNING")
    settings = bench_settings("voicebot-load-", calls)
    data = settings.storage.data_dir
    prompt = FixedPrompt.bundled().prompt
    spec = AgentSpec(
        sip_port=5080,
        out_dir=str(data / "candidate"),
        candidates=(
            CandidateSpec(
                user="loadcand",
                registers=False,
                default=True,
                script=ScriptSpec(ring_s=0.1, max_call_s=hold + 60),
            ),
        ),
    )
    asterisk_pid = int((ROOT / ".cache/asterisk/asterisk.pid").read_text())
    async with (
        CandidateProcess(spec) as cands,
        Service(settings, lambda i: Hold(prompt, hold)) as svc,
    ):
        await svc.wait_ami()
        tasks = []
        for _ in range(calls):
            tasks.append(svc.start_call("loadcand"))
            await asyncio.sleep(ramp)
        deadline = time.monotonic() + 30
        while svc.registry.active < calls and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # polls the registry's count: no event exists for it
        connected = svc.registry.active
        # steady state: every call is up and sending
        svc.clock.stats.reset()
        assert cands.pid is not None
        t0, p0 = time.monotonic(), time.process_time()
        a0, c0 = cpu_seconds(asterisk_pid), cpu_seconds(cands.pid)
        window = max(1.0, hold - calls * ramp - 2)
        await asyncio.sleep(window)
        wall = time.monotonic() - t0
        cpu_bot = (time.process_time() - p0) / wall
        cpu_ast = (cpu_seconds(asterisk_pid) - a0) / wall
        cpu_cand = (cpu_seconds(cands.pid) - c0) / wall
        stats = svc.clock.stats
        p50, p99, p999 = stats.percentiles(50, 99, 99.9)
        samples = stats.samples
        resyncs = stats.resyncs
        results = await asyncio.gather(*tasks)
        ends = [e for e in cands.events if e["event"] == "call_end"]
        for _ in range(100):
            if len(ends) >= connected:
                break
            await asyncio.sleep(0.1)
            ends = [e for e in cands.events if e["event"] == "call_end"]

    played = [r.call.result.data.get("played_s", 0.0) for r in results if r.call]
    heard = [voiced(Path(e["recording"])).duration_s for e in ends if e.get("recording")]
    answered = sum(1 for r in results if r.outcome == "answered")
    print(f"calls: {calls} originated, {answered} answered, {connected} up at once")
    print(f"window: {wall:.1f} s with all calls up, {samples} ticks measured")
    print(
        f"inter-frame (send side): p50 {p50:.2f} ms  p99 {p99:.2f} ms  p99.9 {p999:.2f} ms  "
        f"max lag {stats.max_lag_ms:.1f} ms  resyncs {resyncs}"
    )
    print(
        f"CPU (share of one core): voicebot {cpu_bot:.0%}  asterisk {cpu_ast:.0%}  "
        f"candidates {cpu_cand:.0%}"
    )
    if played and heard:
        print(
            f"audio: voicebot played {min(played):.1f}-{max(played):.1f} s per call; "
            f"candidates heard {min(heard):.1f}-{max(heard):.1f} s per call"
        )
    ok = answered == calls and connected == calls and p99 < 40
    print("RESULT:", "OK" if ok else "DEGRADED")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--hold", type=float, default=20.0, help="seconds of audio per call")
    parser.add_argument("--ramp", type=float, default=0.05, help="seconds between originates")
    a = parser.parse_args()
    if not 1 <= a.calls <= 150 or not 1 <= a.hold <= 120:
        parser.error("bounded: 1..150 calls, 1..120 s")
    raise SystemExit(asyncio.run(main(a.calls, a.hold, a.ramp)))
