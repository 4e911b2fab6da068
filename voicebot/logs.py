"""Structured logging on top of the standard library.

Log records carry fields, never personal data in the message text::

    log.info("originate finished", extra=fields(outcome="busy", cause=17))

and the call/candidate a task works for is bound once with :func:`bind`; every record logged
from that task (and the tasks it starts, which copy the context) carries those fields.
Output is ``key=value`` text for people or JSON lines for log shippers.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, Literal

_context: ContextVar[Mapping[str, object]] = ContextVar(
    "voicebot_log_context", default=MappingProxyType({})
)


def fields(**values: object) -> dict[str, Any]:
    """``extra=`` argument carrying structured fields for one record."""
    return {"fields": values}


@contextmanager
def bind(**values: object) -> Iterator[None]:
    """Attach fields (``call_id=…``, ``candidate_id=…``) to every record in this context."""
    token = _context.set({**_context.get(), **values})
    try:
        yield
    finally:
        _context.reset(token)


def bound() -> Mapping[str, object]:
    return _context.get()


def _record_fields(record: logging.LogRecord) -> dict[str, object]:
    merged: dict[str, object] = dict(getattr(record, "ctx", {}))
    merged.update(getattr(record, "fields", {}))
    return merged


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.ctx = dict(_context.get())
        return True


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = self.formatTime(record, "%H:%M:%S") + f".{int(record.msecs):03d}"
        parts = [ts, record.levelname.ljust(7), record.name, record.getMessage()]
        parts += [f"{k}={_text(v)}" for k, v in _record_fields(record).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, object] = {
            "ts": record.created,
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **_record_fields(record),
        }
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str, ensure_ascii=False)


def _text(value: object) -> str:
    s = str(value)
    return json.dumps(s, ensure_ascii=False) if (" " in s or not s) else s


def setup(level: str = "INFO", fmt: Literal["text", "json"] = "text") -> None:
    """Configure the root logger once (CLI entry points call this)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # panoramisk logs every reconnect attempt at ERROR/INFO; we log connection state ourselves
    logging.getLogger("panoramisk").setLevel(logging.CRITICAL)
