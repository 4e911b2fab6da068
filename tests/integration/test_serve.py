"""`voicebot serve` as a real process: HTTP health/metrics, clean shutdown on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from .support import ROOT, SECRETS

pytestmark = pytest.mark.asterisk


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_reports_health_and_stops_on_sigterm(
    asterisk_running: None, tmp_path: Path
) -> None:
    http_port = free_port()
    config = tmp_path / "voicebot.toml"
    config.write_text(
        f'[ami]\nsecret_file = "{SECRETS / "ami"}"\n'
        f"[audiosocket]\nport = {free_port()}\n"
        f"[http]\nport = {http_port}\n"
        f'[storage]\ndata_dir = "{tmp_path / "var"}"\n'
        '[log]\nformat = "json"\n'
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "voicebot",
        "--config",
        str(config),
        "serve",
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as http:
            health = None
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{http_port}/healthz") as r:
                        health = (r.status, await r.json())
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
            assert health is not None
            assert health[0] == 200
            assert health[1]["ami"] == "connected"
            async with http.get(f"http://127.0.0.1:{http_port}/metrics") as r:
                text = await r.text()
            assert "voicebot_ami_up 1" in text
            assert 'voicebot_media_tick_interval_ms{quantile="0.99"}' in text
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 10)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert code == 0
    assert proc.stderr is not None
    lines = [
        json.loads(x) for x in (await proc.stderr.read()).decode().splitlines() if x.startswith("{")
    ]
    messages = [x["msg"] for x in lines]
    assert "voicebot service started" in messages
    assert messages[-1] == "voicebot service stopped"
