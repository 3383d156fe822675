"""The clerk's desk: check-in, walk-ins, calling and finishing tickets, no-shows."""

from __future__ import annotations

from sanic import Blueprint, Request

from appointments import errors, service_checkin, service_tickets
from appointments.schemas import BookingOut, TicketOut
from appointments.schemas_staff import CallIn, CheckinIn, CheckinOut, TicketsQuery, WalkinIn
from appointments.views_staff import SCOPE, STAFF, in_scope
from server import auth
from server.api import endpoint

bp = Blueprint("appointments_desk", url_prefix="/api/v1/staff")
TAGS = ["staff"]
TICKET_ERRORS = [errors.TicketNotFound, errors.HallForbidden, errors.TicketStateConflict]


@bp.post("/checkin")
@endpoint("Check a booked person in by QR token or booking code; returns the ticket (A001 …)", tags=TAGS,
          body=CheckinIn, response=CheckinOut, auth_roles=STAFF,
          raises=[errors.InvalidCheckinToken, errors.BookingNotFound, errors.HallForbidden, errors.TooEarly,
                  errors.TooLate, errors.AlreadyCheckedIn, errors.BookingNotActive])
async def check_in(request: Request, *, body: CheckinIn, user: auth.CurrentUser):
    return await service_checkin.check_in(user=user, token=body.token, code=body.code)


@bp.post("/halls/<hall_id:int>/walkins")
@endpoint("A ticket for someone without a booking (W001 …)", tags=TAGS, body=WalkinIn, response=TicketOut,
          status=201, auth_roles=STAFF, raises=[*SCOPE, errors.ServiceNotFound])
async def walk_in(request: Request, hall_id: int, *, body: WalkinIn, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_checkin.walk_in(hall_id, service_id=body.service_id)


@bp.get("/halls/<hall_id:int>/tickets")
@endpoint("Today's tickets at the hall", tags=TAGS, query=TicketsQuery, response=list[TicketOut],
          auth_roles=STAFF, raises=SCOPE)
async def tickets(request: Request, hall_id: int, *, query: TicketsQuery, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_tickets.hall_tickets(hall_id, status=query.status)


@bp.post("/tickets/<ticket_id:int>/call")
@endpoint("Call a ticket to a window (again, to call it once more)", tags=TAGS, body=CallIn,
          response=TicketOut, auth_roles=STAFF, raises=TICKET_ERRORS)
async def call(request: Request, ticket_id: int, *, body: CallIn, user: auth.CurrentUser):
    return await service_tickets.move_ticket(ticket_id, "call", user=user, window=body.window)


@bp.post("/tickets/<ticket_id:int>/complete")
@endpoint("The ticket's business is done (办结)", tags=TAGS, response=TicketOut, auth_roles=STAFF,
          raises=TICKET_ERRORS)
async def complete(request: Request, ticket_id: int, *, user: auth.CurrentUser):
    return await service_tickets.move_ticket(ticket_id, "complete", user=user)


@bp.post("/tickets/<ticket_id:int>/no-show")
@endpoint("The called person did not come (过号)", tags=TAGS, response=TicketOut, auth_roles=STAFF,
          raises=TICKET_ERRORS)
async def ticket_no_show(request: Request, ticket_id: int, *, user: auth.CurrentUser):
    return await service_tickets.move_ticket(ticket_id, "no_show", user=user)


@bp.post("/bookings/<booking_id:int>/no-show")
@endpoint("A booked person never came (爽约); allowed once the slot has begun", tags=TAGS,
          response=BookingOut, auth_roles=STAFF,
          raises=[errors.BookingNotFound, errors.HallForbidden, errors.BookingNotActive, errors.SlotNotStarted])
async def booking_no_show(request: Request, booking_id: int, *, user: auth.CurrentUser):
    return await service_tickets.booking_no_show(booking_id, user=user)
