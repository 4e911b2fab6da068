"""The on-disk prompt cache: keys, atomic writes, bad files."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import pytest

from voicebot.errors import SpeechError
from voicebot.speech.prompt_cache import PromptCache, cache_key

PCM = bytes(range(256)) * 40


def test_key_depends_on_every_part() -> None:
    base = cache_key("v1", "kokoro:zf_xiaoyi", "你好")
    assert len(base) == 64
    assert base == cache_key("v1", "kokoro:zf_xiaoyi", "你好")
    assert base != cache_key("v2", "kokoro:zf_xiaoyi", "你好")
    assert base != cache_key("v1", "kokoro:zm_yunxi", "你好")
    assert base != cache_key("v1", "kokoro:zf_xiaoyi", "你好。")
    # no separator games: the parts are encoded, not concatenated
    assert cache_key("a", "b c", "d") != cache_key("a b", "c", "d")


def test_store_then_load_roundtrip(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path / "prompts")
    key = cache_key("v", "piper:x", "hello")
    assert cache.load(key) is None
    path = cache.store(key, PCM)
    assert path == tmp_path / "prompts" / f"{key}.wav"
    assert cache.load(key) == PCM
    with wave.open(str(path), "rb") as w:  # a playable 8 kHz mono WAV
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


def test_failed_write_leaves_no_file_under_the_real_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = PromptCache(tmp_path)
    key = cache_key("v", "piper:x", "hello")

    def crash(self: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(SpeechError, match="cannot write"):
        cache.store(key, PCM)
    assert list(tmp_path.iterdir()) == []
    assert cache.load(key) is None


def test_rewrite_replaces_atomically(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    key = cache_key("v", "piper:x", "hello")
    cache.store(key, PCM)
    inode = os.stat(cache.path(key)).st_ino
    cache.store(key, PCM[:320])
    assert cache.load(key) == PCM[:320]
    assert os.stat(cache.path(key)).st_ino != inode  # a new file renamed over the old one


@pytest.mark.parametrize("content", [b"garbage", b""])
def test_unreadable_file_is_a_miss_and_removed(tmp_path: Path, content: bytes) -> None:
    cache = PromptCache(tmp_path)
    key = cache_key("v", "piper:x", "hello")
    cache.path(key).write_bytes(content)
    assert cache.load(key) is None
    assert not cache.path(key).exists()


def test_wrong_rate_is_a_miss(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    key = cache_key("v", "piper:x", "hello")
    with wave.open(str(cache.path(key)), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(PCM)
    assert cache.load(key) is None


def test_key_must_be_a_sha256(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        PromptCache(tmp_path).path("../../etc/passwd")


async def test_async_methods(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    key = cache_key("v", "piper:x", "hello")
    assert await cache.get(key) is None
    await cache.put(key, PCM)
    assert await cache.get(key) == PCM
