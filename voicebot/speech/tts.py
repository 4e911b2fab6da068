"""Text to speech: the one engine interface, the engine registry, and the async facade.

An engine (:class:`TtsEngine`) is blocking and knows nothing about asyncio: it turns text into
8 kHz slin16 piece by piece. A voice is named ``"<engine>:<voice>"`` (``piper:en_US-joe-medium``,
``kokoro:zf_xiaoyi``, ``recorded:``); the :class:`EngineRegistry` maps engine names to
factories, so a model is loaded only when a voice of it is first used and users can add their
own engine with :meth:`EngineRegistry.register`.

:class:`Tts` is what the call path uses. All synthesis runs on ONE dedicated thread: piper's
espeak-ng is not thread-safe, and one synthesis at a time bounds the CPU that TTS takes from
ASR on a small machine. Jobs are admitted through a bounded number of slots; when every slot is
taken for ``submit_timeout_s`` the caller gets :class:`SpeechBusy` (counted in :meth:`Tts.stats`).
Each job hands its chunks to the event loop as soon as they exist, so the first sentence plays
while the next one renders. A job's chunk queue is not bounded separately: it holds at most one
chunk per piece of one text, and a consumer that goes away cancels the job between pieces.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator
from contextlib import aclosing, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from voicebot.config import SpeechSettings
from voicebot.errors import InputError, SpeechBusy, SpeechError, VoicebotError
from voicebot.logs import fields
from voicebot.speech import memory
from voicebot.speech.audio import duration_s
from voicebot.speech.prompt_cache import PromptCache, cache_key

log = logging.getLogger(__name__)


class TtsEngine(Protocol):
    name: str
    version: str
    """Engine and model identity (package versions, checksums); part of the prompt cache key."""

    def voices(self) -> list[str]: ...

    def synthesize(self, text: str, voice: str) -> Iterator[bytes]:
        """BLOCKING. Yield 8 kHz slin16 sentence by sentence (or clause by clause)."""
        ...


EngineFactory = Callable[[], TtsEngine]


def parse_voice(voice: str) -> tuple[str, str]:
    """``"kokoro:zf_xiaoyi"`` -> ``("kokoro", "zf_xiaoyi")``; InputError when malformed."""
    engine, sep, name = voice.partition(":")
    if not sep or not engine.strip() or engine != engine.strip():
        raise InputError(
            f"voice {voice!r}: expected '<engine>:<voice>', e.g. piper:en_US-joe-medium"
        )
    return engine, name


@dataclass(frozen=True, slots=True)
class _Entry:
    factory: EngineFactory
    cacheable: bool


class EngineRegistry:
    """Engine name -> factory; each engine is built (its model loaded) once, on first use."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._engines: dict[str, TtsEngine] = {}
        self._lock = threading.Lock()

    def register(self, name: str, factory: EngineFactory, *, cacheable: bool = True) -> None:
        """Add or replace an engine. ``cacheable=False`` keeps its output out of the prompt
        cache (recorded files: they load in milliseconds and may be replaced by HR)."""
        if not name or ":" in name:
            raise ValueError("an engine name is non-empty and has no ':'")
        with self._lock:
            self._entries[name] = _Entry(factory, cacheable)
            self._engines.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._entries)

    def cacheable(self, name: str) -> bool:
        return self._entry(name).cacheable

    def loaded(self, name: str) -> TtsEngine | None:
        return self._engines.get(name)

    def engine(self, name: str) -> TtsEngine:
        """The engine, built now if needed (BLOCKING: may load a model for seconds)."""
        entry = self._entry(name)
        with self._lock:
            engine = self._engines.get(name)
            if engine is None:
                started = time.perf_counter()
                engine = entry.factory()
                self._engines[name] = engine
                log.info(
                    "tts engine loaded",
                    extra=fields(
                        engine=name,
                        version=engine.version,
                        load_s=round(time.perf_counter() - started, 3),
                    ),
                )
            return engine

    def _entry(self, name: str) -> _Entry:
        entry = self._entries.get(name)
        if entry is None:
            known = ", ".join(self.names()) or "none"
            raise InputError(f"TTS engine {name!r} is not registered (known: {known})")
        return entry


