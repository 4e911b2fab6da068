"""The async TTS facade with fake engines: streaming, one thread, cache, back-pressure, shutdown."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import aclosing
from pathlib import Path

import pytest

from voicebot.config import SpeechSettings
from voicebot.errors import InputError, SpeechBusy, SpeechError
from voicebot.speech.prompt_cache import PromptCache
from voicebot.speech.tts import EngineRegistry, Tts, default_registry, parse_voice

CHUNK = b"\x01\x00" * 800  # 0.1 s at 8 kHz


class FakeEngine:
    """One chunk per word; can be held between chunks to prove streaming and ordering."""

    name = "fake"

    def __init__(self, version: str = "fake/1") -> None:
        self.version = version
        self.calls: list[str] = []
        self.threads: set[int] = set()
        self.active = 0
        self.max_active = 0
        self.gate: threading.Event | None = None
        self.closed_early = threading.Event()
        self.fail_with: Exception | None = None

    def voices(self) -> list[str]:
        return ["a", "b"]

    def synthesize(self, text: str, voice: str) -> Iterator[bytes]:
        self.calls.append(text)
        self.threads.add(threading.get_ident())
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        finished = False
        try:
            for i, _word in enumerate(text.split()):
                if self.fail_with is not None:
                    raise self.fail_with
                if i and self.gate is not None:
                    assert self.gate.wait(5), "test never opened the gate"
                yield CHUNK
            finished = True
        finally:
            self.active -= 1
            if not finished:
                self.closed_early.set()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def registry_with(engine: FakeEngine, cacheable: bool = True) -> EngineRegistry:
    registry = EngineRegistry()
    registry.register("fake", lambda: engine, cacheable=cacheable)
    return registry


@pytest.mark.parametrize(
    ("voice", "parsed"),
    [
        ("kokoro:zf_xiaoyi", ("kokoro", "zf_xiaoyi")),
        ("recorded:", ("recorded", "")),
        ("piper:en_US-joe-medium", ("piper", "en_US-joe-medium")),
    ],
)
def test_parse_voice(voice: str, parsed: tuple[str, str]) -> None:
    assert parse_voice(voice) == parsed


@pytest.mark.parametrize("voice", ["zf_xiaoyi", ":x", " kokoro:x", ""])
def test_parse_voice_refuses_malformed(voice: str) -> None:
    with pytest.raises(InputError, match="expected '<engine>:<voice>'"):
        parse_voice(voice)


def test_default_registry_is_lazy() -> None:
    registry = default_registry(SpeechSettings())
    assert registry.names() == ["kokoro", "piper", "recorded"]
    assert registry.loaded("piper") is None
    assert not registry.cacheable("recorded")
    with pytest.raises(InputError, match="not registered"):
        registry.engine("espeak")


async def test_first_chunk_arrives_while_the_rest_renders() -> None:
    engine = FakeEngine()
    engine.gate = threading.Event()
    async with (
        Tts(registry_with(engine)) as tts,
        aclosing(tts.stream("one two three", "fake:a")) as chunks,
    ):
        first = await anext(chunks)  # the engine is blocked before its 2nd chunk
        assert first == CHUNK
        engine.gate.set()
        rest = [c async for c in chunks]
    assert len(rest) == 2


async def test_one_synthesis_thread_serializes_everything() -> None:
    engine = FakeEngine()

    async def say(text: str) -> bytes:
        async with aclosing(tts.stream(text, "fake:b")) as chunks:
            return b"".join([c async for c in chunks])

    async with Tts(registry_with(engine)) as tts:
        results = await asyncio.gather(*(say(f"w{i} x y") for i in range(6)))
    assert all(len(r) == 3 * len(CHUNK) for r in results)
    assert engine.max_active == 1
    assert len(engine.threads) == 1
    assert threading.get_ident() not in engine.threads
    assert tts.stats().jobs_done >= 6


async def test_render_uses_and_fills_the_cache(tmp_path: Path) -> None:
    engine = FakeEngine()
    cache = PromptCache(tmp_path)
    async with Tts(registry_with(engine), cache) as tts:
        first = await tts.render("hello there", "fake:a")
        again = await tts.render("hello there", "fake:a")
        streamed = [c async for c in tts.stream("hello there", "fake:a")]
        await tts.render("hello there", "fake:b")
    assert first == again == b"".join(streamed) == CHUNK * 2
    assert engine.calls == ["hello there", "hello there"]  # voice a once, voice b once
    assert len(names(tmp_path)) == 2
    # a new engine version is a new key: rendered again
    newer = FakeEngine(version="fake/2")
    async with Tts(registry_with(newer), cache) as tts:
        await tts.render("hello there", "fake:a")
        assert tts.stats().cache_misses == 1
    assert newer.calls == ["hello there"]


async def test_stream_does_not_store_dynamic_text(tmp_path: Path) -> None:
    engine = FakeEngine()
    async with Tts(registry_with(engine), PromptCache(tmp_path)) as tts:
        [c async for c in tts.stream("张伟 您好", "fake:a")]
    assert names(tmp_path) == []


async def test_uncacheable_engine_bypasses_the_cache(tmp_path: Path) -> None:
    engine = FakeEngine()
    async with Tts(registry_with(engine, cacheable=False), PromptCache(tmp_path)) as tts:
        await tts.render("a b", "fake:a")
        await tts.render("a b", "fake:a")
    assert len(engine.calls) == 2
    assert names(tmp_path) == []


async def test_concurrent_renders_of_one_prompt_synthesize_once(tmp_path: Path) -> None:
    engine = FakeEngine()
    async with Tts(registry_with(engine), PromptCache(tmp_path)) as tts:
        results = await asyncio.gather(*(tts.render("same words", "fake:a") for _ in range(4)))
    assert len(set(results)) == 1
    assert engine.calls == ["same words"]


async def test_prerender_reports_rendered_and_cached(tmp_path: Path) -> None:
    engine = FakeEngine()
    items = [("hello", "fake:a"), ("bye now", "fake:a"), ("hello", "fake:a")]
    async with Tts(registry_with(engine), PromptCache(tmp_path)) as tts:
        first = await tts.prerender(items)
        second = await tts.prerender(items)
    assert (first.prompts, first.rendered, first.cached) == (2, 2, 0)
    assert (second.prompts, second.rendered, second.cached) == (2, 0, 2)
    assert first.audio_s == pytest.approx(0.3)


async def test_full_queue_refuses_with_speech_busy() -> None:
    engine = FakeEngine()
    engine.gate = threading.Event()
    async with Tts(registry_with(engine), max_jobs=1, submit_timeout_s=0.05) as tts:
        await tts.engine("fake")
        async with aclosing(tts.stream("one two", "fake:a")) as held:
            await anext(held)  # the only slot is taken by a job that cannot finish yet
            with pytest.raises(SpeechBusy) as refused:
                await tts.render("other", "fake:a")
            assert refused.value.retryable
            engine.gate.set()
            [c async for c in held]
        assert tts.stats().busy_refusals == 1
        assert await tts.render("other", "fake:a") == CHUNK  # the slot came back


async def test_a_consumer_that_stops_early_cancels_its_job() -> None:
    engine = FakeEngine()
    engine.gate = threading.Event()
    async with Tts(registry_with(engine), max_jobs=1) as tts:
        async with aclosing(tts.stream("one two three four", "fake:a")) as chunks:
            await anext(chunks)
        engine.gate.set()
        assert await tts.render("next", "fake:a") == CHUNK  # the slot was freed
        assert engine.closed_early.wait(2)
        assert tts.stats().jobs_cancelled == 1


async def test_engine_errors_reach_the_caller() -> None:
    engine = FakeEngine()
    async with Tts(registry_with(engine)) as tts:
        with pytest.raises(InputError, match="does not exist"):
            await tts.render("x", "fake:zz")
        with pytest.raises(InputError, match="not registered"):
            await tts.render("x", "nope:a")
        engine.fail_with = RuntimeError("boom")
        with pytest.raises(SpeechError, match="RuntimeError: boom"):
            await tts.render("x y", "fake:a")
        engine.fail_with = None
        assert await tts.render("still works", "fake:a") == CHUNK * 2
        assert tts.stats().jobs_failed == 2


async def test_close_fails_queued_jobs_and_stops_the_thread() -> None:
    engine = FakeEngine()
    engine.gate = threading.Event()
    tts = Tts(registry_with(engine), close_timeout_s=2)
    await tts.start()
    held = tts.stream("one two", "fake:a")
    await anext(held)
    queued = asyncio.create_task(tts.render("queued", "fake:a"), name="queued-render")
    await asyncio.sleep(0.05)
    closing = asyncio.create_task(tts.aclose(), name="close")
    await asyncio.sleep(0.05)
    engine.gate.set()
    await asyncio.wait_for(closing, 3)
    with pytest.raises(SpeechError, match="TTS closed"):
        await asyncio.wait_for(queued, 3)
    await held.aclose()
    assert not tts.running
    with pytest.raises(SpeechError, match="not running"):
        await tts.render("late", "fake:a")


async def test_not_started() -> None:
    with pytest.raises(SpeechError, match="not running"):
        await Tts(registry_with(FakeEngine())).render("x", "fake:a")


async def test_a_stuck_engine_times_out_as_busy() -> None:
    engine = FakeEngine()
    engine.gate = threading.Event()
    async with Tts(registry_with(engine), chunk_timeout_s=0.1) as tts:
        await tts.warm(["fake:a"])
        with pytest.raises(SpeechBusy, match=r"no audio for 0\.1 s"):
            await tts.render("one two", "fake:a")
        engine.gate.set()
        assert await tts.render("three", "fake:a") == CHUNK
