"""A typed, reconnecting AMI client on top of panoramisk.

panoramisk speaks the protocol; this module owns the connection's life:
- connect in the background and reconnect with exponential backoff (100 ms .. 5 s) whenever
  Asterisk goes away (restart, crash, network), so callers only ever see
  :class:`AmiNotConnected` for a moment;
- report a refused login as :class:`AmiAuthError` instead of retrying forever;
- dispatch events to synchronous subscribers (no fire-and-forget tasks);
- tell listeners about disconnects, so work that was waiting on an action (an originate) can
  fail fast instead of hanging: panoramisk never resolves an action whose connection died.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from panoramisk import Manager

from voicebot.config import AmiSettings
from voicebot.errors import AmiActionError, AmiAuthError, AmiNotConnected
from voicebot.logs import fields

log = logging.getLogger(__name__)

AmiEvent = Mapping[str, str]
"""An AMI event: header names lower-cased, values as Asterisk sent them."""

EventCallback = Callable[[AmiEvent], None]


def _as_event(message: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in message.items()}


class _Manager(Manager):  # type: ignore[misc]
    """panoramisk's Manager with our backoff and connection-state hooks."""

    pinger: asyncio.TimerHandle | None

    def __init__(self, owner: AmiClient, **config: Any) -> None:
        super().__init__(**config)
        self._owner = owner

    def connection_made(self, f: asyncio.Future[Any]) -> None:
        if f.cancelled() or f.exception() is not None:
            self._owner._schedule_reconnect(f.exception() if not f.cancelled() else None)
            return
        super().connection_made(f)

    def login(self, future: asyncio.Future[Any]) -> bool:
        ok = bool(super().login(future))
        self._owner._logged_in(ok, None if ok else future.result())
        return ok

    def connection_lost(self, exc: Exception | None) -> None:
        self._connected = False
        self.authenticated = False
        if self.pinger:
            self.pinger.cancel()
            self.pinger = None
        self._owner._disconnected(exc)


