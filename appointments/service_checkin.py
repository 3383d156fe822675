"""Check-in (签到取号): the signed QR token, the booking code, tickets A001…, walk-ins W001…."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import io
from typing import Any

import qrcode
from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import errors, notices, present, repository
from appointments.model import (
    ExpiredToken,
    InvalidToken,
    TicketKind,
    checkin_status,
    format_ticket,
    normalize_booking_code,
    read_checkin,
    sign_checkin,
)
from appointments.service_changes import own_booking
from appointments.service_halls import rules_of, today_at
from appointments.tables import Booking, Ticket
from server import clock, config, storage
from server.auth import CurrentUser


def checkin_key() -> bytes:
    """The check-in signing key, derived from the deployment's secret key for this purpose only."""
    secret = config.current().secret_key.encode()
    return hmac.new(secret, b"bianmin.appointments.checkin-key.v1", hashlib.sha256).digest()


def checkin_token(booking: Booking) -> str:
    """The signed token in a booking's QR code, valid until its check-in deadline."""
    # A second of grace: at the deadline itself the window rule (not the token) decides.
    expires_at = booking.checkin_deadline + dt.timedelta(seconds=1)
    return sign_checkin(booking_id=booking.id, code=booking.code, expires_at=expires_at, key=checkin_key())


async def qr_png(booking_id: int, *, user_id: int) -> bytes:
    """GET /bookings/{id}/qr.png: the check-in QR code (the signed token, never the bare id)."""
    booking = await own_booking(booking_id, user_id)
    if booking.status != "booked":
        raise errors.BookingNotActive(details={"status": booking.status})
    return await asyncio.to_thread(_render_png, checkin_token(booking))


def _render_png(text: str) -> bytes:
    image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def _booking_from(*, token: str | None, code: str | None) -> Booking:
    if token:
        try:
            claim = read_checkin(token, key=checkin_key(), now=clock.now())
        except ExpiredToken as expired:
            # Genuine but past the booking's deadline: the booking is checked as its typed code would be, so the
            # hall scope comes first and a late arrival is told its deadline (the window rule decides, not the token).
            claim = expired.claim
        except InvalidToken:
            raise errors.InvalidCheckinToken(details={"field": "token"}) from None
        booking = await repository.booking_or_404(claim.booking_id)
        if booking.code != claim.code:
            raise errors.InvalidCheckinToken(details={"field": "token"})
        return booking
    try:
        normal = normalize_booking_code(code or "")
    except ValueError:
        raise errors.InvalidCheckinToken("预约码格式不正确", details={"field": "code"}) from None
    booking = await Booking.filter(code=normal).select_related("hall", "service", "slot").first()
    if booking is None:
        raise errors.BookingNotFound(details={"code": normal})
    return booking


async def check_in(*, user: CurrentUser, token: str | None, code: str | None) -> dict[str, Any]:
    """POST /staff/checkin: a booked person arrives within the window and gets the next A ticket."""
    booking = await _booking_from(token=token, code=code)
    if not user.can_serve(booking.hall_id):
        raise errors.HallForbidden(details={"hall_id": booking.hall_id})
    if booking.status in ("checked_in", "serving", "completed"):
        ticket = await Ticket.get_or_none(booking_id=booking.id)
        raise errors.AlreadyCheckedIn(details={"ticket": ticket.label if ticket else None})
    if booking.status != "cancelled":
        # The window before the status: late is too_late whether or not the no-show job has run yet.
        _check_window(booking)
    if booking.status != "booked":
        raise errors.BookingNotActive(details={"status": booking.status})
    async with storage.transaction() as conn:
        changed = await Booking.filter(id=booking.id, status="booked").using_db(conn).update(
            status="checked_in", checked_in_at=clock.now(), updated_at=clock.now())
        if not changed:
            raise errors.AlreadyCheckedIn()
        ticket = await issue_ticket(conn, hall_id=booking.hall_id, day=today_at(booking.hall), kind="booked",
                                    service_id=booking.service_id, booking_id=booking.id)
        await notices.withdrawn(booking.id, conn=conn)
    booking = await repository.booking_or_404(booking.id)
    return {"ticket": present.ticket(ticket, service=booking.service),
            "booking": present.booking(booking, ticket_row=ticket)}


def _check_window(booking: Booking) -> None:
    status = checkin_status(now=clock.now(), slot_start=booking.slot_start, rules=rules_of(booking.hall))
    if status == "too_early":
        raise errors.TooEarly(details={"opens_at": _opens(booking).isoformat()})
    if status == "too_late":
        raise errors.TooLate(details={"deadline": booking.checkin_deadline.isoformat()})


def _opens(booking: Booking) -> dt.datetime:
    return booking.slot_start - dt.timedelta(minutes=rules_of(booking.hall).checkin_before_minutes)


async def issue_ticket(conn: BaseDBAsyncClient, *, hall_id: int, day: dt.date, kind: TicketKind,
                       service_id: int | None, booking_id: int | None) -> Ticket:
    """The next gapless ticket of the hall's day, in the caller's transaction."""
    number = await repository.next_ticket_number(conn, hall_id=hall_id, day=day, kind=kind)
    return await Ticket.create(hall_id=hall_id, service_id=service_id, booking_id=booking_id, day=day,
                               kind=kind, number=number, label=format_ticket(kind, number),
                               status="waiting", created_at=clock.now(), using_db=conn)


async def walk_in(hall_id: int, *, service_id: int | None) -> dict[str, Any]:
    """POST /staff/halls/{id}/walkins: a W ticket for someone without a booking."""
    hall = await repository.hall_or_404(hall_id)
    service = await repository.service_or_404(service_id, hall_id=hall.id) if service_id is not None else None
    async with storage.transaction() as conn:
        ticket = await issue_ticket(conn, hall_id=hall.id, day=today_at(hall), kind="walk_in",
                                    service_id=service_id, booking_id=None)
    return present.ticket(ticket, service=service)  # type: ignore[return-value]
