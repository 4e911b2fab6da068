"""The ASR service's queue, priorities, batching, back-pressure and timing, on a fake model."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import numpy as np
import pytest

from voicebot.errors import InputError, SpeechBusy, SpeechError
from voicebot.speech.asr import MAX_CLIP_S, Asr
from voicebot.speech.audio import to_pcm
from voicebot.speech.whisper_engine import SUPPORTED, Clip, Decoded, Piece, WindowPolicy


class FakeEngine:
    """Answers each clip with its length; can hold the worker until released, or fail."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.running = threading.Event()
        self.fail_next = False
        self.detected: list[int] = []

    def check_language(self, language: str) -> str:
        if language not in ("en", "zh", "fr"):
            raise InputError(f"unknown language {language!r}")
        return language

    def window_frames(self, samples: int) -> int:
        return WindowPolicy().frames(samples)

    def detect_language(
        self, audio: np.ndarray, among: Sequence[str] = SUPPORTED
    ) -> tuple[str, float]:
        self.detected.append(len(audio))
        return "zh", 0.93

    def transcribe(self, clips: Sequence[Clip]) -> list[Decoded]:
        self.running.set()
        assert self.hold.wait(10)
        self.calls.append([label(c) for c in clips])
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("CUDA out of memory")
        out = []
        for c in clips:
            seconds = len(c.audio) / 16000
            out.append(
                Decoded(
                    text=label(c),
                    language=c.language,
                    pieces=(Piece(0.0, round(seconds, 2), label(c)),),
                    no_speech_prob=0.0,
                    avg_logprob=-0.1,
                    window_s=30.0,
                    suspect=False,
                )
            )
        return out


def label(clip: Clip) -> str:
    """Tone frequency encodes the job's identity: 'f<Hz>' (robust to resampling)."""
    spectrum = np.abs(np.fft.rfft(clip.audio))
    return f"f{round(np.argmax(spectrum) * 16000 / len(clip.audio) / 100) * 100}"


def tone(freq: int, seconds: float = 1.0) -> bytes:
    t = np.arange(round(seconds * 8000)) / 8000
    return to_pcm(0.3 * np.sin(2 * np.pi * freq * t))


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


async def held(asr: Asr, engine: FakeEngine) -> asyncio.Task:
    """Occupy the single worker with a job that waits for engine.hold."""
    engine.hold.clear()
    engine.running.clear()
    task = asyncio.ensure_future(asr.transcribe(tone(300), "en"))
    assert await asyncio.to_thread(engine.running.wait, 5)
    return task


async def test_times_are_call_times(engine: FakeEngine) -> None:
    async with Asr(engine) as asr:
        result = await asr.transcribe(tone(500, 1.5), "en", start_s=12.5)
    assert result.text == "f500"
    assert result.language == "en"
    assert result.start_s == 12.5
    assert result.audio_s == 1.5
    assert result.end_s == 14.0
    (seg,) = result.segments
    assert (seg.start_s, seg.end_s, seg.text) == (12.5, 14.0, "f500")
    assert result.queue_s >= 0
    assert result.compute_s >= 0


async def test_urgent_jobs_jump_the_queue(engine: FakeEngine) -> None:
    async with Asr(engine, max_batch=1) as asr:
        first = await held(asr, engine)
        normal = [asyncio.ensure_future(asr.transcribe(tone(f), "en")) for f in (600, 700)]
        await asyncio.sleep(0.05)
        urgent = asyncio.ensure_future(asr.transcribe(tone(900), "en", urgent=True))
        await asyncio.sleep(0.05)
        engine.hold.set()
        await asyncio.gather(first, urgent, *normal)
    assert engine.calls == [["f300"], ["f900"], ["f600"], ["f700"]]


async def test_a_backlog_is_batched_never_wider_than_the_head(engine: FakeEngine) -> None:
    async with Asr(engine, max_batch=4) as asr:
        first = await held(asr, engine)
        jobs = [
            asyncio.ensure_future(asr.transcribe(tone(f, seconds), "en"))
            for f, seconds in [(600, 1.0), (2000, 8.0), (700, 0.9), (800, 0.8)]
        ]
        await asyncio.sleep(0.05)
        engine.hold.set()
        results = await asyncio.gather(first, *jobs)
    # the head (1 s) takes the other short clips; the 8 s clip would widen its window
    assert engine.calls == [["f300"], ["f600", "f700", "f800"], ["f2000"]]
    assert [r.text for r in results] == ["f300", "f600", "f2000", "f700", "f800"]
    assert asr.metrics.batches == 3


async def test_a_full_queue_refuses_normal_jobs(engine: FakeEngine) -> None:
    async with Asr(engine, queue_size=2, max_batch=1) as asr:
        first = await held(asr, engine)
        queued = [asyncio.ensure_future(asr.transcribe(tone(f), "en")) for f in (600, 700)]
        await asyncio.sleep(0.05)
        with pytest.raises(SpeechBusy) as refused:
            await asr.transcribe(tone(800), "en")
        assert refused.value.retryable
        stats = asr.stats()
        assert stats["queue_depth"] == 2
        assert stats["busy_workers"] == 1
        engine.hold.set()
        await asyncio.gather(first, *queued)
    stats = asr.stats()
    assert stats["refused"] == 1
    assert stats["completed"] == 3
    assert stats["queue_max_depth"] == 2


