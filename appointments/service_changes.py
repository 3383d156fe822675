"""A resident's own bookings: list, read, cancel and reschedule (改约)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from appointments import errors, full_slots, notices, present, repository
from appointments.model import can_cancel, checkin_deadline
from appointments.service_booking import check_window, take_seat_or_fail
from appointments.service_halls import rules_of, zone_of
from appointments.service_quotas import check_booking
from appointments.tables import BOOKING_STATUSES, Booking, Rating, Ticket
from server import clock, storage
from server.auth import CurrentUser


async def list_mine(user_id: int, *, statuses: list[str] | None = None) -> list[dict[str, Any]]:
    """GET /bookings: the account's bookings, latest slot first, optionally by status."""
    query = Booking.filter(account_id=user_id)
    if statuses:
        query = query.filter(status__in=[s for s in statuses if s in BOOKING_STATUSES])
    rows = await query.select_related("hall", "service", "slot").order_by("-slot_start", "-id").limit(200)
    return await shown(rows)


async def shown(rows: list[Booking]) -> list[dict[str, Any]]:
    """Booking views with their queue tickets and ratings, in two extra queries."""
    ids = [r.id for r in rows]
    tickets = {t.booking_id: t for t in await Ticket.filter(booking_id__in=ids)}
    ratings = {r.booking_id: r for r in await Rating.filter(booking_id__in=ids)}
    return [present.booking(row, ticket_row=tickets.get(row.id), rating_row=ratings.get(row.id)) for row in rows]


async def visible_booking(booking_id: int, user: CurrentUser) -> Booking:
    """The booking if `user` made it or serves its hall; otherwise 404 (its existence stays hidden)."""
    booking = await repository.booking_or_404(booking_id)
    if booking.account_id != user.id and not (user.role in ("staff", "admin") and user.can_serve(booking.hall_id)):
        raise errors.BookingNotFound(details={"booking_id": booking_id})
    return booking


async def get_booking(booking_id: int, user: CurrentUser) -> dict[str, Any]:
    """GET /bookings/{id}: for its owner or the hall's staff."""
    booking = await visible_booking(booking_id, user)
    return (await shown([booking]))[0]


async def own_booking(booking_id: int, user_id: int) -> Booking:
    """The account's own booking, or 404."""
    booking = await repository.booking_or_404(booking_id)
    if booking.account_id != user_id:
        raise errors.BookingNotFound(details={"booking_id": booking_id})
    return booking


def _check_changeable(booking: Booking) -> None:
    if booking.status != "booked":
        raise errors.BookingNotActive(details={"status": booking.status})
    rules = rules_of(booking.hall)
    if not can_cancel(now=clock.now(), slot_start=booking.slot_start, rules=rules):
        raise errors.CancellationClosed(details={"minutes_before": rules.cancel_before_minutes})


async def cancel(booking_id: int, *, user_id: int, reason: str) -> dict[str, Any]:
    """POST /bookings/{id}/cancel: until the hall's deadline (1 hour before by default); idempotent."""
    booking = await own_booking(booking_id, user_id)
    if booking.status == "cancelled":
        return present.booking(booking)
    _check_changeable(booking)
    now = clock.now()
    async with storage.transaction() as conn:
        await repository.lock_slots(conn, [booking.slot_id])
        changed = await Booking.filter(id=booking.id, status="booked").using_db(conn).update(
            status="cancelled", cancelled_at=now, cancelled_by="resident", cancel_reason=reason[:200],
            updated_at=now)
        if not changed:
            raise errors.BookingNotActive()
        await repository.free_seats(conn, booking.slot_id)
        await notices.withdrawn(booking.id, conn=conn)
    full_slots.seats_changed(booking.slot_id)
    return present.booking(await repository.booking_or_404(booking.id))


async def reschedule(booking_id: int, *, user_id: int, slot_id: int) -> dict[str, Any]:
    """POST /bookings/{id}/reschedule: the new seat is taken before the old one is freed, atomically."""
    booking = await own_booking(booking_id, user_id)
    if booking.slot_id == slot_id and booking.status == "booked":
        return present.booking(booking)  # a retried request: already there
    _check_changeable(booking)
    slot = await repository.slot_or_404(slot_id)
    if slot.hall_id != booking.hall_id or slot.service_id != booking.service_id:
        raise errors.ServiceMismatch(details={"slot_id": slot_id, "service_id": booking.service_id})
    await check_window(slot.hall, slot.day, start=slot.start_at)
    rules, old_slot_id = rules_of(booking.hall), booking.slot_id
    async with storage.transaction() as conn:
        if booking.id_hash:
            await repository.lock_booker(conn, account_id=booking.account_id, id_hash=booking.id_hash)
            await check_booking(conn, id_hashes=[booking.id_hash], account_id=booking.account_id,
                                hall_id=booking.hall_id, day=slot.day, rules=rules, now=clock.now(),
                                zone=zone_of(booking.hall), moving=booking.id)
        await repository.lock_slots(conn, [old_slot_id, slot.id])
        await take_seat_or_fail(conn, slot.id)
        moved = await Booking.filter(id=booking.id, status="booked", slot_id=old_slot_id).using_db(conn).update(
            slot_id=slot.id, day=slot.day, slot_start=slot.start_at, updated_at=clock.now(),
            checkin_deadline=checkin_deadline(slot.start_at, rules))
        if not moved:
            raise errors.BookingNotActive()  # rolls back the new seat too
        await repository.free_seats(conn, old_slot_id)
        booking = await repository.booking_or_404(booking.id, using_db=conn)
        await notices.rescheduled(booking, hall=booking.hall, service=booking.service, conn=conn)
    full_slots.seats_changed(old_slot_id)
    return present.booking(booking)


async def booking_events(account_id: int, *, changed_after: dt.datetime | None,
                         limit: int = 100) -> list[dict[str, Any]]:
    """The account's bookings changed after a moment, oldest change first (for the personal feed)."""
    query = Booking.filter(account_id=account_id)
    if changed_after is not None:
        query = query.filter(updated_at__gt=changed_after)
    rows = await query.select_related("hall", "service").order_by("updated_at", "id").limit(limit)
    return [{"booking_id": b.id, "status": b.status, "service": b.service.name, "hall": b.hall.name,
             "slot_start": b.slot_start, "changed_at": b.updated_at} for b in rows]
