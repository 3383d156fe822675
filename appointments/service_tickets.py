"""The queue (叫号): calling tickets to windows, finishing them, no-shows, and the public queue view."""

from __future__ import annotations

from typing import Any

from appointments import errors, present, repository
from appointments.service_halls import today_at
from appointments.tables import Booking, Ticket
from server import clock, storage
from server.auth import CurrentUser

# Where a ticket may go from each state; calling a ticket already serving calls it again (重呼).
TRANSITIONS = {"call": ("waiting", "serving"), "complete": ("serving",), "no_show": ("waiting", "serving")}
BOOKING_AFTER = {"call": "serving", "complete": "completed", "no_show": "no_show"}


async def _ticket_in_scope(ticket_id: int, user: CurrentUser) -> Ticket:
    ticket = await Ticket.get_or_none(id=ticket_id)
    if ticket is None:
        raise errors.TicketNotFound(details={"ticket_id": ticket_id})
    if not user.can_serve(ticket.hall_id):
        raise errors.HallForbidden(details={"hall_id": ticket.hall_id})
    return ticket


async def move_ticket(ticket_id: int, action: str, *, user: CurrentUser, window: str | None = None) -> dict[str, Any]:
    """call / complete / no_show a ticket; its booking follows (serving, completed, no_show)."""
    ticket = await _ticket_in_scope(ticket_id, user)
    allowed = TRANSITIONS[action]
    now = clock.now()
    changes: dict[str, Any] = {"status": {"call": "serving", "complete": "completed", "no_show": "no_show"}[action]}
    if action == "call":
        changes.update(window=window, called_at=now)
    else:
        changes["finished_at"] = now
    async with storage.transaction() as conn:
        moved = await Ticket.filter(id=ticket.id, status__in=allowed).using_db(conn).update(**changes)
        if not moved:
            raise errors.TicketStateConflict(details={"status": ticket.status, "action": action})
        if ticket.booking_id is not None:
            await _follow(conn, ticket.booking_id, action)
    moved_ticket = await Ticket.filter(id=ticket.id).select_related("service").get()
    return present.ticket(moved_ticket, service=moved_ticket.service)  # type: ignore[return-value]


async def _follow(conn: Any, booking_id: int, action: str) -> None:
    now = clock.now()
    status = BOOKING_AFTER[action]
    extra = {"completed_at": now} if status == "completed" else {"no_show_at": now} if status == "no_show" else {}
    await Booking.filter(id=booking_id).using_db(conn).update(status=status, updated_at=now, **extra)


async def booking_no_show(booking_id: int, *, user: CurrentUser) -> dict[str, Any]:
    """POST /staff/bookings/{id}/no-show: a booked person never came (爽约), once the slot has begun."""
    booking = await repository.booking_or_404(booking_id)
    if not user.can_serve(booking.hall_id):
        raise errors.HallForbidden(details={"hall_id": booking.hall_id})
    if booking.status != "booked":
        raise errors.BookingNotActive(details={"status": booking.status})
    if clock.now() < booking.slot_start:
        raise errors.SlotNotStarted(details={"start": booking.slot_start.isoformat()})
    now = clock.now()
    changed = await Booking.filter(id=booking.id, status="booked").update(status="no_show", no_show_at=now,
                                                                           updated_at=now)
    if not changed:
        raise errors.BookingNotActive()
    return present.booking(await repository.booking_or_404(booking.id))


async def mark_no_shows() -> int:
    """Periodic job: booked people past their check-in deadline become no-shows (one UPDATE)."""
    now = clock.now()
    return await Booking.filter(status="booked", checkin_deadline__lte=now).update(
        status="no_show", no_show_at=now, updated_at=now)


async def queue(hall_id: int) -> dict[str, Any]:
    """GET /halls/{id}/queue: now serving per window and how many are waiting, today."""
    hall = await repository.hall_or_404(hall_id)
    if not hall.is_active:
        raise errors.HallNotFound(details={"hall_id": hall_id})
    day = today_at(hall)
    tickets = await Ticket.filter(hall_id=hall_id, day=day, status__in=("waiting", "serving")).order_by("id")
    serving = sorted((t for t in tickets if t.status == "serving"), key=lambda t: t.called_at or clock.now())
    windows: dict[str, Ticket] = {}
    for ticket in serving:
        windows[ticket.window or ""] = ticket  # the latest call at each window
    waiting = [t for t in tickets if t.status == "waiting"]
    return {"hall_id": hall_id, "date": day,
            "serving": [{"window": w, "ticket": t.label} for w, t in sorted(windows.items())],
            "waiting": len(waiting), "next": [t.label for t in waiting[:5]]}


async def hall_tickets(hall_id: int, *, status: str | None) -> list[dict[str, Any]]:
    """GET /staff/halls/{id}/tickets: today's tickets for the clerk's screen."""
    hall = await repository.hall_or_404(hall_id)
    query = Ticket.filter(hall_id=hall.id, day=today_at(hall))
    if status:
        query = query.filter(status=status)
    rows = await query.select_related("service").order_by("id")
    return [present.ticket(t, service=t.service) for t in rows]  # type: ignore[misc]
