"""Per-call streaming transcription: each segment is transcribed as soon as a pause closes it.

The :class:`~voicebot.speech.vad.Endpointer` emits a SegmentEnd for every ~300 ms pause inside
an answer and a TurnEnd after the question's hangover (350-1200 ms). Segments are submitted to
the shared :class:`~voicebot.speech.asr.Asr` right away, so when the turn ends only the *tail*
(speech after the last pause) is left, and often not even that: the segment closed by the final
pause was submitted while the hangover was still running. The final text is then ready a few
tens of milliseconds after the end of the turn instead of a whole-answer decode later.

Every finished piece also produces a partial :class:`TurnText` (``final=False``), e.g. for a
yes/no decision before the turn is over; the final one arrives through :meth:`next_final`.
The language is fixed per call: given, or detected on the first piece and then kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from voicebot.errors import SpeechError
from voicebot.logs import fields
from voicebot.speech.asr import Asr, Segment, Transcript, join_text
from voicebot.speech.vad import EndpointEvent, SegmentEnd, SpeechStart, TurnEnd

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TurnText:
    """What is known of one turn's text (partial until ``final``)."""

    turn: int
    text: str
    language: str | None
    segments: tuple[Segment, ...]
    final: bool
    start_s: float
    """Call time where the turn's speech started."""
    end_s: float | None = None
    """Call time where its speech ended (known once the turn is over)."""
    pieces: int = 0
    missing: int = 0
    """Pieces that could not be transcribed (queue full, model error): text is incomplete."""
    compute_s: float = 0.0
    queue_s: float = 0.0
    suspect: bool = False


@dataclass(slots=True)
class _Turn:
    number: int
    start_s: float
    urgent: bool
    results: dict[int, Transcript | None] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    end: TurnEnd | None = None


class StreamingTranscriber:
    """Feed it every Endpointer event with :meth:`push`; read finals with :meth:`next_final`.

    Use as ``async with StreamingTranscriber(asr, language="zh") as st:``; leaving the block
    cancels whatever is still being transcribed.
    """

    def __init__(
        self,
        asr: Asr,
        language: str | None = None,
        *,
        on_update: Callable[[TurnText], None] | None = None,
        max_finals: int = 8,
        piece_timeout_s: float = 30.0,
    ) -> None:
        self._asr = asr
        self.language = language
        self.urgent = False
        """Set while the bot waits on this answer (yes/no, opt-out): its pieces jump the queue."""
        self._on_update = on_update
        self._finals: asyncio.Queue[TurnText] = asyncio.Queue(maxsize=max_finals)
        self._turn: _Turn | None = None
        self._count = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._language_lock = asyncio.Lock()
        self._timeout = piece_timeout_s
        self.dropped_finals = 0

    @property
    def turns_started(self) -> int:
        """Turns seen so far; the current (or last) turn's :attr:`TurnText.turn` number."""
        return self._count

    async def __aenter__(self) -> StreamingTranscriber:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ------------------------------------------------------------------------- feeding

    def push(self, event: EndpointEvent) -> None:
        """Take one endpointer event (sync and cheap: safe on the media path)."""
        if isinstance(event, SpeechStart):
            self._count += 1
            self._turn = _Turn(self._count, event.at_s, self.urgent)
        elif isinstance(event, SegmentEnd):
            turn = self._current(event.audio_start_s)
            self._piece(turn, event.index, event.audio, event.audio_start_s)
        elif isinstance(event, TurnEnd):
            turn = self._current(event.start_s)
            turn.end = event
            if event.tail:
                self._piece(turn, event.segments, event.tail, event.tail_start_s)
            self._spawn(self._finish(turn), f"asr-turn-{turn.number}-final")
            self._turn = None

    async def next_final(self, timeout: float) -> TurnText | None:
        """The next finished turn's text, or None after ``timeout`` seconds."""
        try:
            async with asyncio.timeout(timeout):
                return await self._finals.get()
        except TimeoutError:
            return None

    # -------------------------------------------------------------------------- pieces

    def _current(self, start_s: float) -> _Turn:
        if self._turn is None:  # events from a turn that started before we were attached
            self._count += 1
            self._turn = _Turn(self._count, start_s, self.urgent)
        return self._turn

    def _piece(self, turn: _Turn, index: int, pcm: bytes, start_s: float) -> None:
        task = self._spawn(
            self._transcribe(turn, index, pcm, start_s), f"asr-turn-{turn.number}-{index}"
        )
        turn.tasks.append(task)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _transcribe(self, turn: _Turn, index: int, pcm: bytes, start_s: float) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                if self.language is None:
                    async with self._language_lock:  # detect once per call, then keep it
                        result = await self._asr.transcribe(
                            pcm, self.language, start_s=start_s, urgent=turn.urgent
                        )
                        self.language = self.language or result.language
                else:
                    result = await self._asr.transcribe(
                        pcm, self.language, start_s=start_s, urgent=turn.urgent
                    )
        except (SpeechError, TimeoutError) as exc:
            log.warning(
                "asr piece lost",
                extra=fields(turn=turn.number, piece=index, error=type(exc).__name__),
            )
            turn.results[index] = None
            return
        turn.results[index] = result
        if self._on_update is not None:
            self._on_update(self._text(turn, final=False))

    async def _finish(self, turn: _Turn) -> None:
        await asyncio.gather(*turn.tasks, return_exceptions=True)
        text = self._text(turn, final=True)
        if self._on_update is not None:
            self._on_update(text)
        if self._finals.full():  # nobody reads finals: keep the newest
            self._finals.get_nowait()
            self.dropped_finals += 1
        self._finals.put_nowait(text)

    def _text(self, turn: _Turn, *, final: bool) -> TurnText:
        done = [turn.results[i] for i in sorted(turn.results)]
        found = [t for t in done if t is not None]
        language = self.language or (found[0].language if found else None)
        segments = tuple(s for t in found for s in t.segments)
        return TurnText(
            turn=turn.number,
            text=join_text([t.text for t in found], language or "en"),
            language=language,
            segments=segments,
            final=final,
            start_s=turn.end.start_s if turn.end else turn.start_s,
            end_s=turn.end.end_s if turn.end else None,
            pieces=len(done),
            missing=len(done) - len(found),
            compute_s=round(sum(t.compute_s for t in found), 4),
            queue_s=round(max((t.queue_s for t in found), default=0.0), 4),
            suspect=any(t.suspect for t in found),
        )
