"""Queries of hall booking, including the few statements that make it safe under concurrency.

Seat taking, the per-person lock and ticket numbers are single SQL statements whose atomicity
the database guarantees on PostgreSQL (row locks, re-checked WHERE clauses) and on SQLite
(which serialises transactions): nothing here reads a value and writes it back later.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.models import Model

from appointments import errors
from appointments.tables import (
    Booking,
    BookingAccount,
    BookingPerson,
    Hall,
    ServiceItem,
    SharedIdRefusal,
    Slot,
    TicketCounter,
)
from server import storage

M = TypeVar("M", bound=Model)


async def sql(conn: BaseDBAsyncClient, statement: str, values: Sequence[Any]) -> list[dict[str, Any]]:
    """Run one statement written with $1.. placeholders on either database (see :func:`server.storage.sql`)."""
    return await storage.sql(statement, values, conn=conn)


async def insert_booking(conn: BaseDBAsyncClient, values: dict[str, Any]) -> int:
    """INSERT one booking, returning its id (a hand-written statement: the ORM's costs more than the trip)."""
    columns = list(values)
    marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    statement = f"INSERT INTO {Booking._meta.db_table} ({', '.join(columns)}) VALUES ({marks}) RETURNING id"
    rows = await sql(conn, statement, [values[column] for column in columns])
    return int(rows[0]["id"])


async def hall_or_404(hall_id: int, *, using_db: BaseDBAsyncClient | None = None) -> Hall:
    """The hall, or 404 hall_not_found."""
    hall = await Hall.get_or_none(id=hall_id).using_db(using_db)
    if hall is None:
        raise errors.HallNotFound(details={"hall_id": hall_id})
    return hall


async def service_or_404(service_id: int, *, hall_id: int | None = None) -> ServiceItem:
    """The service item (of `hall_id` when given), or 404 service_not_found."""
    query = ServiceItem.filter(id=service_id)
    if hall_id is not None:
        query = query.filter(hall_id=hall_id)
    service = await query.select_related("hall").first()
    if service is None:
        raise errors.ServiceNotFound(details={"service_id": service_id})
    return service


def _columns(model: type[Model], alias: str) -> str:
    return ", ".join(f'{alias}."{column}" AS "{alias}_{column}"' for column in sorted(model._meta.db_fields))


def _part(model: type[M], row: dict[str, Any], alias: str) -> M:
    prefix = f"{alias}_"
    return model._init_from_db(**{k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)})


@functools.cache
def _slot_with_hall() -> str:
    # The booking path's first read, written once: Tortoise builds a select_related query anew
    # on every call, which costs more than the round trip. Built on first use, after Tortoise
    # has added the foreign keys' columns to the models.
    return (f"SELECT {_columns(Slot, 's')}, {_columns(Hall, 'h')}, {_columns(ServiceItem, 'v')} "
            f"FROM {Slot._meta.db_table} s JOIN {Hall._meta.db_table} h ON h.id = s.hall_id "
            f"JOIN {ServiceItem._meta.db_table} v ON v.id = s.service_id WHERE s.id = $1")


async def slot_or_404(slot_id: int, *, using_db: BaseDBAsyncClient | None = None) -> Slot:
    """The slot with its hall and service item, or 404 slot_not_found."""
    rows = await sql(using_db or storage.db(), _slot_with_hall(), [slot_id])
    if not rows:
        raise errors.SlotNotFound(details={"slot_id": slot_id})
    slot = _part(Slot, rows[0], "s")
    # What select_related would have done: the related rows cached on the instance.
    object.__setattr__(slot, "_hall", _part(Hall, rows[0], "h"))
    object.__setattr__(slot, "_service", _part(ServiceItem, rows[0], "v"))
    return slot


async def booking_or_404(booking_id: int, *, using_db: BaseDBAsyncClient | None = None) -> Booking:
    """The booking with its hall, service item and slot, or 404 booking_not_found."""
    booking = await (Booking.filter(id=booking_id).select_related("hall", "service", "slot")
                     .using_db(using_db).first())
    if booking is None:
        raise errors.BookingNotFound(details={"booking_id": booking_id})
    return booking


