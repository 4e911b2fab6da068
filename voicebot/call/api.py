"""What a conversation sees of a call: the contract between the call session and the bot logic.

A :class:`Conversation` (the fixed prompt of the foundation, the interview driver later) gets a
:class:`CallIO` and returns a :class:`ConversationResult`. Everything time-related is in call
time — seconds since the call's audio started — derived from sample counts, never wall clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from voicebot.media.playout import PlayHandle


class CallEnded(Exception):
    """The candidate hung up (raised from CallIO waits so conversations unwind cleanly)."""


@dataclass(frozen=True, slots=True)
class Dtmf:
    digit: str
    at_s: float


@dataclass(frozen=True, slots=True)
class RemoteHangup:
    reason: str
    at_s: float


CallEvent = Dtmf | RemoteHangup

AudioListener = Callable[[bytes, int], None]
"""Called for every inbound frame with the PCM and the call-time sample index of its start."""


@dataclass(frozen=True, slots=True)
class CallInfo:
    attempt_id: uuid.UUID
    number: str
    candidate_id: int | None = None
    candidate_name: str | None = None
    language: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class CallIO(Protocol):
    """The live call, as a conversation drives it."""

    @property
    def info(self) -> CallInfo: ...

    def now_s(self) -> float:
        """Call time of the most recent outbound tick."""
        ...

    def play(self, pcm: bytes, label: str = "") -> PlayHandle:
        """Queue 8 kHz slin16 audio; it plays after what is already queued."""
        ...

    def stop_playing(self) -> int:
        """Drop queued audio at once (barge-in); returns ms dropped."""
        ...

    @property
    def speaking(self) -> bool: ...

    async def wait_played(self, handle: PlayHandle, timeout: float) -> bool:
        """Wait for a queued piece to finish (True) or be cleared (False); CallEnded on hangup."""
        ...

    async def next_event(self, timeout: float) -> CallEvent | None:
        """Next DTMF/hangup event, or None after ``timeout`` seconds."""
        ...

    def add_audio_listener(self, listener: AudioListener) -> Callable[[], None]:
        """Receive every inbound frame (sync, on the media path: keep it cheap)."""
        ...

    @property
    def hung_up(self) -> bool: ...

    def discard_recording(self) -> None:
        """Delete the recording at the end of the call (no consent)."""
        ...


@dataclass(slots=True)
class ConversationResult:
    outcome: str
    """completed / declined / callback / opted_out / hung_up / no_input / error ..."""
    data: dict[str, Any] = field(default_factory=dict)
    """Whatever the conversation wants stored with the call (transcript, scores …)."""
    followup: Callable[[], Awaitable[dict[str, Any]]] | None = None
    """Work that must happen after the hangup (the rest of the transcription, scoring, the
    report). The service always awaits it, with a deadline, and merges what it returns into
    ``data``; it also releases whatever the conversation still holds."""


class Conversation(Protocol):
    async def run(self, call: CallIO) -> ConversationResult: ...


ConversationFactory = Callable[[CallInfo], Conversation]