def default_registry(settings: SpeechSettings, recorded_root: Path | None = None) -> EngineRegistry:
    """piper (English), kokoro (Mandarin) and recorded files.

    The engine modules are imported inside the factories on purpose (PLC0415): importing piper,
    onnxruntime and jieba costs ~1 s and ~100 MB, which a process that never speaks should not pay.
    """

    def piper() -> TtsEngine:
        from voicebot.speech.tts_piper import PiperEngine  # noqa: PLC0415

        return PiperEngine.from_packages()

    def kokoro() -> TtsEngine:
        from voicebot.speech.tts_kokoro import KokoroEngine  # noqa: PLC0415

        return KokoroEngine.load(settings.models_dir)

    def recorded() -> TtsEngine:
        from voicebot.speech.tts_recorded import RecordedEngine  # noqa: PLC0415

        return RecordedEngine(recorded_root)

    registry = EngineRegistry()
    registry.register("piper", piper)
    registry.register("kokoro", kokoro)
    registry.register("recorded", recorded, cacheable=False)
    return registry


@dataclass(frozen=True, slots=True)
class TtsStats:
    jobs_done: int
    jobs_failed: int
    jobs_cancelled: int
    busy_refusals: int
    cache_hits: int
    cache_misses: int
    in_flight: int


@dataclass(frozen=True, slots=True)
class PrerenderReport:
    prompts: int
    rendered: int
    cached: int
    audio_s: float
    elapsed_s: float


_Item = bytes | BaseException | None
"""What a job hands to the loop: a chunk, the error that ended it, or None (done)."""


class _Job:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        work: Callable[[], Iterable[bytes]],
        what: dict[str, object],
    ) -> None:
        self.loop = loop
        self.work = work
        self.what = what
        self.cancelled = threading.Event()
        self.out: asyncio.Queue[_Item] = asyncio.Queue()

    def send(self, item: _Item) -> None:
        """From the synthesis thread: hand an item to the consumer on the loop."""
        try:
            self.loop.call_soon_threadsafe(self.out.put_nowait, item)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            self.cancelled.set()