_LOCK_ACCOUNT = (f"INSERT INTO {BookingAccount._meta.db_table} (account_id, attempts) VALUES ($1, 0) "
                 f"ON CONFLICT (account_id) DO UPDATE SET attempts = {BookingAccount._meta.db_table}.attempts + 1")
_LOCK_PERSON = (f"INSERT INTO {BookingPerson._meta.db_table} (id_hash, attempts) VALUES ($1, 0) "
                f"ON CONFLICT (id_hash) DO UPDATE SET attempts = {BookingPerson._meta.db_table}.attempts + 1")
# One round trip on PostgreSQL: the person's upsert reads its row from the account's RETURNING, so
# the account's row is always locked first (a fixed order: two bookings never wait on each other).
_LOCK_BOTH = (f"WITH account AS ({_LOCK_ACCOUNT} RETURNING account_id) "
              f"INSERT INTO {BookingPerson._meta.db_table} (id_hash, attempts) SELECT $2::varchar, 0 FROM account "
              f"ON CONFLICT (id_hash) DO UPDATE SET attempts = {BookingPerson._meta.db_table}.attempts + 1")


async def drop_person_locks(conn: BaseDBAsyncClient, id_hashes: Sequence[str]) -> None:
    """Delete the lock rows of these people when no booking holds their hash any more.

    Safe beside a booking in flight: the DELETE waits for its row lock, and a later booking for
    the person creates the row again with its upsert.
    """
    if id_hashes:
        persons, bookings = BookingPerson._meta.db_table, Booking._meta.db_table
        marks = ", ".join(f"${n}" for n in range(1, len(id_hashes) + 1))
        await sql(conn, f"DELETE FROM {persons} WHERE id_hash IN ({marks}) AND NOT EXISTS "
                        f"(SELECT 1 FROM {bookings} b WHERE b.id_hash = {persons}.id_hash)", list(id_hashes))


async def upsert_refusal(*, hall_id: int, id_hash: str, month: dt.date, account_id: int, id_masked: str,
                         now: dt.datetime) -> None:
    """Record one more too_many_accounts refusal of the person for the account (a race-free upsert)."""
    table = SharedIdRefusal._meta.db_table
    await sql(storage.db(), f"INSERT INTO {table} (hall_id, id_hash, month, account_id, id_masked, attempts, first_at, "
                            "last_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) "
                            "ON CONFLICT (hall_id, id_hash, month, account_id) "
                            f"DO UPDATE SET attempts = {table}.attempts + 1, last_at = excluded.last_at",
              [hall_id, id_hash, month, account_id, id_masked, now])


async def lock_booker(conn: BaseDBAsyncClient, *, account_id: int, id_hash: str) -> None:
    """Serialise the bookings of one account and of one person: hold both rows' locks until commit.

    The person's row serialises the per-身份证 rules (quotas, the block, accounts per 身份证),
    the account's row the per-account ones (people per account, bookings per hall and day).
    An upsert that always updates takes the row lock in one statement, even for a new row.
    """
    if conn.capabilities.dialect == "sqlite":  # no data-modifying WITH; SQLite serialises transactions anyway
        await sql(conn, _LOCK_ACCOUNT, [account_id])
        await sql(conn, _LOCK_PERSON, [id_hash])
        return
    await sql(conn, _LOCK_BOTH, [account_id, id_hash])


_TAKE_SEAT = (f"UPDATE {Slot._meta.db_table} SET booked = booked + 1 "
              "WHERE id = $1 AND status = 'open' AND booked < capacity RETURNING id")


async def take_seat(conn: BaseDBAsyncClient, slot_id: int) -> bool:
    """Take one seat if the slot is open and not full (one conditional UPDATE)."""
    return bool(await sql(conn, _TAKE_SEAT, [slot_id]))


async def take_seat_and_insert(conn: BaseDBAsyncClient, slot_id: int, values: dict[str, Any]) -> int | None:
    """Take one seat and insert the booking (columns ``values``): its id, or None when no seat was free.

    On PostgreSQL one statement: the INSERT reads from the conditional UPDATE's RETURNING, so it
    inserts only when the seat was taken (a round trip less on the hottest path). SQLite has no
    data-modifying WITH: two statements in the caller's transaction, which SQLite serialises.
    """
    if conn.capabilities.dialect == "sqlite":
        return await insert_booking(conn, values) if await take_seat(conn, slot_id) else None
    columns = tuple(values)
    rows = await sql(conn, _seat_then_booking(columns), [slot_id, *(values[column] for column in columns)])
    return int(rows[0]["id"]) if rows else None


