"""Admins' endpoints: halls, service items, hall staff and the working-day calendar."""

from __future__ import annotations

from sanic import Blueprint, Request

from appointments import errors, service_calendar, service_halls
from appointments.schemas import HallOut, ServiceOut
from appointments.schemas_staff import (
    CalendarDayPut,
    CalendarPut,
    CalendarYearOut,
    HallIn,
    HallPatch,
    ServiceIn,
    ServicePatch,
    StaffAssign,
    StaffOut,
)
from server import auth
from server.api import endpoint
from server.errors import ValidationFailed

bp = Blueprint("appointments_admin", url_prefix="/api/v1/admin")
TAGS = ["admin"]
ADMIN = "admin"


@bp.get("/halls")
@endpoint("Every hall, including inactive ones", tags=TAGS, response=list[HallOut], auth_roles=ADMIN)
async def list_halls(request: Request, *, user: auth.CurrentUser):
    return await service_halls.list_halls(include_inactive=True)


@bp.post("/halls")
@endpoint("Create a hall", tags=TAGS, body=HallIn, response=HallOut, status=201, auth_roles=ADMIN,
          raises=[errors.HallNameTaken, ValidationFailed])
async def create_hall(request: Request, *, body: HallIn, user: auth.CurrentUser):
    fields = body.model_dump(exclude={"rules"})
    return await service_halls.create_hall(fields, rules=body.rules)


@bp.patch("/halls/<hall_id:int>")
@endpoint("Change a hall's details or (some of) its booking rules", tags=TAGS, body=HallPatch, response=HallOut,
          auth_roles=ADMIN, raises=[errors.HallNotFound, errors.HallNameTaken, ValidationFailed])
async def update_hall(request: Request, hall_id: int, *, body: HallPatch, user: auth.CurrentUser):
    changes = body.model_dump(exclude_unset=True, exclude={"rules"})
    return await service_halls.update_hall(hall_id, changes, rules=body.rules)


@bp.post("/halls/<hall_id:int>/services")
@endpoint("Add a service item (事项) to a hall", tags=TAGS, body=ServiceIn, response=ServiceOut, status=201,
          auth_roles=ADMIN, raises=[errors.HallNotFound, errors.ServiceNameTaken])
async def add_service(request: Request, hall_id: int, *, body: ServiceIn, user: auth.CurrentUser):
    return await service_halls.add_service(hall_id, body.model_dump())


@bp.patch("/services/<service_id:int>")
@endpoint("Change a service item", tags=TAGS, body=ServicePatch, response=ServiceOut, auth_roles=ADMIN,
          raises=[errors.ServiceNotFound, errors.ServiceNameTaken])
async def update_service(request: Request, service_id: int, *, body: ServicePatch, user: auth.CurrentUser):
    return await service_halls.update_service(service_id, body.model_dump(exclude_unset=True))


@bp.get("/halls/<hall_id:int>/staff")
@endpoint("The staff accounts serving a hall", tags=TAGS, response=list[StaffOut], auth_roles=ADMIN,
          raises=[errors.HallNotFound])
async def hall_staff(request: Request, hall_id: int, *, user: auth.CurrentUser):
    return await service_halls.hall_staff(hall_id)


@bp.put("/halls/<hall_id:int>/staff")
@endpoint("Set exactly which staff accounts serve a hall", tags=TAGS, body=StaffAssign, response=list[StaffOut],
          auth_roles=ADMIN, raises=[errors.HallNotFound, ValidationFailed])
async def assign_staff(request: Request, hall_id: int, *, body: StaffAssign, user: auth.CurrentUser):
    return await service_halls.assign_staff(hall_id, body.user_ids)


@bp.get("/calendar/<year:int>")
@endpoint("A year's holidays and working days (调休); unconfirmed when no official data exists", tags=TAGS,
          response=CalendarYearOut, auth_roles=ADMIN, raises=[ValidationFailed])
async def get_calendar(request: Request, year: int, *, user: auth.CurrentUser):
    return await service_calendar.get_year(year)


@bp.put("/calendar/<year:int>")
@endpoint("Replace a year's entries (authoritative over the library)", tags=TAGS, body=CalendarPut,
          response=CalendarYearOut, auth_roles=ADMIN, raises=[ValidationFailed])
async def put_calendar(request: Request, year: int, *, body: CalendarPut, user: auth.CurrentUser):
    items = [{**entry.model_dump(), "date": entry.date.isoformat()} for entry in body.entries]
    return await service_calendar.replace_year(year, items)


@bp.put("/calendar/<year:int>/day")
@endpoint("Set one day of a year (the others are kept, even when another admin sets a day at once)", tags=TAGS,
          body=CalendarDayPut, response=CalendarYearOut, auth_roles=ADMIN, raises=[ValidationFailed])
async def put_calendar_day(request: Request, year: int, *, body: CalendarDayPut, user: auth.CurrentUser):
    item = None if body.kind == "default" else body.model_dump(exclude={"date"})
    return await service_calendar.set_day(year, body.date, item)
