"""Repositories for profiles (snapshots), interviews (results + reports) and do-not-call."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

import aiosqlite

from voicebot.store.attempts import now_iso


def profile_id(yaml_text: str) -> str:
    return hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class InterviewRow:
    attempt_id: str
    profile_id: str
    candidate_id: int | None
    language: str
    outcome: str
    callback_at: str | None
    total_score: float | None
    recommendation: str | None
    knocked_out: bool
    report_version: str | None
    report: dict[str, Any] | None
    report_html: str | None
    created_at: str


class Profiles:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def save(self, yaml_text: str, name: str, language: str, source_path: str | None) -> str:
        """Store a profile snapshot (once per distinct text); returns its id."""
        pid = profile_id(yaml_text)
        await self._db.execute(
            "INSERT OR IGNORE INTO profiles (id, name, language, source_path, yaml, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (pid, name, language, source_path, yaml_text, now_iso()),
        )
        await self._db.commit()
        return pid

    async def yaml(self, pid: str) -> str | None:
        async with self._db.execute("SELECT yaml FROM profiles WHERE id=?", (pid,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None


class Interviews:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def save(
        self,
        attempt_id: uuid.UUID,
        *,
        profile_id: str,
        candidate_id: int | None,
        language: str,
        outcome: str,
        callback_at: str | None,
        total_score: float | None,
        recommendation: str | None,
        knocked_out: bool,
        report_version: str | None,
        report: dict[str, Any] | None,
        report_html: str | None,
    ) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO interviews (attempt_id, profile_id, candidate_id, language,"
            " outcome, callback_at, total_score, recommendation, knocked_out, report_version,"
            " report_json, report_html, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                str(attempt_id),
                profile_id,
                candidate_id,
                language,
                outcome,
                callback_at,
                total_score,
                recommendation,
                int(knocked_out),
                report_version,
                json.dumps(report, ensure_ascii=False) if report is not None else None,
                report_html,
                now_iso(),
            ),
        )
        await self._db.commit()

    async def get(self, attempt_id: uuid.UUID | str) -> InterviewRow | None:
        async with self._db.execute(
            "SELECT * FROM interviews WHERE attempt_id=?", (str(attempt_id),)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        data = dict(row)
        raw = data.pop("report_json")
        return InterviewRow(
            attempt_id=data["attempt_id"],
            profile_id=data["profile_id"],
            candidate_id=data["candidate_id"],
            language=data["language"],
            outcome=data["outcome"],
            callback_at=data["callback_at"],
            total_score=data["total_score"],
            recommendation=data["recommendation"],
            knocked_out=bool(data["knocked_out"]),
            report_version=data["report_version"],
            report=json.loads(raw) if raw else None,
            report_html=data["report_html"],
            created_at=data["created_at"],
        )


class DoNotCall:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def add(self, number: str, reason: str, attempt_id: uuid.UUID | None = None) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO do_not_call (number, reason, attempt_id, added_at)"
            " VALUES (?, ?, ?, ?)",
            (number, reason, str(attempt_id) if attempt_id else None, now_iso()),
        )
        await self._db.commit()

    async def contains(self, number: str) -> bool:
        async with self._db.execute("SELECT 1 FROM do_not_call WHERE number=?", (number,)) as cur:
            return await cur.fetchone() is not None

    async def remove(self, number: str) -> bool:
        cur = await self._db.execute("DELETE FROM do_not_call WHERE number=?", (number,))
        await self._db.commit()
        return cur.rowcount > 0
