"""A resident's bookings: book, list, read, cancel, reschedule, the check-in QR code, rating."""

from __future__ import annotations

import re

from sanic import Blueprint, HTTPResponse, Request

from appointments import errors, service_booking, service_changes, service_checkin, service_ratings
from appointments.schemas import (
    BookingIn,
    BookingOut,
    CancelIn,
    MyBookingsQuery,
    RatingIn,
    RatingOut,
    RescheduleIn,
)
from server import auth
from server.api import ANY_USER, endpoint
from server.errors import ValidationFailed

bp = Blueprint("appointments_bookings", url_prefix="/api/v1")
TAGS = ["bookings"]
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
BOOKING_ERRORS = [errors.SlotFull, errors.SlotClosed, errors.OutsideBookingWindow, errors.SlotStarted,
                  errors.DuplicateBooking, errors.QuotaExceeded, errors.TooManyAccounts, errors.TooManyBookings,
                  errors.TooManyPersons, errors.BookingBlocked, errors.InvalidIdNumber, errors.InvalidPhone,
                  errors.SlotNotFound, errors.ServiceMismatch, errors.IdempotencyKeyReused]


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed.field("Idempotency-Key", "须为 1 到 128 个字母、数字或 ._:- 字符", location="header")
    return key


@bp.post("/bookings")
@endpoint("Book a slot; a retry with the same Idempotency-Key returns the same booking", tags=TAGS,
          body=BookingIn, response=BookingOut, status=201, auth_roles=ANY_USER, raises=BOOKING_ERRORS,
          limits="booking")
async def book(request: Request, *, body: BookingIn, user: auth.CurrentUser):
    person = service_booking.parse_person(name=body.name, id_number=body.id_number, phone=body.phone)
    return await service_booking.book(account_id=user.id, slot_id=body.slot_id, service_id=body.service_id,
                                      person=person, idempotency_key=_idempotency_key(request))


@bp.get("/bookings")
@endpoint("My bookings, latest first", tags=TAGS, query=MyBookingsQuery, response=list[BookingOut],
          auth_roles=ANY_USER)
async def my_bookings(request: Request, *, query: MyBookingsQuery, user: auth.CurrentUser):
    return await service_changes.list_mine(user.id, statuses=query.status)


@bp.get("/bookings/<booking_id:int>")
@endpoint("One booking (its owner or the hall's staff)", tags=TAGS, response=BookingOut, auth_roles=ANY_USER,
          raises=[errors.BookingNotFound])
async def get_booking(request: Request, booking_id: int, *, user: auth.CurrentUser):
    return await service_changes.get_booking(booking_id, user)


@bp.post("/bookings/<booking_id:int>/cancel")
@endpoint("Cancel my booking (until the hall's deadline before the slot)", tags=TAGS, body=CancelIn,
          response=BookingOut, auth_roles=ANY_USER,
          raises=[errors.BookingNotFound, errors.BookingNotActive, errors.CancellationClosed])
async def cancel(request: Request, booking_id: int, *, body: CancelIn, user: auth.CurrentUser):
    return await service_changes.cancel(booking_id, user_id=user.id, reason=body.reason)


@bp.post("/bookings/<booking_id:int>/reschedule")
@endpoint("Move my booking to another slot of the same service (atomic)", tags=TAGS, body=RescheduleIn,
          response=BookingOut, auth_roles=ANY_USER,
          raises=[errors.BookingNotFound, errors.BookingNotActive, errors.CancellationClosed, errors.SlotFull,
                  errors.SlotClosed, errors.OutsideBookingWindow, errors.SlotStarted, errors.DuplicateBooking,
                  errors.QuotaExceeded, errors.TooManyAccounts, errors.TooManyBookings, errors.TooManyPersons,
                  errors.ServiceMismatch], limits="booking")
async def reschedule(request: Request, booking_id: int, *, body: RescheduleIn, user: auth.CurrentUser):
    return await service_changes.reschedule(booking_id, user_id=user.id, slot_id=body.slot_id)


@bp.get("/bookings/<booking_id:int>/qr.png")
@endpoint("The check-in QR code of my booking (a signed token)", tags=TAGS, auth_roles=ANY_USER,
          content_type="image/png", raises=[errors.BookingNotFound, errors.BookingNotActive])
async def qr_code(request: Request, booking_id: int, *, user: auth.CurrentUser):
    png = await service_checkin.qr_png(booking_id, user_id=user.id)
    return HTTPResponse(png, content_type="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/bookings/<booking_id:int>/rating")
@endpoint("Rate a completed booking (好差评), once, within 7 days", tags=TAGS, body=RatingIn,
          response=RatingOut, status=201, auth_roles=ANY_USER,
          raises=[errors.BookingNotFound, errors.NotCompleted, errors.RatingWindowClosed, errors.AlreadyRated])
async def rate(request: Request, booking_id: int, *, body: RatingIn, user: auth.CurrentUser):
    return await service_ratings.rate(booking_id, user_id=user.id, score=body.score, comment=body.comment)
