"""Repository for call attempts."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class AttemptRow:
    id: str
    number: str
    candidate_id: int | None
    campaign_id: int | None
    state: str
    outcome: str | None
    reason: int | None
    cause: int | None
    cause_text: str | None
    ring_s: float | None
    created_at: str
    connected_at: str | None
    ended_at: str | None
    ended_by: str | None
    duration_s: float | None
    result: str | None
    result_data: dict[str, Any] | None
    recording: str | None
    recording_s: float | None
    error: str | None

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> AttemptRow:
        data = dict(row)
        raw = data.get("result_data")
        data["result_data"] = json.loads(raw) if raw else None
        return cls(**data)


class Attempts:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def create(
        self,
        attempt_id: uuid.UUID,
        number: str,
        candidate_id: int | None = None,
        campaign_id: int | None = None,
    ) -> None:
        await self._db.execute(
            "INSERT INTO attempts (id, number, candidate_id, campaign_id, state, created_at)"
            " VALUES (?, ?, ?, ?, 'dialing', ?)",
            (str(attempt_id), number, candidate_id, campaign_id, now_iso()),
        )
        await self._db.commit()

    async def dialed(
        self,
        attempt_id: uuid.UUID,
        *,
        outcome: str,
        reason: int | None,
        cause: int | None,
        cause_text: str,
        ring_s: float,
    ) -> None:
        """Record the dial outcome; a call that was not answered ends here."""
        answered = outcome == "answered"
        await self._db.execute(
            "UPDATE attempts SET outcome=?, reason=?, cause=?, cause_text=?, ring_s=?,"
            " state=?, ended_at=CASE WHEN ? THEN ended_at ELSE ? END WHERE id=?",
            (
                outcome,
                reason,
                cause,
                cause_text or None,
                ring_s,
                "dialing" if answered else "ended",
                answered,
                now_iso(),
                str(attempt_id),
            ),
        )
        await self._db.commit()

    async def connected(self, attempt_id: uuid.UUID, at: datetime) -> None:
        await self._db.execute(
            "UPDATE attempts SET state='connected', connected_at=? WHERE id=?",
            (at.isoformat(timespec="milliseconds"), str(attempt_id)),
        )
        await self._db.commit()

    async def ended(
        self,
        attempt_id: uuid.UUID,
        *,
        ended_at: datetime,
        ended_by: str,
        duration_s: float,
        result: str,
        result_data: dict[str, Any],
        recording: Path | None,
        recording_s: float | None,
    ) -> None:
        await self._db.execute(
            "UPDATE attempts SET state='ended', ended_at=?, ended_by=?, duration_s=?, result=?,"
            " result_data=?, recording=?, recording_s=? WHERE id=?",
            (
                ended_at.isoformat(timespec="milliseconds"),
                ended_by,
                duration_s,
                result,
                json.dumps(result_data, ensure_ascii=False, default=str),
                str(recording) if recording else None,
                recording_s,
                str(attempt_id),
            ),
        )
        await self._db.commit()

    async def failed(self, attempt_id: uuid.UUID, error: str, outcome: str = "failed") -> None:
        await self._db.execute(
            "UPDATE attempts SET state='ended', outcome=COALESCE(outcome, ?), error=?,"
            " ended_at=COALESCE(ended_at, ?) WHERE id=?",
            (outcome, error, now_iso(), str(attempt_id)),
        )
        await self._db.commit()

    async def get(self, attempt_id: uuid.UUID | str) -> AttemptRow | None:
        async with self._db.execute("SELECT * FROM attempts WHERE id=?", (str(attempt_id),)) as cur:
            row = await cur.fetchone()
        return AttemptRow.from_row(row) if row else None

    async def recent(self, limit: int = 50) -> list[AttemptRow]:
        async with self._db.execute(
            "SELECT * FROM attempts ORDER BY created_at DESC LIMIT ?", (limit,)
        ) as cur:
            rows = await cur.fetchall()
        return [AttemptRow.from_row(r) for r in rows]
