"""The embedded SQLite file shared with another process (`bianmin seed-demo`, an import) never fails
with "database is locked": transactions take the write lock first and wait for it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from server import clock, storage
from server.tables import User


async def test_a_transaction_that_reads_first_and_another_process_writer_both_succeed(db):
    if db.is_postgres:
        pytest.skip("SQLite's file locking")
    path = db.settings.database_url[len("sqlite://"):]
    failures: list[Exception] = []
    done = threading.Event()

    def another_process_writes() -> None:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        try:
            conn.execute("INSERT INTO change_stamps (name, version, changed_at) VALUES ('elsewhere', 1, '2026-12-07')")
        except sqlite3.Error as exc:
            failures.append(exc)
        finally:
            conn.close()
            done.set()

    now = clock.now()
    async with storage.transaction() as conn:
        await conn.execute_query("SELECT count(*) FROM users")
        writer = threading.Thread(target=another_process_writes)
        writer.start()
        # Unlocked, the other writer commits now and this transaction's write below is refused;
        # locked, the other writer waits for this commit.
        await asyncio.to_thread(done.wait, 0.5)
        await User.create(role="resident", openid="o-lock", created_at=now, updated_at=now, using_db=conn)
    await asyncio.to_thread(writer.join)
    assert failures == []
    assert await User.filter(openid="o-lock").exists()
    rows = await storage.db().execute_query_dict("SELECT version FROM change_stamps WHERE name = 'elsewhere'")
    assert rows == [{"version": 1}]


async def test_the_embedded_database_waits_for_locks_and_uses_wal(db):
    if db.is_postgres:
        pytest.skip("SQLite's settings")
    rows = await storage.db().execute_query_dict("PRAGMA busy_timeout")
    assert list(rows[0].values()) == [storage.SQLITE_BUSY_TIMEOUT_MS]
    rows = await storage.db().execute_query_dict("PRAGMA journal_mode")
    assert list(rows[0].values()) == ["wal"]
