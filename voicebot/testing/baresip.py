"""baresip as a candidate: a softphone nobody in this project wrote (interop check).

It runs from the Asterisk sid root (``apt: baresip-core``), registers as a test candidate,
answers automatically, plays a WAV as its microphone (the ``aufile`` module: from the moment
the call's audio starts, so lead the file with silence to answer after the prompt) and
records what it hears.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from pathlib import Path
from types import TracebackType


class BaresipCandidate:
    def __init__(
        self, root: Path, user: str, secret: str, say: Path, *, sip_port: int = 5091
    ) -> None:
        self._root = root
        self._user = user
        self._dir = f"/var/lib/voicebot-baresip/{user}"  # inside the root filesystem
        self._host_dir = root / self._dir.lstrip("/")
        self._secret = secret
        self._say = say
        self._port = sip_port
        self._proc: asyncio.subprocess.Process | None = None
        self.output: list[str] = []

    @property
    def heard(self) -> Path:
        """What baresip heard, on the host."""
        return self._host_dir / "heard.wav"

    async def __aenter__(self) -> BaresipCandidate:
        d = self._host_dir
        await asyncio.to_thread(self._write_config, d)
        root = str(self._root)
        self._proc = await asyncio.create_subprocess_exec(
            "unshare", "--mount", "--propagation", "private", "sh", "-c",
            f"mount -t proc proc '{root}/proc' && exec chroot '{root}' baresip -f {self._dir}",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        assert self._proc.stdout is not None
        async with asyncio.timeout(15):
            async for raw in self._proc.stdout:
                line = raw.decode("utf-8", "replace").strip()
                self.output.append(line)
                if f"{self._user}@" in line and "200 OK" in line:
                    break
        self._reader = asyncio.create_task(self._drain(), name=f"baresip-{self._user}")
        return self

    def _write_config(self, d: Path) -> None:
        d.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._say, d / "say.wav")
        (d / "accounts").write_text(
            f"<sip:{self._user}@127.0.0.1:5060>;auth_pass={self._secret};"
            "answermode=auto;regint=300\n"
        )
        (d / "config").write_text(
            "module_path /usr/lib/baresip/modules\n"
            "module g711.so\nmodule aufile.so\n"
            "module_app account.so\nmodule_app menu.so\n"
            f"sip_listen 127.0.0.1:{self._port}\n"
            f"audio_source aufile,{self._dir}/say.wav\n"
            f"audio_player aufile,{self._dir}/heard.wav\n"
            "audio_alert aufile,/dev/null\n"
            "ausrc_srate 8000\nauplay_srate 8000\n"
        )

    async def _drain(self) -> None:
        assert self._proc is not None
        assert self._proc.stdout is not None
        async for raw in self._proc.stdout:
            self.output.append(raw.decode("utf-8", "replace").strip())

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None and self._proc.returncode is None:
            self._proc.terminate()
            try:
                async with asyncio.timeout(5):
                    await self._proc.wait()
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()
        reader = getattr(self, "_reader", None)
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
