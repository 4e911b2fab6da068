import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from voicebot.errors import StoreError
from voicebot.store.db import Store, migrations


def test_migrations_are_numbered_in_order() -> None:
    found = migrations()
    assert [v for v, _, _ in found] == list(range(1, len(found) + 1))


async def test_attempt_life_cycle(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "v.db")
    try:
        a = uuid.uuid4()
        await store.attempts.create(a, "cand1", candidate_id=7)
        row = await store.attempts.get(a)
        assert row is not None
        assert row.state == "dialing"
        await store.attempts.dialed(
            a, outcome="answered", reason=4, cause=None, cause_text="", ring_s=0.3
        )
        await store.attempts.connected(a, datetime.now(UTC))
        await store.attempts.ended(
            a,
            ended_at=datetime.now(UTC),
            ended_by="bot",
            duration_s=12.5,
            result="completed",
            result_data={"answer_s": 4.2, "text": "你好"},
            recording=Path("recordings/x.wav"),
            recording_s=12.5,
        )
        row = await store.attempts.get(a)
        assert row is not None
        assert (row.state, row.outcome, row.result, row.candidate_id) == (
            "ended",
            "answered",
            "completed",
            7,
        )
        assert row.result_data == {"answer_s": 4.2, "text": "你好"}
        assert row.recording == "recordings/x.wav"

        b = uuid.uuid4()
        await store.attempts.create(b, "cand2")
        await store.attempts.dialed(
            b, outcome="busy", reason=0, cause=17, cause_text="User busy", ring_s=0.01
        )
        row = await store.attempts.get(b)
        assert row is not None
        assert (row.state, row.outcome, row.cause) == ("ended", "busy", 17)
        assert row.ended_at is not None
        assert [r.id for r in await store.attempts.recent()] == [str(b), str(a)]
    finally:
        await store.close()


async def test_reopen_keeps_data_and_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    store = await Store.open(path)
    await store.attempts.create(uuid.uuid4(), "cand1")
    await store.close()
    store = await Store.open(path)  # no migration runs twice
    assert len(await store.attempts.recent()) == 1
    await store.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=999")
    with pytest.raises(StoreError, match="newer than this voicebot"):
        await Store.open(path)


async def test_interview_profile_and_do_not_call(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "v.db")
    try:
        a = uuid.uuid4()
        await store.attempts.create(a, "13800000000", candidate_id=3)
        pid = await store.profiles.save("name: x\n", "ACME / agent", "zh", "examples/x.yaml")
        assert pid == await store.profiles.save("name: x\n", "ACME / agent", "zh", None)  # once
        assert await store.profiles.yaml(pid) == "name: x\n"
        await store.interviews.save(
            a,
            profile_id=pid,
            candidate_id=3,
            language="zh",
            outcome="completed",
            callback_at=None,
            total_score=72.5,
            recommendation="review",
            knocked_out=False,
            report_version="1",
            report={"total": 72.5, "备注": "好"},
            report_html="<html></html>",
        )
        row = await store.interviews.get(a)
        assert row is not None
        assert (row.outcome, row.total_score, row.recommendation) == ("completed", 72.5, "review")
        assert row.report == {"total": 72.5, "备注": "好"}

        assert not await store.do_not_call.contains("13800000000")
        await store.do_not_call.add("13800000000", "opted_out", a)
        await store.do_not_call.add("13800000000", "opted_out", a)  # idempotent
        assert await store.do_not_call.contains("13800000000")
        assert await store.do_not_call.remove("13800000000")
        assert not await store.do_not_call.contains("13800000000")
    finally:
        await store.close()
