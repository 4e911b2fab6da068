"""One call attempt, from originate to a stored result.

dial (AMI) -> wait for the answered call's AudioSocket connection (or its hangup) -> run the
conversation -> hang up -> the conversation's follow-up work (last transcripts, report) with a
deadline -> store everything: the attempt, the interview and its report, an opt-out.
Every failure ends up in the store with what is known; nothing raises out of :meth:`run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from voicebot.ami.client import AmiClient, AmiEvent
from voicebot.ami.dialer import Dialer, DialRequest, DialResult
from voicebot.ami.outcomes import Outcome
from voicebot.call.api import CallInfo, ConversationFactory
from voicebot.call.registry import CallRegistry
from voicebot.call.session import CallRecord, CallSession
from voicebot.config import Settings
from voicebot.errors import VoicebotError
from voicebot.logs import bind, fields
from voicebot.store.db import Store

log = logging.getLogger(__name__)

FOLLOWUP_DEADLINE_S = 20.0
"""Post-call work (transcripts, scoring, report) must finish within this; the target is 10 s."""


@dataclass(frozen=True, slots=True)
class AttemptResult:
    attempt_id: uuid.UUID
    number: str
    dial: DialResult | None
    call: CallRecord | None
    error: str | None = None

    @property
    def outcome(self) -> str:
        return self.dial.outcome.value if self.dial else Outcome.FAILED.value


class AttemptRunner:
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        ami: AmiClient,
        dialer: Dialer,
        registry: CallRegistry,
        audiosocket_address: str,
    ) -> None:
        self._settings = settings
        self._store = store
        self._ami = ami
        self._dialer = dialer
        self._registry = registry
        self._audiosocket_address = audiosocket_address

    async def run(self, info: CallInfo, conversations: ConversationFactory) -> AttemptResult:
        attempts = self._store.attempts
        with bind(call_id=str(info.attempt_id), candidate_id=info.candidate_id):
            await attempts.create(info.attempt_id, info.number, info.candidate_id)
            dial: DialResult | None = None
            try:
                conversation = conversations(info)
                with (
                    self._registry.expect(info, conversation) as session_future,
                    self._watch_hangup(info.attempt_id) as hung_up,
                ):
                    dial = await self._dialer.dial(DialRequest(info.attempt_id, info.number))
                    await attempts.dialed(
                        info.attempt_id,
                        outcome=dial.outcome.value,
                        reason=dial.reason,
                        cause=dial.cause,
                        cause_text=dial.cause_text,
                        ring_s=dial.ring_s,
                    )
                    if dial.outcome is not Outcome.ANSWERED:
                        return AttemptResult(info.attempt_id, info.number, dial, None)
                    session = await self._await_session(session_future, hung_up)
                    if isinstance(session, str):
                        log.error("answered call lost", extra=fields(error=session))
                        await attempts.failed(info.attempt_id, session, outcome="answered")
                        return AttemptResult(info.attempt_id, info.number, dial, None, session)
                    await attempts.connected(info.attempt_id, session.connected_at)
                    record = await session.run()
                await self._followup(record)
                await self._save(record)
                return AttemptResult(info.attempt_id, info.number, dial, record)
            except VoicebotError as exc:
                log.warning("call attempt failed", extra=fields(error=exc))
                await attempts.failed(info.attempt_id, str(exc))
                return AttemptResult(info.attempt_id, info.number, dial, None, str(exc))
            except Exception as exc:
                log.exception("call attempt crashed")
                await attempts.failed(info.attempt_id, f"{type(exc).__name__}: {exc}")
                return AttemptResult(info.attempt_id, info.number, dial, None, str(exc))

    @contextlib.contextmanager
    def _watch_hangup(self, attempt_id: uuid.UUID) -> Iterator[asyncio.Future[str]]:
        """A future set with the hangup cause if the attempt's channel hangs up."""
        uid = str(attempt_id)
        hung: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_hangup(event: AmiEvent) -> None:
            if event.get("uniqueid") == uid and not hung.done():
                hung.set_result(f"{event.get('cause', '?')} {event.get('cause-txt', '')}".strip())

        unsubscribe = self._ami.subscribe("Hangup", on_hangup)
        try:
            yield hung
        finally:
            unsubscribe()
            hung.cancel()

    async def _await_session(
        self, session_future: asyncio.Future[CallSession], hung_up: asyncio.Future[str]
    ) -> CallSession | str:
        """The call's session once AudioSocket connects, or why it never will."""
        waiting: set[asyncio.Future[Any]] = {session_future, hung_up}
        await asyncio.wait(
            waiting,
            timeout=self._settings.audiosocket.connect_timeout_s,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if session_future.done() and not session_future.cancelled():
            return session_future.result()
        if hung_up.done() and not hung_up.cancelled():
            cause = hung_up.result()
            return f"answered, but the channel hung up before reaching AudioSocket (cause {cause})"
        return (
            "answered, but the call never reached the AudioSocket server at "
            f"{self._audiosocket_address} (check the dialplan and the firewall)"
        )

    async def _followup(self, record: CallRecord) -> None:
        """The conversation's post-call work, merged into its data (with a deadline)."""
        followup = record.result.followup
        if followup is None:
            return
        started = time.monotonic()
        try:
            async with asyncio.timeout(FOLLOWUP_DEADLINE_S):
                extra = await followup()
        except TimeoutError:
            log.error("post-call work missed its deadline", extra=fields(s=FOLLOWUP_DEADLINE_S))
            record.result.data["followup_error"] = "deadline"
            return
        except Exception as exc:
            log.exception("post-call work failed")
            record.result.data["followup_error"] = f"{type(exc).__name__}: {exc}"
            return
        record.result.data.update(extra)
        record.result.data["followup_s"] = round(time.monotonic() - started, 3)

    async def _save(self, record: CallRecord) -> None:
        data = dict(record.result.data)
        report = data.pop("report", None)
        html = data.pop("report_html", None)
        recording = None
        if record.recording is not None:
            try:
                recording = record.recording.path.relative_to(self._settings.storage.data_dir)
            except ValueError:
                recording = record.recording.path
        attempt_id = record.info.attempt_id
        await self._store.attempts.ended(
            attempt_id,
            ended_at=record.ended_at,
            ended_by=record.ended_by,
            duration_s=record.duration_s,
            result=record.result.outcome,
            result_data=data,
            recording=recording,
            recording_s=record.recording.duration_s if record.recording else None,
        )
        if isinstance(report, dict):
            await self._save_interview(record, data, report, html)
        if data.get("do_not_call"):
            await self._store.do_not_call.add(record.info.number, "opted_out", attempt_id)
            log.info("number added to do-not-call")

    async def _save_interview(
        self, record: CallRecord, data: dict[str, Any], report: dict[str, Any], html: Any
    ) -> None:
        recommendation = report.get("recommendation") or {}
        callback = (report.get("call") or {}).get("callback") or {}
        await self._store.interviews.save(
            record.info.attempt_id,
            profile_id=str(data.get("profile_id", "")),
            candidate_id=record.info.candidate_id,
            language=str(data.get("language", "")),
            outcome=record.result.outcome,
            callback_at=callback.get("at"),
            total_score=report.get("total"),
            recommendation=recommendation.get("value"),
            knocked_out=any(k.get("status") == "knocked_out" for k in report.get("knockouts", [])),
            report_version=str(report.get("schema_version", "")),
            report=report,
            report_html=html if isinstance(html, str) else None,
        )
