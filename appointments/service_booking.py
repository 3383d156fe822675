"""Booking a seat (预约): validation, quotas, the no-show block, the seat, and idempotent retries.

Under concurrency on PostgreSQL: the seat is one conditional UPDATE (booked < capacity, open)
in the same transaction as the booking INSERT; the rules are checked while holding the locks on
the account's booking_accounts row and the person's booking_persons row (in that order); an
Idempotency-Key is unique per account, so a retry that races the original finds the original's
booking after the lock (or after the conflict).
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from appointments import (
    errors,
    full_slots,
    notices,
    present,
    repository,
    service_calendar,
    service_shared_ids,
)
from appointments.model import booking_window, checkin_deadline, new_booking_code
from appointments.present import CONTEXTS
from appointments.service_halls import rules_of, today_at, zone_of
from appointments.service_quotas import check_booking
from appointments.tables import Booking, Hall, Slot
from server import clock, pii, pii_vault, storage

CODE_ATTEMPTS = 3


@dataclass(frozen=True)
class Person:
    """The person the booking is for, validated and normalised."""

    name: str
    id_number: str
    phone: str

    @property
    def id_hashes(self) -> list[str]:
        """The lookup hash under every known PII key, current first: new bookings store and lock on the
        first, quotas count bookings under any (older ones during a key rotation)."""
        return pii_vault.vault().lookup_hashes(self.id_number, kind="id_number")


def parse_person(*, name: str, id_number: str, phone: str) -> Person:
    """Validate 身份证 and phone (422 invalid_id_number / invalid_phone) and normalise them."""
    try:
        normal_id = pii.normalize_id_number(id_number, today=clock.today())
    except pii.PiiFormatError as error:
        raise errors.from_pii(error, field="id_number") from None
    try:
        normal_phone = pii.normalize_phone(phone)
    except pii.PiiFormatError as error:
        raise errors.from_pii(error, field="phone") from None
    return Person(name=name.strip(), id_number=normal_id, phone=normal_phone)


async def book(*, account_id: int, slot_id: int, service_id: int, person: Person,
               idempotency_key: str | None = None, enforce_window: bool = True) -> dict[str, Any]:
    """POST /bookings: take a seat for `person`; a retried Idempotency-Key returns the same booking."""
    id_hashes = person.id_hashes
    if idempotency_key:
        replay = await _replay(account_id, idempotency_key, id_hashes=id_hashes, service_id=service_id)
        if replay is not None:
            return replay
    slot = await _bookable_slot(slot_id, service_id=service_id, enforce_window=enforce_window)
    for _attempt in range(CODE_ATTEMPTS):
        try:
            booking = await _book_in_transaction(slot, person=person, id_hashes=id_hashes, account_id=account_id,
                                                 idempotency_key=idempotency_key)
        except IntegrityError:
            # The same key committed by a concurrent request, or (rarely) a booking code collision.
            replay = idempotency_key and await _replay(account_id, idempotency_key, id_hashes=id_hashes,
                                                       service_id=service_id)
            if replay:
                return replay
            continue
        except errors.TooManyAccounts:
            await service_shared_ids.record_refusal(hall_id=slot.hall_id, person=person.id_number, id_hash=id_hashes[0],
                                                    account_id=account_id, day=slot.day)
            raise
        return await _view(booking, slot, id_hashes=id_hashes)
    raise IntegrityError("could not allocate a unique booking code")


async def _bookable_slot(slot_id: int, *, service_id: int, enforce_window: bool) -> Slot:
    if full_slots.is_full(slot_id, service_id):
        raise errors.SlotFull(details={"slot_id": slot_id})
    slot = await repository.slot_or_404(slot_id)
    if slot.service_id != service_id:
        raise errors.ServiceMismatch(details={"slot_id": slot_id, "service_id": service_id})
    if enforce_window:
        await check_window(slot.hall, slot.day, start=slot.start_at)
    # Fast refusals from what was just read; the conditional UPDATE is what guarantees.
    if slot.status != "open" or not slot.hall.is_active or not slot.service.is_active:
        raise errors.SlotClosed(details={"slot_id": slot.id})
    if slot.booked >= slot.capacity:
        full_slots.seen_full(slot.id, slot.service_id)
        raise errors.SlotFull(details={"slot_id": slot.id})
    return slot


async def _view(booking: Booking, slot: Slot, *, id_hashes: list[str]) -> dict[str, Any]:
    if booking.id_hash not in id_hashes or booking.service_id != slot.service_id:
        raise errors.IdempotencyKeyReused(details={"booking_id": booking.id})
    if booking.slot_id != slot.id:  # an earlier request's booking, moved since
        return present.booking(await repository.booking_or_404(booking.id))
    booking.hall, booking.service, booking.slot = slot.hall, slot.service, slot
    return present.booking(booking)


async def check_window(hall: Hall, day: dt.date, *, start: dt.datetime) -> None:
    """409 outside_booking_window unless `day` is in the window; 409 slot_started once `start` has passed."""
    today = today_at(hall)
    calendar = await service_calendar.working_calendar(today, today + dt.timedelta(days=60))
    first, last = booking_window(today=today, calendar=calendar, rules=rules_of(hall))
    if not first <= day <= last:
        raise errors.OutsideBookingWindow(details={"first": first.isoformat(), "last": last.isoformat()})
    if start <= clock.now():  # same-day booking (book_from_days=0): today's earlier slots
        raise errors.SlotStarted(details={"start": start.astimezone(zone_of(hall)).isoformat()})


async def _replay(account_id: int, key: str, *, id_hashes: list[str], service_id: int) -> dict[str, Any] | None:
    existing = await Booking.filter(account_id=account_id, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.id_hash not in id_hashes or existing.service_id != service_id:
        raise errors.IdempotencyKeyReused(details={"booking_id": existing.id})
    return present.booking(await repository.booking_or_404(existing.id))


async def _book_in_transaction(slot: Slot, *, person: Person, id_hashes: list[str], account_id: int,
                               idempotency_key: str | None) -> Booking:
    hall, rules, now = slot.hall, rules_of(slot.hall), clock.now()
    id_hash = id_hashes[0]
    async with storage.transaction() as conn:
        await repository.lock_booker(conn, account_id=account_id, id_hash=id_hash)
        if idempotency_key:
            earlier = await Booking.filter(account_id=account_id, idempotency_key=idempotency_key)\
                .using_db(conn).first()
            if earlier is not None:
                return earlier  # the original committed while we waited for the person's lock
        await check_booking(conn, id_hashes=id_hashes, account_id=account_id, hall_id=hall.id, day=slot.day,
                            rules=rules, now=now, zone=zone_of(hall))
        values = dict(code=new_booking_code(), account_id=account_id, hall_id=hall.id, service_id=slot.service_id,
                      slot_id=slot.id, day=slot.day, slot_start=slot.start_at,
                      checkin_deadline=checkin_deadline(slot.start_at, rules), status="booked",
                      **encrypt_person(person), id_hash=id_hash, idempotency_key=idempotency_key,
                      created_at=now, updated_at=now)
        booking_id = await repository.take_seat_and_insert(conn, slot.id, values)
        if booking_id is None:
            await refuse_seat(conn, slot.id, service_id=slot.service_id)
        booking = Booking(id=booking_id, **values)
        await notices.confirmed(booking, hall=hall, service=slot.service, conn=conn)
    return booking


def encrypt_person(person: Person) -> dict[str, str]:
    """The encrypted columns of a booking's person."""
    vault = pii_vault.vault()
    return {"name_enc": vault.encrypt(person.name, context=CONTEXTS["name"]),
            "id_number_enc": vault.encrypt(person.id_number, context=CONTEXTS["id_number"]),
            "phone_enc": vault.encrypt(person.phone, context=CONTEXTS["phone"])}


async def take_seat_or_fail(conn: BaseDBAsyncClient, slot_id: int) -> None:
    """Take one seat, or 409 slot_closed / slot_full."""
    if not await repository.take_seat(conn, slot_id):
        await refuse_seat(conn, slot_id)


async def refuse_seat(conn: BaseDBAsyncClient, slot_id: int, *, service_id: int | None = None) -> typing.NoReturn:
    """409 slot_closed or slot_full, for a seat the conditional UPDATE did not get."""
    status = await Slot.filter(id=slot_id).using_db(conn).values_list("status", flat=True)
    if status and status[0] != "open":
        raise errors.SlotClosed(details={"slot_id": slot_id})
    if service_id is not None:
        full_slots.seen_full(slot_id, service_id)
    raise errors.SlotFull(details={"slot_id": slot_id})
