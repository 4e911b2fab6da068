"""The simplest conversation: play a prompt, record one answer, say goodbye, hang up.

Used by ``voicebot call --fixed`` to check a line (and by the call-path tests): it exercises
playout, inbound audio, endpointing and the recording without the interview engine.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib import resources

from voicebot.call.api import CallIO, ConversationResult, RemoteHangup
from voicebot.speech.audio import read_wav_as_phone
from voicebot.speech.vad import EndpointConfig, Endpointer, TurnEnd, WebRtcVad


@dataclass(frozen=True, slots=True)
class FixedPrompt:
    prompt: bytes
    goodbye: bytes
    no_speech_timeout_s: float = 8.0
    hangover_ms: int = 800
    max_answer_s: float = 20.0

    @classmethod
    def bundled(cls) -> FixedPrompt:
        base = resources.files("voicebot.assets").joinpath("foundation")
        with (
            resources.as_file(base.joinpath("hello_en.wav")) as hello,
            resources.as_file(base.joinpath("goodbye_en.wav")) as bye,
        ):
            return cls(prompt=read_wav_as_phone(hello), goodbye=read_wav_as_phone(bye))


class FixedPromptConversation:
    def __init__(self, script: FixedPrompt) -> None:
        self._script = script

    async def run(self, call: CallIO) -> ConversationResult:
        s = self._script
        turns: asyncio.Queue[TurnEnd] = asyncio.Queue(maxsize=8)
        endpointer = Endpointer(
            WebRtcVad(), EndpointConfig(hangover_ms=s.hangover_ms, max_turn_s=s.max_answer_s)
        )

        def listen(pcm: bytes, position: int) -> None:
            for event in endpointer.feed(pcm, position / 8000):
                if isinstance(event, TurnEnd) and not turns.full():
                    turns.put_nowait(event)

        prompt = call.play(s.prompt, "prompt")
        prompt_s = len(s.prompt) / 16000
        await call.wait_played(prompt, timeout=prompt_s + 5)
        prompt_end_s = call.now_s()
        remove = call.add_audio_listener(listen)
        try:
            turn = await self._wait_turn(call, turns, s.no_speech_timeout_s + s.max_answer_s)
        finally:
            remove()
        data: dict[str, object] = {"prompt_end_s": round(prompt_end_s, 3)}
        if turn is None:
            outcome = "hung_up" if call.hung_up else "no_input"
        else:
            outcome = "completed"
            data.update(
                answer_start_s=turn.start_s,
                answer_end_s=turn.end_s,
                answer_s=round(turn.speech_s, 3),
                end_reason=turn.reason,
            )
        if not call.hung_up:
            bye = call.play(s.goodbye, "goodbye")
            data["goodbye_start_s"] = round(call.now_s(), 3)
            await call.wait_played(bye, timeout=len(s.goodbye) / 16000 + 5)
        return ConversationResult(outcome, data)

    async def _wait_turn(
        self, call: CallIO, turns: asyncio.Queue[TurnEnd], timeout: float
    ) -> TurnEnd | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            turn_task = asyncio.ensure_future(turns.get())
            event_task = asyncio.ensure_future(call.next_event(left))
            done, pending = await asyncio.wait(
                {turn_task, event_task}, timeout=left, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            if turn_task in done:
                return turn_task.result()
            if event_task in done and isinstance(event_task.result(), RemoteHangup):
                return None
        return None