@functools.cache
def _seat_then_booking(columns: tuple[str, ...]) -> str:
    # Parameters in a SELECT list have no type of their own: cast each to its column's type, without
    # a length (a cast to VARCHAR(8) would truncate silently where the column refuses).
    fields = Booking._meta.fields_map
    casts = ", ".join(f"${n}::{fields[column].get_for_dialect('postgres', 'SQL_TYPE').split('(')[0]}"
                      for n, column in enumerate(columns, start=2))
    return (f"WITH seat AS ({_TAKE_SEAT}) INSERT INTO {Booking._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {casts} FROM seat RETURNING id")


async def free_seats(conn: BaseDBAsyncClient, slot_id: int, count: int = 1) -> None:
    """Give back seats of cancelled or moved bookings."""
    if count:
        await Slot.filter(id=slot_id, booked__gte=count).using_db(conn).update(booked=F("booked") - count)


async def lock_slots(conn: BaseDBAsyncClient, slot_ids: Sequence[int]) -> list[Slot]:
    """Lock slots in id order (a fixed order, so two transactions never wait on each other)."""
    return await (Slot.filter(id__in=sorted(set(slot_ids))).order_by("id")
                  .select_for_update().using_db(conn))


async def next_ticket_number(conn: BaseDBAsyncClient, *, hall_id: int, day: dt.date, kind: str) -> int:
    """The next ticket number of a hall, day and kind; the row lock keeps numbers gapless."""
    table = TicketCounter._meta.db_table
    rows = await sql(conn, f"INSERT INTO {table} (hall_id, day, kind, last_number) VALUES ($1, $2, $3, 1) "
                           f"ON CONFLICT (hall_id, day, kind) DO UPDATE SET last_number = "
                           f"{table}.last_number + 1 RETURNING last_number", [hall_id, day, kind])
    return int(rows[0]["last_number"])


@dataclass(frozen=True)
class PastBooking:
    """What the booking rules need to know about one booking of the person or of the account."""

    id: int
    account_id: int
    id_hash: str | None
    hall_id: int
    day: dt.date
    status: str
    slot_start: dt.datetime
    checkin_deadline: dt.datetime


_HISTORY_COLUMNS = "id, account_id, id_hash, hall_id, day, status, slot_start, checkin_deadline"


@functools.cache
def _history(hashes: int) -> str:
    marks = ", ".join(f"${n}" for n in range(1, hashes + 1))
    table = Booking._meta.db_table
    # Two index scans, (id_hash, day) and (account_id, ...); a booking in both comes back twice.
    return (f"SELECT {_HISTORY_COLUMNS} FROM {table} WHERE id_hash IN ({marks}) AND day >= ${hashes + 1} "
            f"UNION ALL SELECT {_HISTORY_COLUMNS} FROM {table} WHERE account_id = ${hashes + 2} AND day >= ${hashes + 3}")


async def booking_history(conn: BaseDBAsyncClient, *, id_hashes: Sequence[str], since: dt.date, account_id: int,
                          account_since: dt.date) -> list[PastBooking]:
    """The person's bookings on or after `since` and the account's on or after `account_since`, in one query.

    ``id_hashes``: the person's lookup hash under every PII key in use (one, except while
    ``bianmin rotate-pii-key`` has not finished re-hashing older bookings).
    """
    fields = Booking._meta.fields_map
    day, start, deadline = fields["day"], fields["slot_start"], fields["checkin_deadline"]
    rows = await sql(conn, _history(len(id_hashes)), [*id_hashes, since, account_id, account_since])
    unique = {row["id"]: row for row in rows}.values()
    return [PastBooking(id=row["id"], account_id=row["account_id"], id_hash=row["id_hash"], hall_id=row["hall_id"],
                        day=day.to_python_value(row["day"]), status=row["status"],
                        slot_start=start.to_python_value(row["slot_start"]),
                        checkin_deadline=deadline.to_python_value(row["checkin_deadline"]))
            for row in unique]
