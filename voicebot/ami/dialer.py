"""Place one call with an async Originate and report how it ended.

Each call attempt has a UUID. It is sent as ``ChannelId`` (so every AMI event about the
channel carries it as ``Uniqueid``) and as the channel variable ``ATTEMPT_ID`` (so the dialplan
hands it to AudioSocket, which sends it back to us as the stream's UUID).

panoramisk resolves an async Originate's future only at OriginateResponse — up to the ring
timeout later — so every :meth:`Dialer.dial` is awaited in its own task by the caller.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from voicebot.ami.client import AmiClient, AmiEvent
from voicebot.ami.outcomes import Outcome, classify
from voicebot.config import DialSettings
from voicebot.errors import DialError, InputError
from voicebot.logs import fields

log = logging.getLogger(__name__)

# What may stand in a channel string's {number}: digits, SIP user parts, E.164 '+'.
_NUMBER = re.compile(r"^[+0-9A-Za-z][0-9A-Za-z_.*#+-]{0,63}$")
# After a failed originate, how long to wait for the channel's Hangup event (its cause).
_CAUSE_GRACE_S = 1.0


def check_number(number: str) -> str:
    """Return the number if it is safe to put into a channel string, else raise InputError."""
    number = number.strip()
    if not _NUMBER.match(number):
        raise InputError(
            f"phone number {number!r}: use digits, '+', or a SIP user name "
            "(letters, digits, . _ - * #; at most 64 characters)"
        )
    return number


@dataclass(frozen=True, slots=True)
class DialRequest:
    attempt_id: uuid.UUID
    number: str
    variables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DialResult:
    attempt_id: uuid.UUID
    outcome: Outcome
    reason: int | None
    cause: int | None
    cause_text: str
    ring_s: float
    """Seconds from sending the Originate to its response (answer, or giving up)."""


@dataclass(slots=True)
class _Pending:
    cause: int | None = None
    cause_text: str = ""
    rang: bool = False
    hungup: asyncio.Event = field(default_factory=asyncio.Event)
    lost: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Dialer:
    """Originates calls into the interview context and classifies their outcome."""

    def __init__(self, ami: AmiClient, settings: DialSettings, audiosocket_address: str) -> None:
        self._ami = ami
        self._settings = settings
        self._audiosocket = audiosocket_address
        self._slots = asyncio.Semaphore(settings.max_concurrent)
        self._pending: dict[str, _Pending] = {}
        ami.subscribe("Hangup", self._on_hangup)
        ami.subscribe("Newstate", self._on_newstate)
        ami.on_disconnect(self._on_disconnect)

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    def channel_for(self, number: str) -> str:
        return self._settings.channel.format(number=check_number(number))

    async def dial(self, request: DialRequest) -> DialResult:
        """Originate and wait for the answer or the failure; DialError if AMI is lost."""
        channel = self.channel_for(request.number)
        async with self._slots:
            return await self._dial(request, channel)

    async def _dial(self, request: DialRequest, channel: str) -> DialResult:
        s = self._settings
        uid = str(request.attempt_id)
        variables = {
            "ATTEMPT_ID": uid,
            "VOICEBOT_AUDIOSOCKET": self._audiosocket,
            **request.variables,
        }
        action: dict[str, Any] = {
            "Action": "Originate",
            "Channel": channel,
            "Context": s.context,
            "Exten": s.exten,
            "Priority": str(s.priority),
            "Timeout": str(int(s.ring_timeout_s * 1000)),
            "CallerID": s.caller_id,
            "Async": "true",
            "ChannelId": uid,
            "Variable": [f"{k}={v}" for k, v in variables.items()],
        }
        pending = _Pending()
        self._pending[uid] = pending
        started = time.monotonic()
        try:
            future = self._ami.send_async(action)
            log.info(
                "originate sent",
                extra=fields(call_id=uid, channel=channel.split("/", maxsplit=1)[0]),
            )
            done, _ = await asyncio.wait(
                {future, pending.lost},
                timeout=s.ring_timeout_s + 15,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if pending.lost in done:
                future.cancel()
                raise DialError(f"AMI connection lost while dialing attempt {uid}")
            if not done:
                future.cancel()
                raise DialError(f"no OriginateResponse for attempt {uid} in time")
            response = _final_message(future.result())
            reason = _int(response.get("reason"))
            if reason != 4 and pending.cause is None:
                # the channel's Hangup event (with its cause) may trail the response
                try:
                    async with asyncio.timeout(_CAUSE_GRACE_S):
                        await pending.hungup.wait()
                except TimeoutError:
                    pass
            if response.get("response", "").lower() == "error" and reason is None:
                outcome = Outcome.FAILED
                text = response.get("message", "originate refused")
            else:
                outcome = classify(reason, pending.cause, pending.rang)
                text = pending.cause_text
            result = DialResult(
                attempt_id=request.attempt_id,
                outcome=outcome,
                reason=reason,
                cause=pending.cause,
                cause_text=text,
                ring_s=round(time.monotonic() - started, 3),
            )
            log.info(
                "originate finished",
                extra=fields(
                    call_id=uid, outcome=outcome.value, reason=reason, cause=pending.cause
                ),
            )
            return result
        finally:
            self._pending.pop(uid, None)

    # ---- AMI callbacks -----------------------------------------------------------------------
    def _on_hangup(self, event: AmiEvent) -> None:
        pending = self._pending.get(event.get("uniqueid", ""))
        if pending is None:
            return
        pending.cause = _int(event.get("cause"))
        pending.cause_text = event.get("cause-txt", "")
        pending.hungup.set()

    def _on_newstate(self, event: AmiEvent) -> None:
        pending = self._pending.get(event.get("uniqueid", ""))
        if pending is not None and event.get("channelstate") in ("5", "6"):  # Ringing, Up
            pending.rang = True

    def _on_disconnect(self) -> None:
        for pending in self._pending.values():
            if not pending.lost.done():
                pending.lost.set_result(None)


def _final_message(result: Any) -> dict[str, str]:
    """The OriginateResponse event (or the lone error Response) from panoramisk's result."""
    messages = result if isinstance(result, list) else [result]
    last = messages[-1]
    return {str(k).lower(): str(v) for k, v in last.items()}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
