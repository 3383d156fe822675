"""The PostgreSQL pool skips asyncpg's per-release session reset, and stays safe without it.

bianmin keeps no session state (no session advisory locks, cursors, LISTEN or SET), so the reset
query asyncpg sends on every release is a wasted round trip. What must still hold: a connection
given back in the middle of a transaction is rolled back before anyone else gets it.
"""

from __future__ import annotations

import pytest

from server import storage


async def test_released_connections_skip_the_reset_query_but_never_carry_a_transaction(db):
    if not db.is_postgres:
        pytest.skip("the asyncpg pool exists on PostgreSQL only")
    pool = storage.db()._pool
    seen: list[str] = []
    async with pool.acquire() as conn:
        conn.add_query_logger(lambda record: seen.append(record.query))
        await conn.execute("SELECT 1")
    async with pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()  # left open on purpose: as if a handler died mid-transaction
        await conn.execute("CREATE TEMP TABLE IF NOT EXISTS leftover (n int)")
    # Every connection of the pool must be outside any transaction, and what the abandoned one
    # did must have been rolled back.
    for _ in range(pool.get_size()):
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT to_regclass('pg_temp.leftover')") is None
    assert not any("RESET ALL" in query for query in seen)
