"""A scripted SIP candidate on pjsua2: the softphone the tests, the demo and the load test use.

Run as its own process (pjsua2 owns threads and can abort; a test process should not)::

    python -m voicebot.testing.candidate SPEC.json

The spec (see :mod:`voicebot.testing.spec`) lists accounts that register as ``candN`` and/or
one static peer listening on a fixed port, each with a behaviour (answer, busy, reject, never
answer) and a script of steps: wait for the bot's prompt to end (the candidate's own level
detector on what it hears), say an answer WAV, press keys, stay silent, hang up.

It reports on stdout, one JSON object per line prefixed with ``VBEV`` (pjsip writes its own
lines there too): ``ready``, ``incoming``, ``answered``, ``step``, ``call_end`` (with the
recording of everything it heard and a timeline of prompts and answers).

asyncio integration, as measured on this machine: ``libCreate`` in the loop's thread,
``threadCnt=0`` + ``mainThreadOnly=True``, a task pumping ``libHandleEvents(0)`` every 10 ms;
``onEof2`` runs in the media clock thread (handed over with ``call_soon_threadsafe``); every
pjsua2 object is dropped and ``gc.collect()`` runs before ``libDestroy()``; 8 kHz clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import pjsua2 as pj

from voicebot.testing.spec import CandidateSpec, ScriptSpec, Step, load_spec

EVENT_PREFIX = "VBEV "
POLL_S = 0.02


def emit(event: str, /, **data: Any) -> None:
    sys.stdout.write(EVENT_PREFIX + json.dumps({"event": event, "t": time.time(), **data}) + "\n")
    sys.stdout.flush()


class _Player(pj.AudioMediaPlayer):  # type: ignore[misc]
    """Plays one WAV once; signals the asyncio loop at end of file."""

    def __init__(self, loop: asyncio.AbstractEventLoop, done: asyncio.Future[None]) -> None:
        super().__init__()
        self._loop = loop
        self._done = done

    def onEof2(self) -> None:
        # media clock thread: hand over to the loop
        self._loop.call_soon_threadsafe(_resolve, self._done)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class CandidateCall(pj.Call):  # type: ignore[misc]
    def __init__(self, agent: Agent, account: CandidateAccount, call_id: int) -> None:
        super().__init__(account, call_id)
        self.agent = agent
        self.account = account
        self.script = account.script
        self.user = account.user
        self.seq = agent.next_seq()
        self.audio: pj.AudioMedia | None = None
        self.recorder: pj.AudioMediaRecorder | None = None
        self.players: list[_Player] = []
        self.recording = agent.out_dir / f"{self.user}-{self.seq}.wav"
        self.connected_at: float | None = None
        self.timeline: list[dict[str, Any]] = []
        self.media_ready = asyncio.Event()
        self.disconnected = asyncio.Event()
        self.status_code = 0
        self.ended_by = "remote"
        self.runner: asyncio.Task[None] | None = None

    def rel(self) -> float:
        return round(time.monotonic() - (self.connected_at or time.monotonic()), 3)

    def mark(self, what: str, **data: Any) -> None:
        self.timeline.append({"at": self.rel(), "what": what, **data})

    # -- pjsua2 callbacks (main thread) --
    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED and self.connected_at is None:
            self.connected_at = time.monotonic()
            emit("answered", user=self.user, seq=self.seq)
            self.runner = self.agent.loop.create_task(
                self.agent.run_script(self), name=f"script-{self.user}-{self.seq}"
            )
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.status_code = int(info.lastStatusCode)
            self.disconnected.set()
            self.agent.loop.call_soon(self.agent.finish, self)

    def onCallMediaState(self, prm: Any) -> None:
        info = self.getInfo()
        for i, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.audio = self.getAudioMedia(i)
                if self.recorder is None:
                    self.recorder = pj.AudioMediaRecorder()
                    self.recorder.createRecorder(str(self.recording))
                    self.audio.startTransmit(self.recorder)
                self.media_ready.set()


class CandidateAccount(pj.Account):  # type: ignore[misc]
    def __init__(self, agent: Agent, spec: CandidateSpec) -> None:
        super().__init__()
        self.agent = agent
        self.user = spec.user
        self.script = spec.script
        self.registered = asyncio.Event()

    def onRegState(self, prm: Any) -> None:
        if prm.code == 200 and prm.expiration > 0:
            self.registered.set()
        elif prm.code != 200:
            emit("register_failed", user=self.user, code=int(prm.code), reason=str(prm.reason))

    def onIncomingCall(self, prm: Any) -> None:
        call = CandidateCall(self.agent, self, prm.callId)
        self.agent.calls.add(call)
        emit("incoming", user=self.user, seq=call.seq, behaviour=self.script.behaviour)
        self.agent.handle_incoming(call)


class Agent:
    def __init__(self, spec_path: Path) -> None:
        self.spec = load_spec(spec_path)
        self.out_dir = Path(self.spec.out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.loop = asyncio.get_running_loop()
        self.ep = pj.Endpoint()
        self.accounts: list[CandidateAccount] = []
        self.calls: set[CandidateCall] = set()
        self._seq = 0
        self.stopping = asyncio.Event()

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # ---- library life ----
    def start(self) -> None:
        ep = self.ep
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = 128
        cfg.uaConfig.userAgent = "voicebot-candidate"
        cfg.medConfig.clockRate = 8000
        cfg.medConfig.sndClockRate = 8000
        cfg.medConfig.channelCount = 1
        cfg.medConfig.ecTailLen = 0
        cfg.medConfig.noVad = True
        cfg.medConfig.quality = 4
        cfg.logConfig.level = 3
        cfg.logConfig.consoleLevel = 0
        cfg.logConfig.filename = str(self.out_dir / "pjsua.log")
        ep.libInit(cfg)
        tcfg = pj.TransportConfig()
        tcfg.boundAddress = "127.0.0.1"
        tcfg.port = self.spec.sip_port
        ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        ep.libStart()
        ep.audDevManager().setNullDev()
        for codec in ep.codecEnum2():
            prio = (
                255
                if codec.codecId.startswith("PCMU")
                else (200 if codec.codecId.startswith("PCMA") else 0)
            )
            ep.codecSetPriority(codec.codecId, prio)
        for cand in self.spec.candidates:
            acc = CandidateAccount(self, cand)
            acfg = pj.AccountConfig()
            acfg.idUri = f"sip:{cand.user}@{self.spec.registrar}"
            acfg.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
            if cand.registers:
                acfg.regConfig.registrarUri = f"sip:{self.spec.registrar}"
                acfg.regConfig.timeoutSec = 300
                acfg.sipConfig.authCreds.append(
                    pj.AuthCredInfo("digest", "*", cand.user, 0, self.spec.secret)
                )
            else:
                acfg.regConfig.registerOnAdd = False
            acc.create(acfg, cand.default)
            if not cand.registers:
                acc.registered.set()
            self.accounts.append(acc)

    async def pump(self) -> None:
        while not self.stopping.is_set():
            self.ep.libHandleEvents(0)
            await asyncio.sleep(0.01)

    async def shutdown(self) -> None:
        for call in list(self.calls):
            with contextlib.suppress(pj.Error):
                call.hangup(pj.CallOpParam(True))
        deadline = time.monotonic() + 2
        while self.calls and time.monotonic() < deadline:
            self.ep.libHandleEvents(10)
            await asyncio.sleep(0)
        for call in list(self.calls):
            self.finish(call)
        for acc in self.accounts:
            with contextlib.suppress(pj.Error):
                acc.shutdown()
        self.accounts.clear()
        gc.collect()
        self.ep.libDestroy()

    # ---- calls ----
    def handle_incoming(self, call: CandidateCall) -> None:
        script = call.script
        op = pj.CallOpParam()
        if script.behaviour == "busy":
            op.statusCode = 486
            call.hangup(op)
            return
        if script.behaviour == "reject":
            op.statusCode = 603
            call.hangup(op)
            return
        op.statusCode = 180
        call.answer(op)
        if script.behaviour == "answer":
            self.loop.call_later(script.ring_s, self._answer, call)

    def _answer(self, call: CandidateCall) -> None:
        if call.disconnected.is_set():
            return
        op = pj.CallOpParam()
        op.statusCode = 200
        with contextlib.suppress(pj.Error):
            call.answer(op)

    def finish(self, call: CandidateCall) -> None:
        if call not in self.calls:
            return
        self.calls.discard(call)
        if call.runner is not None and not call.runner.done():
            call.runner.cancel()
        for p in call.players:
            with contextlib.suppress(pj.Error):
                p.stopTransmit(call.audio)
        call.players.clear()
        if call.recorder is not None and call.audio is not None:
            with contextlib.suppress(pj.Error):
                call.audio.stopTransmit(call.recorder)
            call.recorder = None  # closes the WAV (header written)
        duration = round(time.monotonic() - call.connected_at, 3) if call.connected_at else 0.0
        emit(
            "call_end",
            user=call.user,
            seq=call.seq,
            status_code=call.status_code,
            connected=call.connected_at is not None,
            duration_s=duration,
            ended_by=call.ended_by,
            recording=str(call.recording) if call.connected_at else None,
            timeline=call.timeline,
        )
        call.audio = None
        gc.collect()

    # ---- the script ----
    async def run_script(self, call: CandidateCall) -> None:
        script: ScriptSpec = call.script
        try:
            async with asyncio.timeout(5):
                await call.media_ready.wait()
            for index, step in enumerate(script.steps):
                await self.run_step(call, index, step)
            if script.hangup_at_end:
                await self.wait_prompt_end(call, script)
                self.hangup(call)
            else:
                await asyncio.wait_for(call.disconnected.wait(), script.max_call_s)
        except TimeoutError:
            call.mark("timeout")
            self.hangup(call)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported in call_end's timeline for the test
            call.mark("script_error", error=f"{type(exc).__name__}: {exc}")
            emit("script_error", user=call.user, seq=call.seq, error=traceback.format_exc())
            self.hangup(call)

    def hangup(self, call: CandidateCall) -> None:
        if not call.disconnected.is_set():
            call.ended_by = "local"
            with contextlib.suppress(pj.Error):
                call.hangup(pj.CallOpParam(True))

    async def run_step(self, call: CandidateCall, index: int, step: Step) -> None:
        script = call.script
        if step.barge_in_after_s is not None:
            await self.wait_prompt_start(call, script)
            await asyncio.sleep(step.barge_in_after_s)
        elif step.wait_prompt:
            await self.wait_prompt_end(call, script)
        if step.pause_s:
            await asyncio.sleep(step.pause_s)
        emit("step", user=call.user, seq=call.seq, index=index, kind=step.kind)
        if step.kind == "say":
            await self.say(call, step.wav or "")
        elif step.kind == "dtmf":
            call.mark("dtmf", digits=step.digits)
            call.dialDtmf(step.digits)
        elif step.kind == "silence":
            call.mark("silence", seconds=step.seconds)
            await asyncio.sleep(step.seconds)
        elif step.kind == "hangup":
            call.mark("hangup")
            self.hangup(call)

    async def say(self, call: CandidateCall, wav: str) -> None:
        done: asyncio.Future[None] = self.loop.create_future()
        player = _Player(self.loop, done)
        player.createPlayer(wav, pj.PJMEDIA_FILE_NO_LOOP)
        call.players.append(player)
        call.mark("say_start", wav=Path(wav).name)
        player.startTransmit(call.audio)
        try:
            await asyncio.wait_for(asyncio.shield(done), 120)
        finally:
            call.mark("say_end", wav=Path(wav).name)
            if call.audio is not None and player in call.players:
                with contextlib.suppress(pj.Error):
                    player.stopTransmit(call.audio)
                call.players.remove(player)

    def level(self, call: CandidateCall) -> int:
        if call.audio is None:
            return 0
        try:
            # pjsua2 2.17: the call port's "tx" level is what the far end sends us
            # (measured: 5..37 while the bot speaks, 0 in silence; "rx" stays 0)
            return int(call.audio.getTxLevel())
        except pj.Error:
            return 0

    async def wait_prompt_start(self, call: CandidateCall, script: ScriptSpec) -> None:
        """Wait until the bot is heard (level above threshold for speech_ms)."""
        needed = max(1, int(script.speech_ms / 1000 / POLL_S))
        run = 0
        async with asyncio.timeout(script.max_prompt_wait_s):
            while run < needed:
                await asyncio.sleep(POLL_S)
                run = run + 1 if self.level(call) >= script.level_threshold else 0
        call.mark("prompt_start")

    async def wait_prompt_end(self, call: CandidateCall, script: ScriptSpec) -> None:
        """Wait for the bot to speak and then be quiet for quiet_ms."""
        await self.wait_prompt_start(call, script)
        needed = max(1, int(script.quiet_ms / 1000 / POLL_S))
        quiet = 0
        async with asyncio.timeout(script.max_prompt_s):
            while quiet < needed:
                await asyncio.sleep(POLL_S)
                quiet = quiet + 1 if self.level(call) < script.level_threshold else 0
        call.mark("prompt_end", quiet_ms=script.quiet_ms)


async def amain(spec_path: Path) -> int:
    agent = Agent(spec_path)
    agent.start()
    pump = asyncio.create_task(agent.pump(), name="pjsua-pump")
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, agent.stopping.set)
    try:
        async with asyncio.timeout(15):
            for acc in agent.accounts:
                await acc.registered.wait()
        emit("ready", accounts=[a.user for a in agent.accounts])
        await agent.stopping.wait()
    except TimeoutError:
        emit(
            "error",
            message="registration timed out",
            pending=[a.user for a in agent.accounts if not a.registered.is_set()],
        )
        return 2
    finally:
        agent.stopping.set()
        await pump
        await agent.shutdown()
        emit("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m voicebot.testing.candidate SPEC.json\n")
        return 2
    return asyncio.run(amain(Path(args[0])))


if __name__ == "__main__":
    raise SystemExit(main())
