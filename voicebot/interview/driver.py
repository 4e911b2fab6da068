"""Runs the pure interview machine on a live call: the one place where it meets I/O.

Per call, three things feed the machine's event queue and one loop applies its commands:

- the audio listener (sync, on the media path): the VAD endpointer turns frames into
  ``SpeechStarted`` / ``TurnEnded`` and hands every segment to the streaming transcriber;
  while a prompt that may be interrupted plays, the barge-in detector watches too;
- the transcript pump: each finished turn's text as ``TranscriptReady``;
- the call's own events: keypad digits, the candidate hanging up;
- timers (silence, transcript waits) on the loop's clock.

The speaker task plays ``Say`` commands in order: fixed prompts come whole from the prompt
cache (prerendered before the campaign), anything else is streamed sentence by sentence. The
machine's ``Hangup`` lets queued prompts finish; then ``run`` returns and the session hangs up.
Transcription of long answers goes on after that, in :meth:`_Run.followup`, which also builds
the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from voicebot.call.api import CallEnded, CallIO, ConversationResult, RemoteHangup
from voicebot.call.api import Dtmf as CallDtmf
from voicebot.errors import SpeechError
from voicebot.interview import machine
from voicebot.interview.events import (
    AddToDoNotCall,
    BargeIn,
    CancelTimer,
    Command,
    DiscardRecording,
    Dtmf,
    Event,
    Finish,
    Hangup,
    HungUp,
    Listen,
    NeedTranscript,
    PromptDone,
    RecordAnswer,
    Say,
    Segment,
    SpeechStarted,
    Started,
    StartTimer,
    StopSpeaking,
    TimerFired,
    TranscriptReady,
    TurnEnded,
)
from voicebot.interview.profile import Profile
from voicebot.interview.report import build_report
from voicebot.interview.report_html import render_html
from voicebot.interview.state import Candidate, State
from voicebot.logs import fields
from voicebot.speech import bargein as barge
from voicebot.speech.stack import SpeechStack
from voicebot.speech.streaming import StreamingTranscriber, TurnText
from voicebot.speech.vad import EndpointConfig, Endpointer, SpeechStart, TurnEnd, WebRtcVad

log = logging.getLogger(__name__)

_EVENT_QUEUE = 512
_TRANSCRIPTS_AFTER_HANGUP_S = 8.0
"""How long the report waits for the last answers' text (the report is due ~10 s after)."""
_URGENT = {"yes_no", "number", "choice", "free"}


@dataclass(frozen=True, slots=True)
class InterviewSetup:
    profile: Profile
    profile_id: str
    candidate: Candidate
    prerendered: frozenset[str]
    """Prompt texts known to be in the prompt cache (rendered before the campaign)."""
    recorded_root: Path | None = None
    timezone: tzinfo = UTC
    """The candidates' time zone: callback times they say are local times."""
    now: datetime | None = None
    """Wall clock at call time 0 (for callback times); default: when the call starts."""


class InterviewConversation:
    """A :class:`~voicebot.call.api.Conversation` that runs a job profile's interview."""

    def __init__(self, setup: InterviewSetup, speech: SpeechStack) -> None:
        self._setup = setup
        self._speech = speech

    async def run(self, call: CallIO) -> ConversationResult:
        return await _Run(self._setup, self._speech, call).execute()


@dataclass(slots=True)
class _Latency:
    turn_id: int
    expect: str
    speech_end_s: float
    next_prompt_s: float | None = None


@dataclass(slots=True)
class _Stats:
    prompts_streamed: list[str] = field(default_factory=list)
    latencies: list[_Latency] = field(default_factory=list)
    barge_ins: list[float] = field(default_factory=list)
    """Call times when the detector was sure the candidate talked over a prompt."""
    backchannels: int = 0
    events_dropped: int = 0