class Tts:
    """Async facade over the engines: one synthesis thread, bounded admission, prompt cache.

    Use as ``async with Tts(registry, cache) as tts:``. Close a :meth:`stream` you stop
    reading early (``async with contextlib.aclosing(tts.stream(...))``) so its job stops.
    """

    def __init__(
        self,
        registry: EngineRegistry,
        cache: PromptCache | None = None,
        *,
        max_jobs: int = 16,
        submit_timeout_s: float = 10.0,
        chunk_timeout_s: float = 60.0,
        render_timeout_s: float = 300.0,
        close_timeout_s: float = 10.0,
    ) -> None:
        if max_jobs < 1:
            raise ValueError("max_jobs must be at least 1")
        self._registry = registry
        self._cache = cache
        self._max_jobs = max_jobs
        self._submit_timeout_s = submit_timeout_s
        self._chunk_timeout_s = chunk_timeout_s
        self._render_timeout_s = render_timeout_s
        self._close_timeout_s = close_timeout_s
        self._slots = asyncio.Semaphore(max_jobs)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()  # bounded by the slots
        self._pending: set[_Job] = set()
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Future[None] | None = None
        self._closed = False
        self._inflight: dict[str, asyncio.Future[bytes]] = {}
        self._counts = dict.fromkeys(
            ("done", "failed", "cancelled", "busy", "cache_hits", "cache_misses"), 0
        )

    async def __aenter__(self) -> Tts:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def start(self) -> None:
        if self._thread is not None:
            return
        loop = asyncio.get_running_loop()
        self._stopped = loop.create_future()
        self._thread = threading.Thread(
            target=self._worker, args=(loop, self._stopped), name="tts-synthesis", daemon=True
        )
        self._thread.start()

    async def aclose(self) -> None:
        """Cancel queued jobs, stop the thread; waits ``close_timeout_s`` for the running one."""
        if self._thread is None or self._closed:
            return
        self._closed = True
        for job in list(self._pending):
            job.cancelled.set()
        self._jobs.put(None)
        assert self._stopped is not None
        try:
            async with asyncio.timeout(self._close_timeout_s):
                await asyncio.shield(self._stopped)
                # the thread resolves ``stopped`` as its last act; let it finish exiting
                await asyncio.to_thread(self._thread.join)
        except TimeoutError:
            # a daemon thread: it cannot keep the process alive, and it exits after this piece
            log.warning(
                "tts thread still busy at shutdown", extra=fields(pending=len(self._pending))
            )

    @property
    def running(self) -> bool:
        """The synthesis thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def stats(self) -> TtsStats:
        c = self._counts
        return TtsStats(
            c["done"],
            c["failed"],
            c["cancelled"],
            c["busy"],
            c["cache_hits"],
            c["cache_misses"],
            len(self._pending),
        )

    async def engine(self, name: str) -> TtsEngine:
        """The engine, loading its model on the synthesis thread the first time."""
        engine = self._registry.loaded(name)
        if engine is not None:
            return engine
        self._registry.cacheable(name)  # InputError for an unknown engine, before queueing

        def load() -> Iterator[bytes]:
            self._registry.engine(name)
            yield from ()

        async for _ in self._run(load, {"engine": name, "job": "load"}):
            pass
        loaded = self._registry.loaded(name)
        assert loaded is not None
        return loaded

    async def warm(self, voices: Iterable[str]) -> None:
        """Load the engines of these voices now (before the first call needs them)."""
        for name in dict.fromkeys(parse_voice(v)[0] for v in voices):
            await self.engine(name)

    async def stream(self, text: str, voice: str) -> AsyncGenerator[bytes, None]:
        """Yield 8 kHz slin16 chunks as they are synthesized (a cached prompt comes whole).

        For dynamic text (names, times): what it renders is not stored in the prompt cache.
        """
        engine_name, voice_name = parse_voice(voice)
        key = await self._key(engine_name, voice, text)
        if key is not None and self._cache is not None:
            hit = await self._cache.get(key)
            if hit is not None:
                self._counts["cache_hits"] += 1
                yield hit
                return

        def work() -> Iterator[bytes]:
            engine = self._registry.engine(engine_name)
            if voice_name not in engine.voices():
                known = ", ".join(f"{engine_name}:{v}" for v in engine.voices())
                raise InputError(f"voice {voice!r} does not exist (known: {known})")
            yield from engine.synthesize(text, voice_name)

        async with aclosing(self._run(work, {"voice": voice, "chars": len(text)})) as chunks:
            async for chunk in chunks:
                yield chunk

    async def render(self, text: str, voice: str) -> bytes:
        """The whole prompt; from the prompt cache when it is there, stored there when not."""
        engine_name, _ = parse_voice(voice)
        key = await self._key(engine_name, voice, text)
        if key is None or self._cache is None:
            return await self._collect(text, voice)
        running = self._inflight.get(key)
        if running is not None:  # the same prompt is being rendered for another call
            try:
                async with asyncio.timeout(self._render_timeout_s):
                    return await asyncio.shield(running)
            except TimeoutError:
                raise SpeechBusy(f"TTS: render not done in {self._render_timeout_s:g} s") from None
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future  # before any await: later callers wait for this one
        try:
            pcm = await self._cache.get(key)
            if pcm is not None:
                self._counts["cache_hits"] += 1
            else:
                self._counts["cache_misses"] += 1
                pcm = await self._collect(text, voice)
                await self._cache.put(key, pcm)
        except BaseException as exc:
            shared = exc if isinstance(exc, Exception) else SpeechError("render was cancelled")
            future.set_exception(shared)
            future.exception()  # marked retrieved: waiters (if any) get it re-raised
            raise
        finally:
            del self._inflight[key]
        future.set_result(pcm)
        return pcm

    async def prerender(self, items: Iterable[tuple[str, str]]) -> PrerenderReport:
        """Render fixed prompts ``(text, voice)`` into the cache before calls need them."""
        started = time.perf_counter()
        hits_before = self._counts["cache_hits"]
        prompts = rendered = 0
        audio = 0.0
        for text, voice in dict.fromkeys(items):
            prompts += 1
            misses_before = self._counts["cache_misses"]
            audio += duration_s(await self.render(text, voice))
            rendered += self._counts["cache_misses"] - misses_before
        report = PrerenderReport(
            prompts=prompts,
            rendered=rendered,
            cached=self._counts["cache_hits"] - hits_before,
            audio_s=round(audio, 3),
            elapsed_s=round(time.perf_counter() - started, 3),
        )
        log.info("prompts prerendered", extra=fields(**asdict(report)))
        return report

    async def _key(self, engine_name: str, voice: str, text: str) -> str | None:
        """The cache key, or None when not cached; InputError for an unknown engine."""
        if not self._registry.cacheable(engine_name) or self._cache is None:
            return None
        engine = await self.engine(engine_name)
        return cache_key(engine.version, voice, text)

    async def _collect(self, text: str, voice: str) -> bytes:
        async with aclosing(self.stream(text, voice)) as chunks:
            return b"".join([chunk async for chunk in chunks])

    async def _run(
        self, work: Callable[[], Iterable[bytes]], what: dict[str, object]
    ) -> AsyncGenerator[bytes, None]:
        """Queue ``work`` on the synthesis thread and yield what it produces."""
        if self._thread is None or self._closed:
            raise SpeechError("TTS is not running (use 'async with Tts(...)')")
        try:
            async with asyncio.timeout(self._submit_timeout_s):
                await self._slots.acquire()
        except TimeoutError:
            self._counts["busy"] += 1
            log.warning("tts busy: job refused", extra=fields(slots=self._max_jobs, **what))
            raise SpeechBusy(
                f"TTS busy: all {self._max_jobs} synthesis slots taken for "
                f"{self._submit_timeout_s:g} s"
            ) from None
        job = _Job(asyncio.get_running_loop(), work, what)
        self._pending.add(job)
        self._jobs.put(job)
        try:
            while True:
                try:
                    async with asyncio.timeout(self._chunk_timeout_s):
                        item = await job.out.get()
                except TimeoutError:
                    raise SpeechBusy(
                        f"TTS: no audio for {self._chunk_timeout_s:g} s (long queue or stuck model)"
                    ) from None
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            job.cancelled.set()

    # --- the synthesis thread ------------------------------------------------------------

    def _worker(self, loop: asyncio.AbstractEventLoop, stopped: asyncio.Future[None]) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                outcome = self._execute(job)
                memory.trim()  # a sentence's transient tensors: back to the OS, not kept
                try:
                    loop.call_soon_threadsafe(self._finished, job, outcome)
                except RuntimeError:  # loop closed
                    return
            # closing: fail what is still queued
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    job.send(SpeechError("TTS closed"))
        finally:
            with suppress(RuntimeError):  # loop closed
                loop.call_soon_threadsafe(_resolve, stopped)

    def _execute(self, job: _Job) -> str:
        """Run one job to its end on this thread; returns done, failed or cancelled."""
        # cancelled = its consumer went away (nobody reads this) or aclose() (someone might)
        if job.cancelled.is_set() or self._closed:
            job.send(SpeechError("TTS closed"))
            return "cancelled"
        started = time.perf_counter()
        first_s: float | None = None
        audio_bytes = 0
        chunks = iter(job.work())
        try:
            for chunk in chunks:
                if job.cancelled.is_set():
                    job.send(SpeechError("TTS closed"))
                    return "cancelled"
                if first_s is None:
                    first_s = time.perf_counter() - started
                audio_bytes += len(chunk)
                job.send(chunk)
        except VoicebotError as exc:
            job.send(exc)
            return "failed"
        except Exception as exc:
            log.exception("tts synthesis failed", extra=fields(**job.what))
            job.send(SpeechError(f"synthesis failed: {type(exc).__name__}: {exc}"))
            return "failed"
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # stops a generator at its current piece
        job.send(None)
        elapsed = time.perf_counter() - started
        audio_s = audio_bytes / 2 / 8000
        log.debug(
            "tts job done",
            extra=fields(
                **job.what,
                audio_s=round(audio_s, 3),
                synth_s=round(elapsed, 3),
                first_chunk_s=None if first_s is None else round(first_s, 3),
                rtf=round(elapsed / audio_s, 3) if audio_s else None,
            ),
        )
        return "done"

    def _finished(self, job: _Job, outcome: str) -> None:
        """On the loop: free the job's slot and count it."""
        self._pending.discard(job)
        self._slots.release()
        self._counts[outcome] += 1


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