class AmiClient:
    def __init__(self, settings: AmiSettings) -> None:
        self._settings = settings
        self._manager: _Manager | None = None
        self._ready = asyncio.Event()
        self._auth_failed = asyncio.Event()
        self._auth_error: AmiAuthError | None = None
        self._closing = False
        self._backoff = settings.reconnect_min_s
        self._reconnect: asyncio.TimerHandle | None = None
        self._subscribers: dict[str, list[EventCallback]] = {}
        self._disconnect_listeners: list[Callable[[], None]] = []
        self._connect_listeners: list[Callable[[], None]] = []
        self.reconnects = 0

    # ---- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start connecting in the background (returns at once)."""
        loop = asyncio.get_running_loop()
        s = self._settings
        self._manager = _Manager(
            self,
            loop=loop,
            host=s.host,
            port=s.port,
            username=s.username,
            secret=s.resolved_secret(),
            ping_delay=s.ping_interval_s,
            ping_interval=s.ping_interval_s,
            # never resend an originate on reconnect: the attempt fails and is retried by policy
            forgetable_actions=("ping", "login", "originate"),
        )
        self._manager.register_event("*", self._dispatch)
        self._manager.connect()

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Wait until logged in; raise AmiAuthError as soon as the credentials are refused."""
        limit = timeout or self._settings.connect_timeout_s
        if self._auth_error and not self._ready.is_set():
            raise self._auth_error
        self._auth_failed.clear()
        ready = asyncio.ensure_future(self._ready.wait())
        refused = asyncio.ensure_future(self._auth_failed.wait())
        try:
            await asyncio.wait({ready, refused}, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()
            refused.cancel()
        if self._ready.is_set():
            return
        if self._auth_error:
            raise self._auth_error
        raise AmiNotConnected(
            f"no AMI session with {self._settings.host}:{self._settings.port} after {limit:.1f} s"
        )

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    async def close(self) -> None:
        self._closing = True
        if self._reconnect:
            self._reconnect.cancel()
        if self._manager is not None:
            self._manager.close()
        self._ready.clear()

    # ---- subscriptions -------------------------------------------------------------------------
    def subscribe(self, event: str, callback: EventCallback) -> Callable[[], None]:
        """Call ``callback`` for every event named ``event``; returns an unsubscribe function."""
        key = event.lower()
        self._subscribers.setdefault(key, []).append(callback)

        def unsubscribe() -> None:
            callbacks = self._subscribers.get(key, [])
            if callback in callbacks:
                callbacks.remove(callback)

        return unsubscribe

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        self._disconnect_listeners.append(callback)

    def on_connect(self, callback: Callable[[], None]) -> None:
        self._connect_listeners.append(callback)

    # ---- actions -------------------------------------------------------------------------------
    def _require(self) -> _Manager:
        if self._manager is None or not self._ready.is_set():
            if self._auth_error:
                raise self._auth_error
            raise AmiNotConnected("AMI is not connected")
        return self._manager

    async def action(self, action: dict[str, Any], timeout: float | None = None) -> dict[str, str]:
        """Send one action and return its (single) response; raise on ``Response: Error``."""
        manager = self._require()
        future = manager.send_action(action)
        try:
            async with asyncio.timeout(timeout or self._settings.action_timeout_s):
                response = await future
        except TimeoutError:
            raise AmiNotConnected(f"no answer to AMI {action.get('Action')} in time") from None
        if isinstance(response, list):
            response = response[0]
        result = _as_event(response)
        if result.get("response", "").lower() == "error":
            raise AmiActionError(f"{action.get('Action')}: {result.get('message', 'error')}")
        return result

    def send_async(self, action: dict[str, Any]) -> asyncio.Future[Any]:
        """Send an action whose completion arrives later (async Originate); raw future."""
        return self._require().send_action(action)  # type: ignore[no-any-return]

    async def command(self, cli: str) -> str:
        """Run an Asterisk CLI command and return its output."""
        manager = self._require()
        response = await asyncio.wait_for(
            manager.send_command(cli), self._settings.action_timeout_s
        )
        return "\n".join(str(line) for line in response.iter_lines())

    # ---- manager callbacks ---------------------------------------------------------------------
    def _dispatch(self, _manager: Any, message: Any) -> None:
        callbacks = self._subscribers.get(str(message.event).lower())
        if not callbacks:
            return
        event = _as_event(message)
        for callback in list(callbacks):
            try:
                callback(event)
            except Exception:
                log.exception("AMI event subscriber failed", extra=fields(event=event.get("event")))

    def _logged_in(self, ok: bool, response: Any) -> None:
        if ok:
            if self.reconnects:
                log.info("AMI reconnected", extra=fields(reconnects=self.reconnects))
            else:
                log.info("AMI connected", extra=fields(host=self._settings.host))
            self._auth_error = None
            self._backoff = self._settings.reconnect_min_s
            self._ready.set()
            for callback in list(self._connect_listeners):
                callback()
            return
        message = str(getattr(response, "message", "") or "login refused")
        if "authentication" in message.lower():
            # wrong credentials: say so at once (wait_ready raises), keep retrying slowly so
            # a corrected manager.conf is picked up without restarting voicebot
            if self._auth_error is None:
                log.error("AMI login refused", extra=fields(username=self._settings.username))
            self._auth_error = AmiAuthError(
                f"AMI login as {self._settings.username!r} refused: {message} "
                "(check ami.username / ami.secret against manager.conf)"
            )
            self._backoff = self._settings.reconnect_max_s
            self._auth_failed.set()
        else:  # e.g. "Asterisk is shutting down" during a restart: transient
            log.info("AMI login not accepted yet", extra=fields(reason=message))
        if self._manager is not None:
            self._manager.close()
            self._manager.connection_lost(None)

    def _disconnected(self, exc: Exception | None) -> None:
        was_ready = self._ready.is_set()
        self._ready.clear()
        if was_ready:
            log.warning("AMI connection lost", extra=fields(error=exc or "closed"))
            for callback in list(self._disconnect_listeners):
                callback()
        self._schedule_reconnect(exc)

    def _schedule_reconnect(self, exc: BaseException | None) -> None:
        if self._closing or self._manager is None:
            return
        if (
            self._reconnect is not None
            and self._reconnect.when() > asyncio.get_running_loop().time()
        ):
            return  # one is already scheduled
        delay = self._backoff
        self._backoff = min(self._backoff * 2, self._settings.reconnect_max_s)
        self.reconnects += 1
        log.debug("AMI reconnect scheduled", extra=fields(delay_s=delay, error=exc))
        self._reconnect = asyncio.get_running_loop().call_later(delay, self._manager.connect)
