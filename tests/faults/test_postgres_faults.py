"""PostgreSQL connections killed (``pg_terminate_backend``) under parallel bookings: no overbooking, no
booking lost or made twice, a 503 (never a 500) for a request whose connection died, and the pool
recovers by itself. Only this run's own database's backends are terminated."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections import Counter

import asyncpg
import pytest

from server import storage
from tests.conftest import PG_ADMIN_URL
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    WEEKDAYS,
    WITH_LUNCH,
    freeze,
    local,
    make_hall,
    slot_at,
)
from tests.support.ids import make_id_number

SEATS, PEOPLE, ACCOUNTS = 12, 60, 20
KILL_ROUNDS = 8


@pytest.fixture
def postgres(db):
    if not db.is_postgres:
        pytest.skip("terminating backends is a PostgreSQL fault")
    freeze(MONDAY_10)
    return db


def database_name(db) -> str:
    return db.settings.database_url.rsplit("/", 1)[1].split("?")[0]


async def terminate_backends(database: str, *, rounds: int) -> int:
    """Kill every other backend of `database`, `rounds` times a few tens of milliseconds apart (a failover,
    an administrator, an idle-session killer); returns how many died."""
    admin = await asyncpg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://", 1))
    killed = 0
    try:
        for _ in range(rounds):
            await asyncio.sleep(random.uniform(0.02, 0.08))
            killed += await admin.fetchval(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()", database)
    finally:
        await admin.close()
    return killed


async def book_until_answered(client, world, slot_id: int, n: int, headers: dict, seen: Counter) -> tuple[int, dict]:
    """What a mini-program does: retry a 5xx with the same Idempotency-Key until there is an answer."""
    body = {"slot_id": slot_id, "service_id": world.service_id, "name": "李娜", "phone": "13700137000",
            "id_number": make_id_number(seq=n, birth=dt.date(1985, 6, 1))}
    for _ in range(50):
        response = await asyncio.wait_for(client.post("/api/v1/bookings", json=body,
                                                      headers={**headers, "Idempotency-Key": f"faults-{n}"}), 30)
        seen[response.status_code] += 1
        if response.status_code < 500:
            return response.status_code, response.json()
        await asyncio.sleep(0.05)
    raise AssertionError(f"person {n} never got an answer")


async def test_killed_connections_during_parallel_bookings_lose_and_double_nothing(client, postgres):
    world = await make_hall(schedule={"periods": {d: WITH_LUNCH for d in WEEKDAYS}, "slot_minutes": 60,
                                      "capacity": SEATS},
                            rules={"max_account_bookings_per_day": 100, "max_persons_per_account_month": 100})
    slot_id = await slot_at(world, local(3, 10, 9))
    accounts = [await client.login_dev() for _ in range(ACCOUNTS)]
    seen = Counter()
    killer = asyncio.create_task(terminate_backends(database_name(postgres), rounds=KILL_ROUNDS))
    answers = await asyncio.gather(*(book_until_answered(client, world, slot_id, n, accounts[n % ACCOUNTS], seen)
                                     for n in range(PEOPLE)), return_exceptions=True)
    killed = await killer
    errors = [a for a in answers if isinstance(a, BaseException)]
    assert not errors, errors[:3]
    assert killed > 0, "the fault was injected"
    assert seen[500] == 0, "a dead connection is a 503 to retry, never a 500"
    outcomes = Counter((status, body.get("error", {}).get("code")) for status, body in answers)
    assert outcomes == {(201, None): SEATS, (409, "slot_full"): PEOPLE - SEATS}
    booked = {body["id"] for status, body in answers if status == 201}
    # What the database holds, read on a connection of its own (the pool is what the next lines examine).
    check = await asyncpg.connect(postgres.settings.database_url.split("?")[0].replace("postgres://", "postgresql://", 1))
    try:
        rows = await check.fetch("SELECT id FROM bookings WHERE slot_id = $1", slot_id)
        seats_taken = await check.fetchval("SELECT booked FROM booking_slots WHERE id = $1", slot_id)
    finally:
        await check.close()
    assert booked == {row["id"] for row in rows}
    assert seats_taken == SEATS

    # The pool recovered by itself: no connection was left checked out by a request that failed, and
    # more requests at once than the pool has connections all work.
    pool = storage.db()._pool
    assert pool.get_size() - pool.get_idle_size() == 0, "connections leaked by failed requests"
    mine = [await client.get("/api/v1/bookings", headers=accounts[n % ACCOUNTS]) for n in range(3)]
    assert [r.status_code for r in mine] == [200] * 3
    responses = await asyncio.gather(*(client.get("/api/v1/bookings", headers=accounts[n % ACCOUNTS])
                                       for n in range(40)))
    assert [r.status_code for r in responses] == [200] * 40
