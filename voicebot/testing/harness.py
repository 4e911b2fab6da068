"""Run scripted candidates as a child process and follow what they report.

async with CandidateProcess(spec) as cands:
    ...originate to cand1...
    end = await cands.wait_event("call_end", user="cand1", timeout=60)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from voicebot.testing.spec import AgentSpec

log = logging.getLogger(__name__)

EVENT_PREFIX = "VBEV "
CandidateEvent = dict[str, Any]


class CandidateError(RuntimeError):
    pass


class CandidateProcess:
    def __init__(self, spec: AgentSpec, python: str = sys.executable) -> None:
        self.spec = spec
        self._python = python
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._events: list[CandidateEvent] = []
        self._changed = asyncio.Condition()
        self._spec_file: Path | None = None
        self.exit_code: int | None = None

    async def __aenter__(self) -> CandidateProcess:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self, timeout: float = 20.0) -> None:
        fd, name = tempfile.mkstemp(prefix="candidate-", suffix=".json")
        os.close(fd)
        self._spec_file = Path(name)
        await asyncio.to_thread(self._spec_file.write_text, self.spec.model_dump_json())
        self._proc = await asyncio.create_subprocess_exec(
            self._python,
            "-m",
            "voicebot.testing.candidate",
            name,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read(), name="candidate-reader")
        ready = await self.wait_event(("ready", "error", "exit"), timeout=timeout)
        if ready["event"] != "ready":
            await self.stop()
            raise CandidateError(f"scripted candidates did not start: {ready}")

    async def _read(self) -> None:
        assert self._proc is not None
        assert self._proc.stdout is not None
        tail: list[str] = []
        async for raw in self._proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line.startswith(EVENT_PREFIX):
                await self._push(json.loads(line[len(EVENT_PREFIX) :]))
            elif line:
                tail = [*tail[-30:], line]
        self.exit_code = await self._proc.wait()
        await self._push({"event": "exit", "code": self.exit_code, "output": tail})

    async def _push(self, event: CandidateEvent) -> None:
        async with self._changed:
            self._events.append(event)
            self._changed.notify_all()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def events(self) -> list[CandidateEvent]:
        return list(self._events)

    async def wait_event(
        self,
        kind: str | tuple[str, ...],
        timeout: float,
        where: Callable[[CandidateEvent], bool] | None = None,
        **match: Any,
    ) -> CandidateEvent:
        """The first event (already seen or yet to come) of this kind matching all fields."""
        kinds = (kind,) if isinstance(kind, str) else kind

        def find() -> CandidateEvent | None:
            for ev in self._events:
                if (
                    ev["event"] in kinds
                    and all(ev.get(k) == v for k, v in match.items())
                    and (where is None or where(ev))
                ):
                    return ev
                if ev["event"] == "exit" and "exit" not in kinds:
                    raise CandidateError(f"candidate process exited: {ev}")
            return None

        async with asyncio.timeout(timeout), self._changed:
            while (found := find()) is None:
                await self._changed.wait()
            return found

    async def stop(self, timeout: float = 10.0) -> None:
        if self._proc is not None and self._proc.returncode is None:
            self._proc.terminate()
            try:
                async with asyncio.timeout(timeout):
                    await self._proc.wait()
            except TimeoutError:
                log.warning("candidate process did not stop: killing it")
                self._proc.kill()
                await self._proc.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._spec_file is not None:
            self._spec_file.unlink(missing_ok=True)
