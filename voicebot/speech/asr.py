"""Speech recognition as a service for the event loop: one model, worker threads, a bounded queue.

The model (:class:`~voicebot.speech.whisper_engine.WhisperEngine`) is loaded once per process
and shared by ``workers`` threads. Jobs wait in a bounded queue; the event loop only submits and
awaits (never blocks). What happens under load is decided here and counted in
:class:`AsrMetrics`:

* **urgent** jobs (an answer the conversation is waiting on: yes/no, "repeat", opt-out) are
  taken before normal ones (segments of open answers, scored later);
* a full queue **refuses** a normal job with :class:`~voicebot.errors.SpeechBusy`; an urgent
  job arriving at a full queue **displaces** the newest normal job instead (that one fails with
  SpeechBusy), and is refused only when every queued job is urgent;
* a worker takes the head job plus up to ``max_batch - 1`` more whose feature window is no
  wider than the head's, and decodes them as one batch: with a backlog, batching raises
  throughput (8 short clips decode ~2x faster together than one by one), while a lone urgent
  clip is never made slower by a wider neighbour.

Times in a :class:`Transcript` are call time (seconds since the call's audio started): the
caller passes where the audio starts, Whisper's offsets are added to it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Protocol

import numpy as np

from voicebot.config import SpeechSettings
from voicebot.errors import SpeechBusy, SpeechError
from voicebot.logs import fields
from voicebot.speech import memory
from voicebot.speech.audio import RATE, resample, to_float
from voicebot.speech.whisper_engine import (
    SAMPLE_RATE,
    SUPPORTED,
    Clip,
    Decoded,
    WhisperEngine,
    WindowPolicy,
)
from voicebot.speech.whisper_model import resolve_model_dir

log = logging.getLogger(__name__)

MAX_CLIP_S = 28.0
"""Longer audio is cut (at its quietest moment near this length) into clips Whisper can take."""


class Engine(Protocol):
    """What the service needs from a model (a fake one in unit tests)."""

    def check_language(self, language: str) -> str: ...

    def window_frames(self, samples: int) -> int: ...

    def detect_language(
        self, audio: np.ndarray, among: Sequence[str] = SUPPORTED
    ) -> tuple[str, float]: ...

    def transcribe(self, clips: Sequence[Clip]) -> list[Decoded]: ...


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of recognised text with call-time bounds."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    language: str
    segments: tuple[Segment, ...]
    start_s: float
    """Call time where the transcribed audio starts."""
    audio_s: float
    queue_s: float = 0.0
    """Time the job waited for a worker."""
    compute_s: float = 0.0
    """Time the worker spent decoding (the whole batch the job was part of)."""
    language_prob: float | None = None
    """Set when the language was detected rather than given."""
    suspect: bool = False
    """Some clip looked like a repetition loop."""

    @property
    def end_s(self) -> float:
        return self.start_s + self.audio_s


# --------------------------------------------------------------------------------- metrics


class _Series:
    """The last ``size`` values of a timing, for percentiles."""

    def __init__(self, size: int = 2048) -> None:
        self._values: deque[float] = deque(maxlen=size)

    def add(self, value: float) -> None:
        self._values.append(value)

    def percentile(self, q: float) -> float:
        if not self._values:
            return 0.0
        return float(np.percentile(np.fromiter(self._values, dtype=np.float64), q))


@dataclass(slots=True)
class AsrMetrics:
    """Counters and timings of the service (read by /metrics and the bench)."""

    submitted: int = 0
    completed: int = 0
    failed: int = 0
    refused: int = 0
    """Normal jobs refused because the queue was full."""
    displaced: int = 0
    """Queued normal jobs dropped to make room for an urgent one."""
    cancelled: int = 0
    batches: int = 0
    audio_s: float = 0.0
    compute_s: float = 0.0
    max_depth: int = 0
    wait: _Series = field(default_factory=_Series)
    compute: _Series = field(default_factory=_Series)

    def snapshot(self, depth: int, busy: int) -> dict[str, float | int]:
        return {
            "queue_depth": depth,
            "queue_max_depth": self.max_depth,
            "busy_workers": busy,
            "submitted": self.submitted,
            "completed": self.completed,
            "failed": self.failed,
            "refused": self.refused,
            "displaced": self.displaced,
            "cancelled": self.cancelled,
            "batches": self.batches,
            "audio_s": round(self.audio_s, 3),
            "compute_s": round(self.compute_s, 3),
            "rtf": round(self.compute_s / self.audio_s, 4) if self.audio_s else 0.0,
            "wait_p50_s": round(self.wait.percentile(50), 4),
            "wait_p95_s": round(self.wait.percentile(95), 4),
            "compute_p50_s": round(self.compute.percentile(50), 4),
            "compute_p95_s": round(self.compute.percentile(95), 4),
        }


# ----------------------------------------------------------------------------------- queue


@dataclass(slots=True)
class _Job:
    seq: int
    clips: list[Clip]
    """One clip normally; several when long audio was cut."""
    offsets: list[float]
    """Seconds from the audio's start to each clip's start."""
    language: str | None
    urgent: bool
    window: int
    future: concurrent.futures.Future[tuple[list[Decoded], float, float, float | None]]
    submitted: float = field(default_factory=time.monotonic)


class _JobQueue:
    """Two FIFO lanes (urgent first) under one lock, with the capacity rules above."""

    def __init__(self, capacity: int, metrics: AsrMetrics) -> None:
        self.capacity = capacity
        self._urgent: deque[_Job] = deque()
        self._normal: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._metrics = metrics

    def __len__(self) -> int:
        with self._cond:
            return len(self._urgent) + len(self._normal)

    def put(self, job: _Job) -> None:
        with self._cond:
            if self._closed:
                raise SpeechError("the speech recogniser is shut down")
            if len(self._urgent) + len(self._normal) >= self.capacity:
                self._make_room(job)
            (self._urgent if job.urgent else self._normal).append(job)
            self._metrics.submitted += 1
            depth = len(self._urgent) + len(self._normal)
            self._metrics.max_depth = max(self._metrics.max_depth, depth)
            self._cond.notify()

    def _make_room(self, job: _Job) -> None:
        """Displace the newest pending normal job for an urgent one, or refuse ``job``."""
        while job.urgent and self._normal:
            victim = self._normal.pop()
            try:
                victim.future.set_exception(SpeechBusy("displaced by an urgent transcription"))
            except concurrent.futures.InvalidStateError:  # its caller cancelled it meanwhile
                self._metrics.cancelled += 1
                continue
            self._metrics.displaced += 1
            return
        self._metrics.refused += 1
        raise SpeechBusy(f"transcription queue full ({self.capacity} jobs)")

    def take(self, max_batch: int) -> list[_Job]:
        """Block until there is work; return [] once closed and drained."""
        with self._cond:
            while not (self._urgent or self._normal or self._closed):
                self._cond.wait()
            head = self._pop_live(self._urgent) or self._pop_live(self._normal)
            if head is None:
                return []
            batch = [head]
            if head.language is not None and len(head.clips) == 1:
                for lane in (self._urgent, self._normal):
                    for job in list(lane):
                        if len(batch) >= max_batch:
                            break
                        if (
                            job.language is not None
                            and len(job.clips) == 1
                            and (job.window <= head.window)
                        ):
                            lane.remove(job)
                            if job.future.set_running_or_notify_cancel():
                                batch.append(job)
                            else:
                                self._metrics.cancelled += 1
            return batch

    def _pop_live(self, lane: deque[_Job]) -> _Job | None:
        while lane:
            job = lane.popleft()
            if job.future.set_running_or_notify_cancel():
                return job
            self._metrics.cancelled += 1
        return None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


# --------------------------------------------------------------------------------- service


class Asr:
    """The process's speech recogniser. Use as ``async with Asr(engine, ...) as asr:``."""

    def __init__(
        self,
        engine: Engine,
        *,
        workers: int = 1,
        queue_size: int = 32,
        max_batch: int = 4,
    ) -> None:
        if workers < 1 or queue_size < 1 or max_batch < 1:
            raise ValueError("workers, queue_size and max_batch must be ≥ 1")
        self.engine = engine
        self.metrics = AsrMetrics()
        self._workers = workers
        self._max_batch = max_batch
        self._queue = _JobQueue(queue_size, self.metrics)
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._seq = itertools.count()
        self._busy = 0
        self._lock = threading.Lock()
        """Guards the busy count and the metrics workers update."""

    @classmethod
    def load(
        cls,
        *,
        model: str,
        models_dir: Path,
        compute_type: str = "int8",
        cpu_threads: int = 2,
        workers: int = 1,
        queue_size: int = 32,
        max_batch: int = 4,
        window: WindowPolicy | None = None,
        device: str = "cpu",
    ) -> Asr:
        """Locate (or assemble) and load the model: blocking, call it via ``asyncio.to_thread``
        at startup. :func:`from_settings` maps SpeechSettings onto this."""
        model_dir = resolve_model_dir(model, models_dir)
        engine = WhisperEngine(
            model_dir,
            device=device,
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            workers=workers,
            window=window,
        )
        log.info(
            "asr model loaded",
            extra=fields(model=str(model_dir), workers=workers, cpu_threads=cpu_threads),
        )
        return cls(engine, workers=workers, queue_size=queue_size, max_batch=max_batch)

    # ------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        if self._threads:
            return
        for n in range(self._workers):
            thread = threading.Thread(target=self._work, name=f"asr-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    async def close(self, timeout: float = 30.0) -> None:
        """Stop taking jobs, let queued ones finish, join the workers."""
        self._closed = True
        self._queue.close()
        threads, self._threads = self._threads, []
        async with asyncio.timeout(timeout):
            for thread in threads:
                await asyncio.to_thread(thread.join)

    async def __aenter__(self) -> Asr:
        self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def pending(self) -> int:
        """Jobs waiting for a worker."""
        return len(self._queue)

    @property
    def queue_size(self) -> int:
        return self._queue.capacity

    def stats(self) -> dict[str, float | int]:
        with self._lock:
            busy = self._busy
        return self.metrics.snapshot(len(self._queue), busy)

    # ----------------------------------------------------------------------------- the API

    async def transcribe(
        self,
        pcm: bytes,
        language: str | None,
        *,
        start_s: float = 0.0,
        urgent: bool = False,
        rate: int = RATE,
    ) -> Transcript:
        """Transcribe slin16 call audio (8 kHz unless ``rate`` says otherwise).

        ``language=None`` detects it (among en/zh) — do that once per call and pass the result
        afterwards. Raises SpeechBusy when the queue is full (retryable) and SpeechError when
        the model fails. Cancelling the await withdraws a job that has not started yet.
        """
        job = self.submit(pcm, language, urgent=urgent, rate=rate)
        decoded, queue_s, compute_s, prob = await asyncio.wrap_future(job.future)
        return _merge(
            decoded,
            job,
            start_s=start_s,
            queue_s=queue_s,
            compute_s=compute_s,
            prob=prob,
            audio_s=len(pcm) / 2 / rate,
        )

    def submit(
        self, pcm: bytes, language: str | None, *, urgent: bool = False, rate: int = RATE
    ) -> _Job:
        """Queue a job (non-blocking) and return it; :meth:`transcribe` awaits its future."""
        if self._closed:
            raise SpeechError("the speech recogniser is shut down")
        if not self._threads:
            raise SpeechError("the speech recogniser is not started")
        if language is not None:
            self.engine.check_language(language)
        audio = resample(to_float(pcm), rate, SAMPLE_RATE)
        clips, offsets = _cut(audio, language or "")
        job = _Job(
            seq=next(self._seq),
            clips=clips,
            offsets=offsets,
            language=language,
            urgent=urgent,
            window=self.engine.window_frames(max(len(c.audio) for c in clips)),
            future=concurrent.futures.Future(),
        )
        self._queue.put(job)
        return job

    # ----------------------------------------------------------------------------- workers

    def _work(self) -> None:
        while batch := self._queue.take(self._max_batch):
            with self._lock:
                self._busy += 1
            try:
                self._run(batch)
            finally:
                with self._lock:
                    self._busy -= 1
                    idle = self._busy == 0
                if idle and not len(self._queue):
                    memory.trim()  # between bursts: feature buffers back to the OS

    def _run(self, batch: list[_Job]) -> None:
        started = time.monotonic()
        try:
            prob: float | None = None
            if len(batch) == 1 and batch[0].language is None:
                job = batch[0]
                lang, prob = self.engine.detect_language(job.clips[0].audio)
                job.clips = [Clip(c.audio, lang) for c in job.clips]
                job.language = lang
            clips = [clip for job in batch for clip in job.clips]
            decoded = (
                self.engine.transcribe(clips)
                if len(batch) > 1
                else [d for c in clips for d in self.engine.transcribe([c])]
            )
        except Exception as exc:  # a model failure fails these jobs, never the worker
            with self._lock:
                self.metrics.failed += len(batch)
            log.exception("asr batch failed", extra=fields(jobs=len(batch)))
            for job in batch:
                job.future.set_exception(SpeechError(f"transcription failed: {exc}"))
            return
        compute_s = time.monotonic() - started
        with self._lock:
            m = self.metrics
            m.batches += 1
            m.compute_s += compute_s
            m.compute.add(compute_s)
            for job in batch:
                m.wait.add(started - job.submitted)
                m.completed += 1
                m.audio_s += sum(len(c.audio) for c in job.clips) / SAMPLE_RATE
        at = 0
        for job in batch:
            mine = decoded[at : at + len(job.clips)]
            at += len(job.clips)
            job.future.set_result((mine, started - job.submitted, compute_s, prob))


def _cut(audio: np.ndarray, language: str) -> tuple[list[Clip], list[float]]:
    """Cut audio longer than MAX_CLIP_S at the quietest 20 ms within its last 5 s."""
    clips: list[Clip] = []
    offsets: list[float] = []
    limit = int(MAX_CLIP_S * SAMPLE_RATE)
    hop = SAMPLE_RATE // 50
    pos = 0
    while len(audio) - pos > limit:
        tail = audio[pos + limit - 5 * SAMPLE_RATE : pos + limit]
        energy = np.add.reduceat(tail * tail, np.arange(0, len(tail), hop))
        cut = pos + limit - 5 * SAMPLE_RATE + int(np.argmin(energy)) * hop + hop // 2
        clips.append(Clip(audio[pos:cut], language))
        offsets.append(pos / SAMPLE_RATE)
        pos = cut
    clips.append(Clip(audio[pos:], language))
    offsets.append(pos / SAMPLE_RATE)
    return clips, offsets


def _merge(
    decoded: list[Decoded],
    job: _Job,
    *,
    start_s: float,
    queue_s: float,
    compute_s: float,
    prob: float | None,
    audio_s: float,
) -> Transcript:
    segments = tuple(
        Segment(
            round(start_s + offset + p.start_s, 3),
            round(start_s + offset + p.end_s, 3),
            p.text.strip(),
        )
        for d, offset in zip(decoded, job.offsets, strict=True)
        for p in d.pieces
    )
    language = job.language or (decoded[0].language if decoded else "en")
    return Transcript(
        text=join_text([s.text for s in segments], language),
        language=language,
        segments=segments,
        start_s=start_s,
        audio_s=round(audio_s, 3),
        queue_s=round(queue_s, 4),
        compute_s=round(compute_s, 4),
        language_prob=prob,
        suspect=any(d.suspect for d in decoded),
    )


def join_text(parts: Sequence[str], language: str) -> str:
    """Join pieces of text: with spaces for English, without for Chinese."""
    parts = [p.strip() for p in parts if p.strip()]
    return ("" if language == "zh" else " ").join(parts)


def from_settings(settings: SpeechSettings) -> Asr:
    """Build the service from the speech settings (blocking: it loads the model)."""
    return Asr.load(
        model=settings.asr_model,
        models_dir=settings.models_dir,
        compute_type=settings.asr_compute_type,
        cpu_threads=settings.asr_cpu_threads,
        workers=settings.asr_workers,
        queue_size=settings.asr_queue,
    )