async def test_an_urgent_job_displaces_the_newest_normal_one(engine: FakeEngine) -> None:
    async with Asr(engine, queue_size=2, max_batch=1) as asr:
        first = await held(asr, engine)
        older = asyncio.ensure_future(asr.transcribe(tone(600), "en"))
        newer = asyncio.ensure_future(asr.transcribe(tone(700), "en"))
        await asyncio.sleep(0.05)
        urgent = asyncio.ensure_future(asr.transcribe(tone(900), "en", urgent=True))
        await asyncio.sleep(0.05)
        engine.hold.set()
        results = await asyncio.gather(first, older, newer, urgent, return_exceptions=True)
    assert isinstance(results[2], SpeechBusy)
    assert [getattr(r, "text", None) for r in results] == ["f300", "f600", None, "f900"]
    assert asr.metrics.displaced == 1
    assert engine.calls == [["f300"], ["f900"], ["f600"]]


async def test_a_queue_full_of_urgent_jobs_refuses_one_more(engine: FakeEngine) -> None:
    async with Asr(engine, queue_size=1, max_batch=1) as asr:
        first = await held(asr, engine)
        urgent = asyncio.ensure_future(asr.transcribe(tone(600), "en", urgent=True))
        await asyncio.sleep(0.05)
        with pytest.raises(SpeechBusy):
            await asr.transcribe(tone(700), "en", urgent=True)
        engine.hold.set()
        await asyncio.gather(first, urgent)


async def test_a_cancelled_job_is_never_decoded(engine: FakeEngine) -> None:
    async with Asr(engine, max_batch=1) as asr:
        first = await held(asr, engine)
        doomed = asyncio.ensure_future(asr.transcribe(tone(600), "en"))
        await asyncio.sleep(0.05)
        doomed.cancel()
        kept = asyncio.ensure_future(asr.transcribe(tone(700), "en"))
        await asyncio.sleep(0.05)
        engine.hold.set()
        await asyncio.gather(first, kept)
    assert engine.calls == [["f300"], ["f700"]]
    assert asr.metrics.cancelled == 1


async def test_a_model_failure_fails_its_jobs_but_not_the_worker(engine: FakeEngine) -> None:
    async with Asr(engine) as asr:
        engine.fail_next = True
        with pytest.raises(SpeechError, match="out of memory"):
            await asr.transcribe(tone(500), "en")
        assert (await asr.transcribe(tone(600), "en")).text == "f600"
    assert asr.metrics.failed == 1


async def test_language_is_detected_when_not_given(engine: FakeEngine) -> None:
    async with Asr(engine) as asr:
        result = await asr.transcribe(tone(500), None)
        given = await asr.transcribe(tone(500), "en")
    assert result.language == "zh"
    assert result.language_prob == pytest.approx(0.93)
    assert given.language_prob is None
    assert len(engine.detected) == 1


async def test_bad_language_and_lifecycle_errors(engine: FakeEngine) -> None:
    asr = Asr(engine)
    with pytest.raises(SpeechError, match="not started"):
        await asr.transcribe(tone(500), "en")
    async with asr:
        with pytest.raises(InputError, match="klingon"):
            await asr.transcribe(tone(500), "klingon")
    with pytest.raises(SpeechError, match="shut down"):
        asr.submit(tone(500), "en")
    with pytest.raises(ValueError, match="≥ 1"):
        Asr(engine, workers=0)


async def test_long_audio_is_cut_at_a_quiet_moment(engine: FakeEngine) -> None:
    # 25 s of 400 Hz, 0.3 s of silence, 15 s of 1000 Hz: one cut, in the silence
    pcm = tone(400, 25.0) + bytes(int(0.3 * 8000) * 2) + tone(1000, 15.0)
    async with Asr(engine) as asr:
        result = await asr.transcribe(pcm, "en", start_s=100.0)
    assert engine.calls == [["f400"], ["f1000"]]
    first, second = result.segments
    assert first.start_s == 100.0
    assert 125.0 <= first.end_s <= 125.3
    assert second.start_s == pytest.approx(first.end_s, abs=0.01)
    assert second.end_s == pytest.approx(140.3, abs=0.01)
    assert result.text == "f400 f1000"
    assert all(b - a <= MAX_CLIP_S for a, b in [(first.start_s, first.end_s)])


async def test_two_workers_share_the_queue(engine: FakeEngine) -> None:
    async with Asr(engine, workers=2) as asr:
        results = await asyncio.gather(*(asr.transcribe(tone(f), "en") for f in (500, 600, 700)))
    assert sorted(r.text for r in results) == ["f500", "f600", "f700"]
    assert asr.stats()["completed"] == 3
