"""The baseline of bench/booking_contention.py (the minimal booking transaction through asyncpg) and the
check both sides must pass: no slot overbooked, no booking lost."""

from __future__ import annotations

import datetime as dt
import secrets
import time

import asyncpg

from bench.booking_runs import Run, drive

RAW_UPDATE = ("UPDATE booking_slots SET booked = booked + 1 WHERE id = $1 AND status = 'open' "
              "AND booked < capacity RETURNING hall_id, service_id, day, start_at")
RAW_INSERT = ("INSERT INTO bookings (code, account_id, hall_id, service_id, slot_id, day, slot_start, "
              "checkin_deadline, status, id_hash, created_at, updated_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked', $9, $10, $10) RETURNING id")


async def run_raw(database_url: str, work: list[tuple[int, int]], clients: int, account_id: int) -> Run:
    result = Run("raw asyncpg (UPDATE+INSERT)")

    async def keep_session(connection: asyncpg.Connection) -> None:
        """No reset query on release, as the server's pool (server/storage.py): the minimal transaction."""

    pool = await asyncpg.create_pool(database_url.replace("postgres://", "postgresql://", 1), min_size=40,
                                     max_size=40, reset=keep_session)

    async def one(index: int, slot: int, person: int) -> None:
        started = time.perf_counter()
        async with pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(RAW_UPDATE, slot)
            if row is not None:
                now = dt.datetime.now(dt.UTC)
                booking_id = await conn.fetchval(
                    RAW_INSERT, secrets.token_hex(4).upper(), account_id, row["hall_id"], row["service_id"], slot,
                    row["day"], row["start_at"], row["start_at"] + dt.timedelta(minutes=15),
                    f"raw-{person}", now)
        if row is None:
            result.record(started, "slot_full")
        else:
            result.record(started, "booked", booking_id)

    try:
        result.seconds = await drive(work, clients, one)
    finally:
        await pool.close()
    return result


async def check(database_url: str, run: Run, slots: list[int], clients: int) -> list[str]:
    """Zero overbooking and zero lost bookings for one side; returns the problems found."""
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            "SELECT s.id, s.capacity, s.booked, count(b.id) FILTER (WHERE b.status <> 'cancelled') AS held "
            "FROM booking_slots s LEFT JOIN bookings b ON b.slot_id = s.id WHERE s.id = ANY($1) GROUP BY s.id", slots)
        stored = {r["id"] for r in await conn.fetch("SELECT id FROM bookings WHERE slot_id = ANY($1)", slots)}
    finally:
        await conn.close()
    problems = [f"{run.name}: slot {r['id']} has {r['booked']}/{r['capacity']} seats, {r['held']} bookings"
                for r in rows if r["booked"] > r["capacity"] or r["booked"] != r["held"]]
    if run.percentiles is None and (set(run.booked_ids) != stored or run.bookings != len(stored)):
        problems.append(f"{run.name}: {run.bookings} answered booked, {len(stored)} stored")
    # wrk reports counts only, and drops the answers still in flight when its time is up.
    if run.percentiles is not None and not run.bookings <= len(stored) <= run.bookings + clients:
        problems.append(f"{run.name}: {run.bookings} answered booked, {len(stored)} stored")
    if run.outcomes.get("error"):
        problems.append(f"{run.name}: {run.outcomes['error']} server errors")
    return problems
