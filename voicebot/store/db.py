"""The SQLite store: the only place with SQL. One aiosqlite connection (its own thread).

Schema changes are numbered SQL files in ``migrations/`` applied in order at open; the
applied version is SQLite's ``user_version``. A database newer than this code is refused.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

import aiosqlite

from voicebot.errors import StoreError
from voicebot.logs import fields
from voicebot.store.attempts import Attempts
from voicebot.store.interviews import DoNotCall, Interviews, Profiles

log = logging.getLogger(__name__)

_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("voicebot.store").joinpath("migrations").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text()))
    found.sort()
    for expected, (version, name, _) in enumerate(found, start=1):
        if version != expected:
            raise StoreError(f"migration {name}: expected number {expected:03d}")
    return found


class Store:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self.attempts = Attempts(db)
        self.profiles = Profiles(db)
        self.interviews = Interviews(db)
        self.do_not_call = DoNotCall(db)

    @classmethod
    async def open(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = await aiosqlite.connect(path)
        except Exception as exc:
            raise StoreError(f"cannot open the store {path}: {exc}") from exc
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=5000")
        store = cls(db, path)
        try:
            await store._migrate()
        except BaseException:
            await db.close()
            raise
        return store

    async def _migrate(self) -> None:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = int(row[0]) if row else 0
        available = migrations()
        latest = available[-1][0] if available else 0
        if current > latest:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this voicebot "
                f"(knows up to {latest}); upgrade voicebot"
            )
        for version, name, sql in available:
            if version <= current:
                continue
            try:
                await self._db.executescript(
                    f"BEGIN;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;"
                )
            except Exception as exc:
                await self._db.rollback()
                raise StoreError(f"migration {name} failed: {exc}") from exc
            log.info("store migrated", extra=fields(version=version, migration=name))

    @property
    def version(self) -> int:
        return migrations()[-1][0]

    async def close(self) -> None:
        await self._db.close()
