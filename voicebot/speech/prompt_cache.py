"""Rendered prompts on disk, so a call never waits for the synthesis of a fixed prompt.

One 8 kHz mono 16-bit WAV per prompt (WAV rather than raw PCM so a person can play a cached
prompt to check it), named by the SHA-256 of (engine version, voice, text): a new model, a new
voice or edited text is a new key, and stale files are simply never read again. Writes go to a
temporary file in the same folder and are renamed into place, so a crash or two processes
rendering the same prompt never leave a half-written file under a real name. Unreadable files
count as misses and are removed. The async methods run the file I/O in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import tempfile
import wave
from pathlib import Path

from voicebot.errors import SpeechError
from voicebot.logs import fields
from voicebot.speech.audio import RATE

log = logging.getLogger(__name__)

KEY_SCHEMA = "voicebot-prompt/1"
"""Bump to invalidate every cached prompt (e.g. when the post-processing of all engines changes)."""


def cache_key(version: str, voice: str, text: str) -> str:
    """Hex SHA-256 naming a prompt; the parts are JSON-encoded so no separator can collide."""
    blob = json.dumps([KEY_SCHEMA, version, voice, text], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class PromptCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("a cache key is a lowercase hex SHA-256")
        return self.root / f"{key}.wav"

    def load(self, key: str) -> bytes | None:
        """The cached slin16 audio, or None (blocking: call :meth:`get` from async code)."""
        path = self.path(key)
        try:
            with wave.open(str(path), "rb") as w:
                shape = (w.getnchannels(), w.getsampwidth(), w.getframerate())
                pcm = w.readframes(w.getnframes())
        except FileNotFoundError:
            return None
        except (OSError, wave.Error, EOFError) as exc:
            log.warning("unreadable cached prompt removed", extra=fields(key=key, error=str(exc)))
            path.unlink(missing_ok=True)
            return None
        if shape != (1, 2, RATE) or not pcm:
            log.warning("cached prompt in wrong format removed", extra=fields(key=key))
            path.unlink(missing_ok=True)
            return None
        return pcm

    def store(self, key: str, pcm: bytes) -> Path:
        """Write atomically (temporary file + fsync + rename); returns the final path."""
        path = self.path(key)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=f".{key[:16]}.", suffix=".tmp")
        except OSError as exc:
            raise SpeechError(f"prompt cache {self.root}: cannot write: {exc}") from exc
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as raw:
                with wave.open(raw, "wb") as w:
                    w.setnchannels(1)
                    w.setsampwidth(2)
                    w.setframerate(RATE)
                    w.writeframes(pcm)
                raw.flush()
                os.fsync(raw.fileno())
            tmp.replace(path)
        except OSError as exc:
            raise SpeechError(f"prompt cache {path}: cannot write: {exc}") from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        return path

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self.load, key)

    async def put(self, key: str, pcm: bytes) -> Path:
        return await asyncio.to_thread(self.store, key, pcm)
