"""Streaming transcription: segments are transcribed while the candidate is still talking."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from audio_signals import phone_frames, silence, timeline, voiced

from voicebot.speech.asr import Asr
from voicebot.speech.streaming import StreamingTranscriber, TurnText
from voicebot.speech.vad import EndpointConfig, Endpointer, TurnEnd, WebRtcVad
from voicebot.speech.whisper_engine import SUPPORTED, Clip, Decoded, Piece, WindowPolicy


class DurationEngine:
    """Transcribes a clip as its duration ('1.9s'): enough to see which audio went where."""

    def __init__(self) -> None:
        self.clips: list[float] = []
        self.detections = 0
        self.hold = threading.Event()
        self.hold.set()

    def check_language(self, language: str) -> str:
        return language

    def window_frames(self, samples: int) -> int:
        return WindowPolicy().frames(samples)

    def detect_language(
        self, audio: np.ndarray, among: Sequence[str] = SUPPORTED
    ) -> tuple[str, float]:
        self.detections += 1
        return "en", 0.99

    def transcribe(self, clips: Sequence[Clip]) -> list[Decoded]:
        assert self.hold.wait(10)
        out = []
        for c in clips:
            seconds = len(c.audio) / 16000
            self.clips.append(round(seconds, 1))
            text = f"{seconds:.1f}s"
            out.append(
                Decoded(text, c.language, (Piece(0.0, seconds, text),), 0.0, -0.1, 30.0, False)
            )
        return out


ANSWER = timeline(
    silence(1.0), voiced(2.0), silence(0.7), voiced(1.5), silence(0.7), voiced(0.4), silence(1.5)
)
END_OF_SPEECH = 1.0 + 2.0 + 0.7 + 1.5 + 0.7 + 0.4


async def feed(endpointer: Endpointer, st: StreamingTranscriber, x: np.ndarray) -> list[float]:
    """Feed frames, yielding to the loop between them; return the call times of TurnEnds."""
    ends = []
    for frame, at in phone_frames(x):
        for event in endpointer.feed(frame, at):
            st.push(event)
            if isinstance(event, TurnEnd):
                ends.append(at + 0.02)
        await asyncio.sleep(0)
    return ends


async def test_segments_are_transcribed_before_the_turn_ends() -> None:
    engine = DurationEngine()
    updates: list[TurnText] = []
    async with Asr(engine) as asr, StreamingTranscriber(asr, "en", on_update=updates.append) as st:
        ep = Endpointer(WebRtcVad(), EndpointConfig.open_answer())
        before_end = ANSWER[
            : int(END_OF_SPEECH * 8000)
        ]  # up to the end of speech (turn ends 0.8 s later)
        await feed(ep, st, before_end)
        for _ in range(200):
            if len(engine.clips) == 2:
                break
            await asyncio.sleep(0.01)
        assert len(engine.clips) == 2  # both pauses closed a segment, both are done already
        assert [u.final for u in updates] == [False, False]
        assert updates[-1].text == f"{engine.clips[0]:.1f}s {engine.clips[1]:.1f}s"
        await feed(ep, st, ANSWER[int(END_OF_SPEECH * 8000) :])
        final = await st.next_final(timeout=5)
    assert final is not None
    assert final.final
    assert final.pieces == 3  # two segments and the tail
    assert final.missing == 0
    assert final.text == " ".join(f"{c:.1f}s" for c in engine.clips)
    # call-time bounds: the first segment starts at the pre-roll, pieces follow each other
    assert final.segments[0].start_s == pytest.approx(0.7, abs=0.061)
    assert final.start_s == pytest.approx(1.0, abs=0.061)
    assert final.end_s == pytest.approx(END_OF_SPEECH, abs=0.061)
    starts = [s.start_s for s in final.segments]
    assert starts == sorted(starts)
    assert updates[-1] == final


async def test_the_language_is_detected_once_per_call() -> None:
    engine = DurationEngine()
    async with Asr(engine) as asr, StreamingTranscriber(asr, None) as st:
        ep = Endpointer(WebRtcVad(), EndpointConfig.open_answer())
        await feed(ep, st, timeline(ANSWER, ANSWER))
        first = await st.next_final(timeout=5)
        second = await st.next_final(timeout=5)
    assert first is not None
    assert second is not None
    assert (first.language, second.language, st.language) == ("en", "en", "en")
    assert engine.detections == 1
    assert second.turn == 2


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for a condition another thread brings about (no fixed sleeps: CI is busy)."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - the state is owned by a worker thread
            await asyncio.sleep(0.005)


async def test_a_lost_piece_is_reported_not_hidden() -> None:
    engine = DurationEngine()
    async with Asr(engine, queue_size=1, max_batch=1) as asr, StreamingTranscriber(asr, "en") as st:
        engine.hold.clear()
        blocker = asyncio.ensure_future(asr.transcribe(bytes(16000), "en"))
        await until(lambda: asr.stats()["busy_workers"] == 1)  # the worker holds it
        filler = asyncio.ensure_future(asr.transcribe(bytes(16000), "en"))
        await until(lambda: asr.pending == 1)  # one job running, one queued: the queue is full
        ep = Endpointer(WebRtcVad(), EndpointConfig.open_answer())
        await feed(ep, st, ANSWER[: int(3.7 * 8000)])  # first segment closes: refused
        engine.hold.set()
        await asyncio.gather(blocker, filler)
        await feed(ep, st, ANSWER[int(3.7 * 8000) :])
        final = await st.next_final(timeout=5)
    assert final is not None
    assert final.missing == 1
    assert final.pieces == 3
    assert asr.metrics.refused == 1


async def test_urgent_answers_overtake_queued_work() -> None:
    engine = DurationEngine()
    async with Asr(engine, max_batch=1) as asr, StreamingTranscriber(asr, "en") as st:
        engine.hold.clear()
        backlog = [asyncio.ensure_future(asr.transcribe(bytes(n * 16000), "en")) for n in (3, 4)]
        await asyncio.sleep(0.05)
        st.urgent = True  # a yes/no question: the bot waits on this answer
        ep = Endpointer(WebRtcVad(), EndpointConfig.yes_no())
        await feed(ep, st, timeline(silence(1.0), voiced(0.6), silence(0.6)))
        engine.hold.set()
        final = await st.next_final(timeout=5)
        await asyncio.gather(*backlog)
    assert final is not None
    # the 3 s job was already running; the answer (~1 s with pre-roll) beat the 4 s one
    assert engine.clips[0] == 3.0
    assert engine.clips[1] < 1.5
    assert engine.clips[2] == 4.0


async def test_no_final_within_the_timeout() -> None:
    async with Asr(DurationEngine()) as asr, StreamingTranscriber(asr, "en") as st:
        assert await st.next_final(timeout=0.05) is None
