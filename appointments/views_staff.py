"""Clerks' endpoints for their halls: schedules, slots, closures, day sheet, ratings, statistics."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import json

from appointments import (
    errors,
    service_closing,
    service_ratings,
    service_reports,
    service_shared_ids,
    service_slots,
)
from appointments.schemas import RatingOut
from appointments.schemas_staff import (
    ClosureIn,
    ClosureOut,
    DaySheetQuery,
    DaySheetRow,
    FollowUpIn,
    Generated,
    GenerateIn,
    PhoneRevealIn,
    PhoneRevealOut,
    RatingsQuery,
    ScheduleIn,
    ScheduleOut,
    SharedIdOut,
    SharedIdsQuery,
    SlotOut,
    SlotPatch,
    StatsOut,
    StatsQuery,
)
from server import auth
from server.api import endpoint

bp = Blueprint("appointments_staff", url_prefix="/api/v1/staff")
TAGS = ["staff"]
STAFF = "staff"
SCOPE = [errors.HallForbidden, errors.HallNotFound]
NO_STORE = {"Cache-Control": "no-store"}  # personal data: no cache keeps it


async def in_scope(request: Request, hall_id: int) -> auth.CurrentUser:
    """The caller, who must serve `hall_id` (admins serve every hall); 403 otherwise."""
    return await auth.require(request, STAFF, hall=hall_id)


@bp.get("/halls/<hall_id:int>/schedules/<service_id:int>")
@endpoint("A service item's weekly schedule", tags=TAGS, response=ScheduleOut, auth_roles=STAFF,
          raises=[*SCOPE, errors.ServiceNotFound])
async def get_schedule(request: Request, hall_id: int, service_id: int, *, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_slots.get_schedule(hall_id, service_id)


@bp.put("/halls/<hall_id:int>/schedules/<service_id:int>")
@endpoint("Replace a weekly schedule and regenerate the booking window (booked slots are kept)", tags=TAGS,
          body=ScheduleIn, response=ScheduleOut, auth_roles=STAFF, raises=[*SCOPE, errors.ServiceNotFound])
async def put_schedule(request: Request, hall_id: int, service_id: int, *, body: ScheduleIn,
                       user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_slots.put_schedule(hall_id, service_id, body.model_dump())


@bp.post("/halls/<hall_id:int>/slots/generate")
@endpoint("Materialise slots from the schedules for a date range (idempotent)", tags=TAGS, body=GenerateIn,
          response=Generated, auth_roles=STAFF, raises=SCOPE)
async def generate(request: Request, hall_id: int, *, body: GenerateIn, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_slots.generate_for_hall(hall_id, first=body.from_, last=body.to)


@bp.patch("/slots/<slot_id:int>")
@endpoint("Change a slot's capacity or open/close it (closing cancels and notifies its bookings)", tags=TAGS,
          body=SlotPatch, response=SlotOut, auth_roles=STAFF,
          raises=[errors.SlotNotFound, errors.HallForbidden, errors.CapacityBelowBooked, errors.SlotClosed])
async def patch_slot(request: Request, slot_id: int, *, body: SlotPatch, user: auth.CurrentUser):
    return await service_closing.patch_slot(slot_id, user=user, capacity=body.capacity, status=body.status,
                                            reason=body.reason)


@bp.post("/halls/<hall_id:int>/closures")
@endpoint("Close a day or part of it (停办): its slots close, booked people are told", tags=TAGS,
          body=ClosureIn, response=ClosureOut, status=201, auth_roles=STAFF, raises=SCOPE)
async def add_closure(request: Request, hall_id: int, *, body: ClosureIn, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_closing.add_closure(hall_id, user=user, day=body.date, start=body.from_, end=body.to,
                                             reason=body.reason)


@bp.get("/halls/<hall_id:int>/bookings")
@endpoint("The day sheet (today unless ?date=): JSON, or ?format=csv (UTF-8 with BOM for Excel); people masked",
          tags=TAGS, query=DaySheetQuery, response=list[DaySheetRow], auth_roles=STAFF, raises=SCOPE,
          also_serves=("text/csv",))
async def day_sheet(request: Request, hall_id: int, *, query: DaySheetQuery, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    if query.format == "json":
        return await service_reports.day_sheet(hall_id, query.date)
    filename, body = await service_reports.day_sheet_file(hall_id, query.date)
    return HTTPResponse(body, content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                 "Cache-Control": "no-store"})


@bp.get("/halls/<hall_id:int>/ratings")
@endpoint("Ratings of the hall, newest first (dissatisfied=true: 2 or less)", tags=TAGS, query=RatingsQuery,
          response=list[RatingOut], auth_roles=STAFF, raises=SCOPE)
async def ratings(request: Request, hall_id: int, *, query: RatingsQuery, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_ratings.list_ratings(hall_id, dissatisfied=query.dissatisfied,
                                              follow_up_status=query.follow_up_status)


@bp.patch("/ratings/<rating_id:int>")
@endpoint("Record the follow-up (回访) of a rating", tags=TAGS, body=FollowUpIn, response=RatingOut,
          auth_roles=STAFF, raises=[errors.RatingNotFound, errors.HallForbidden])
async def follow_up(request: Request, rating_id: int, *, body: FollowUpIn, user: auth.CurrentUser):
    return await service_ratings.follow_up(rating_id, user=user, status=body.follow_up_status,
                                           note=body.follow_up_note)


@bp.post("/ratings/<rating_id:int>/phone")
@endpoint("Reveal the phone of a dissatisfied rating's booking for 回访, with a reason (logged as a reveal)",
          tags=TAGS, body=PhoneRevealIn, response=PhoneRevealOut, auth_roles=STAFF, limits="phone_reveal",
          raises=[errors.RatingNotFound, errors.HallForbidden, errors.RevealNotAllowed, errors.PhoneErased])
async def reveal_phone(request: Request, rating_id: int, *, body: PhoneRevealIn, user: auth.CurrentUser):
    revealed = await service_ratings.reveal_phone(rating_id, user=user, reason=body.reason)
    return json(PhoneRevealOut.model_validate(revealed).model_dump(mode="json"), headers=NO_STORE)


@bp.get("/halls/<hall_id:int>/stats")
@endpoint("Per day: booked, checked in, no-shows, cancellations, walk-ins, average rating", tags=TAGS,
          query=StatsQuery, response=StatsOut, auth_roles=STAFF, raises=SCOPE)
async def stats(request: Request, hall_id: int, *, query: StatsQuery, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_reports.stats(hall_id, first=query.from_, last=query.to)


@bp.get("/halls/<hall_id:int>/shared-ids")
@endpoint("身份证 refused because too many accounts booked them this month (黄牛), masked, latest first",
          tags=TAGS, query=SharedIdsQuery, response=list[SharedIdOut], auth_roles=STAFF, raises=SCOPE)
async def shared_ids(request: Request, hall_id: int, *, query: SharedIdsQuery, user: auth.CurrentUser):
    await in_scope(request, hall_id)
    return await service_shared_ids.shared_ids(hall_id, month=query.first_day)