class _Run:
    """One interview on one call."""

    def __init__(self, setup: InterviewSetup, speech: SpeechStack, call: CallIO) -> None:
        self.setup = setup
        self.speech = speech
        self.call = call
        profile = setup.profile
        self.language = profile.language
        self.voice = speech.voice_for(profile.language)
        self.started_at = setup.now or datetime.now(setup.timezone)
        self.state: State = machine.start(profile, setup.candidate, self.started_at)
        self.events: asyncio.Queue[Event] = asyncio.Queue(maxsize=_EVENT_QUEUE)
        self.endpointer = Endpointer(WebRtcVad(), EndpointConfig.yes_no())
        self.detector = barge.BargeInDetector(WebRtcVad())
        self.transcriber = StreamingTranscriber(speech.asr, language=profile.language)
        self.expect = "yes_no"
        self.turn_no = 0
        self.says: asyncio.Queue[Say] = asyncio.Queue()
        self.speaking_now: Say | None = None
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.finish: Finish | None = None
        self.hangup_requested = False
        self.hung_up = False
        self.do_not_call = False
        self.open_turns: set[int] = set()
        """Turns that ended and whose final text has not arrived yet."""
        self.stats = _Stats()
        self.awaiting_prompt: _Latency | None = None

    # ---- the loop ------------------------------------------------------------------------
    async def execute(self) -> ConversationResult:
        remove = self.call.add_audio_listener(self.on_audio)
        self.spawn(self.speaker(), "speaker")
        self.spawn(self.pump_transcripts(), "transcripts")
        self.spawn(self.pump_call_events(), "call-events")
        try:
            self.apply(Started(at_s=self.call.now_s()))
            while not self.done():
                event = await self.events.get()
                self.apply(event)
        except BaseException:  # a crash or the service shutting down: release everything now
            remove()
            await self.close()
            raise
        remove()
        for handle in self.timers.values():
            handle.cancel()
        outcome = self.finish.outcome if self.finish else ("hung_up" if self.hung_up else "error")
        return ConversationResult(outcome, self.summary(), followup=self.followup)

    def done(self) -> bool:
        """The machine asked to hang up and everything it queued has been played."""
        if self.hung_up:
            return True
        return self.hangup_requested and self.says.empty() and self.speaking_now is None

    def spawn(self, coro: Any, name: str) -> None:
        task = asyncio.get_running_loop().create_task(
            coro, name=f"{name}-{self.call.info.attempt_id}"
        )
        self.tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("interview task failed", exc_info=task.exception())

    def post(self, event: Event) -> None:
        if self.events.full():
            self.stats.events_dropped += 1
            log.warning(
                "interview event queue full: dropped", extra=fields(event=type(event).__name__)
            )
            return
        self.events.put_nowait(event)

    def apply(self, event: Event) -> None:
        self.state, commands = machine.step(self.state, event)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "machine step",
                extra=fields(event=_describe(event), commands=[_describe(c) for c in commands]),
            )
        for command in commands:
            self.execute_command(command)

    def execute_command(self, command: Command) -> None:
        if isinstance(command, Say):
            self.says.put_nowait(command)
        elif isinstance(command, StopSpeaking):
            self.stop_speaking()
        elif isinstance(command, Listen):
            self.listen(command)
        elif isinstance(command, NeedTranscript):
            self.transcriber.urgent = True
        elif isinstance(command, StartTimer):
            self.start_timer(command)
        elif isinstance(command, CancelTimer):
            handle = self.timers.pop(command.name, None)
            if handle is not None:
                handle.cancel()
        elif isinstance(command, RecordAnswer):
            log.info(
                "answer recorded",
                extra=fields(question=command.question_id, status=command.status),
            )
        elif isinstance(command, AddToDoNotCall):
            self.do_not_call = True
        elif isinstance(command, DiscardRecording):
            self.call.discard_recording()
        elif isinstance(command, Hangup):
            self.hangup_requested = True
        elif isinstance(command, Finish):
            self.finish = command
            log.info("interview finished", extra=fields(outcome=command.outcome))

    # ---- commands --------------------------------------------------------------------------
    def listen(self, command: Listen) -> None:
        self.expect = command.expect
        if command.expect == "open":
            config = EndpointConfig.open_answer(command.max_turn_s)
        else:
            config = EndpointConfig.yes_no()
        self.endpointer.configure(
            EndpointConfig(
                hangover_ms=command.hangover_ms,
                early_hangover_ms=config.early_hangover_ms,
                max_turn_s=command.max_turn_s,
            )
        )
        self.transcriber.urgent = command.expect in _URGENT

    def start_timer(self, command: StartTimer) -> None:
        old = self.timers.pop(command.name, None)
        if old is not None:
            old.cancel()
        self.timers[command.name] = asyncio.get_running_loop().call_later(
            command.seconds, self.post, TimerFired(command.name)
        )

    def stop_speaking(self) -> None:
        self.call.stop_playing()  # the prompt playing now ends with interrupted=True
        while not self.says.empty():
            say = self.says.get_nowait()
            self.post(PromptDone(say.prompt_key, interrupted=True, at_s=self.call.now_s()))

    # ---- the speaker -----------------------------------------------------------------------
    async def speaker(self) -> None:
        while True:
            say = await self.says.get()
            self.speaking_now = say
            try:
                interrupted = await self.speak(say)
            except CallEnded:
                return
            except SpeechError:
                log.exception("prompt could not be rendered", extra=fields(prompt=say.prompt_key))
                interrupted = True
            finally:
                self.detector.stop()
                self.speaking_now = None
            self.post(PromptDone(say.prompt_key, interrupted=interrupted, at_s=self.call.now_s()))

    async def speak(self, say: Say) -> bool:
        """Play one prompt; True if it was cut off (barge-in, StopSpeaking)."""
        if say.audio_path:
            voice, text = "recorded:", say.audio_path
        else:
            voice, text = self.voice, say.text
        handles = []
        if text in self.setup.prerendered or say.audio_path:
            handles.append(
                self.call.play(await self.speech.tts.render(text, voice), say.prompt_key)
            )
        else:  # dynamic text: start playing the first sentence while the rest renders
            self.stats.prompts_streamed.append(say.prompt_key)
            async with aclosing(self.speech.tts.stream(text, voice)) as chunks:
                async for chunk in chunks:
                    handles.append(self.call.play(chunk, say.prompt_key))
                    self._started_playing(say)
        self._started_playing(say)
        played = True
        for handle in handles:
            played = await self.call.wait_played(handle, timeout=handle.total_bytes / 16000 + 30)
            if not played:
                break
            self._note_first_frame(handle.first_frame_at, handle.tick_index)
        return not played

    def _started_playing(self, say: Say) -> None:
        if say.barge_in_allowed and not self.detector.active:
            self.detector.start(self.call.now_s())

    def _note_first_frame(self, _first_at: float | None, tick: int | None) -> None:
        """End of the candidate's speech -> first frame of the bot's next prompt."""
        latency = self.awaiting_prompt
        if latency is None or tick is None:
            return
        started_s = tick * 0.020
        if started_s >= latency.speech_end_s:  # not a prompt that was already playing
            latency.next_prompt_s = round(started_s, 3)
            self.awaiting_prompt = None

    # ---- inputs ----------------------------------------------------------------------------
    def on_audio(self, pcm: bytes, position: int) -> None:
        """Every inbound 20 ms frame (sync, on the media path)."""
        at_s = position / 8000
        if self.detector.active:
            for heard in self.detector.feed(pcm, at_s):
                if isinstance(heard, barge.BargeIn):
                    self.stats.barge_ins.append(heard.at_s)
                    self.post(BargeIn(heard.at_s))
                else:
                    self.stats.backchannels += 1
        for ev in self.endpointer.feed(pcm, at_s):
            self.transcriber.push(ev)
            if isinstance(ev, SpeechStart):
                self.turn_no += 1
                self.post(SpeechStarted(ev.at_s, during_prompt=self.speaking_now is not None))
            elif isinstance(ev, TurnEnd):
                self.open_turns.add(self.turn_no)
                latency = _Latency(self.turn_no, self.expect, ev.end_s)
                self.stats.latencies.append(latency)
                self.awaiting_prompt = latency
                self.post(TurnEnded(self.turn_no, ev.start_s, ev.end_s, ev.speech_s, ev.reason))

    async def pump_transcripts(self) -> None:
        while True:
            text = await self.transcriber.next_final(timeout=3600)
            if text is not None:
                self.open_turns.discard(text.turn)
                self.post(_transcript(text))

    async def pump_call_events(self) -> None:
        while True:
            event = await self.call.next_event(timeout=3600)
            if isinstance(event, CallDtmf):
                self.post(Dtmf(event.digit, event.at_s))
            elif isinstance(event, RemoteHangup):
                self.hung_up = True
                self.post(HungUp(event.at_s))
                return

    # ---- after the call --------------------------------------------------------------------
    async def followup(self) -> dict[str, Any]:
        """After the hangup: wait (briefly) for the last answers' text, then the report."""
        started = time.monotonic()
        try:
            await self._stop_tasks()  # the pump must not race us for the finals below
            while not self.events.empty():  # transcripts the pump had already queued
                event = self.events.get_nowait()
                if isinstance(event, TranscriptReady):
                    self.state, _ = machine.step(self.state, event)
            deadline = started + _TRANSCRIPTS_AFTER_HANGUP_S
            while self.open_turns and time.monotonic() < deadline:
                text = await self.transcriber.next_final(timeout=deadline - time.monotonic())
                if text is None:
                    break
                self.open_turns.discard(text.turn)
                self.state, _ = machine.step(self.state, _transcript(text))
        finally:
            await self.close()
        # scoring is CPU work (~50 ms of pure Python): off the loop, or every other call's
        # audio stalls while it runs
        report, html = await asyncio.to_thread(
            _report, self.state, str(self.call.info.attempt_id), datetime.now(UTC)
        )
        log.info(
            "interview report built",
            extra=fields(
                after_hangup_s=round(time.monotonic() - started, 2),
                missing_transcripts=len(self.open_turns),
            ),
        )
        return {"report": report, "report_html": html, "missing_transcripts": len(self.open_turns)}

    async def _stop_tasks(self) -> None:
        for handle in self.timers.values():
            handle.cancel()
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def close(self) -> None:
        await self._stop_tasks()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self.transcriber.aclose()

    def summary(self) -> dict[str, Any]:
        finish = self.finish
        details = dict(finish.details) if finish else {}
        return {
            "profile_id": self.setup.profile_id,
            "language": self.language,
            "outcome_details": details,
            "do_not_call": self.do_not_call,
            "latency": [
                {
                    "turn": lat.turn_id,
                    "expect": lat.expect,
                    "speech_end_s": lat.speech_end_s,
                    "next_prompt_s": lat.next_prompt_s,
                }
                for lat in self.stats.latencies
            ],
            "prompts_streamed": self.stats.prompts_streamed,
            "barge_ins": len(self.stats.barge_ins),
            "barge_in_at_s": self.stats.barge_ins,
            "backchannels": self.stats.backchannels,
            "events_dropped": self.stats.events_dropped,
        }


def _report(state: State, call_id: str, at: datetime) -> tuple[dict[str, Any], str]:
    report = build_report(state, call_id=call_id, generated_at=at)
    return report, render_html(report)


def _describe(item: object) -> str:
    """A short trace line; prompt and answer text are left out (personal data)."""
    name = type(item).__name__
    keep = ("prompt_key", "turn_id", "question_id", "expect", "name", "outcome", "status")
    parts = [f"{k}={getattr(item, k)}" for k in keep if hasattr(item, k)]
    return f"{name}({', '.join(parts)})"


def _transcript(text: TurnText) -> TranscriptReady:
    segments = tuple(Segment(s.start_s, s.end_s, s.text) for s in text.segments)
    return TranscriptReady(text.turn, text.text, final=True, segments=segments)
