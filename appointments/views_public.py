"""Public endpoints: halls, their service items, availability and the live queue."""

from __future__ import annotations

from sanic import Blueprint, Request

from appointments import errors, service_halls, service_slots, service_tickets
from appointments.schemas import AvailabilityOut, AvailabilityQuery, HallOut, QueueOut, ServiceOut
from server.api import endpoint

bp = Blueprint("appointments_public", url_prefix="/api/v1")
TAGS = ["halls"]


@bp.get("/halls")
@endpoint("Service halls that take bookings", tags=TAGS, response=list[HallOut], etag=True)
async def list_halls(request: Request):
    return await service_halls.list_halls()


@bp.get("/halls/<hall_id:int>")
@endpoint("One service hall with its booking rules", tags=TAGS, response=HallOut, raises=[errors.HallNotFound])
async def get_hall(request: Request, hall_id: int):
    return await service_halls.get_hall(hall_id)


@bp.get("/halls/<hall_id:int>/services")
@endpoint("The service items (事项) a hall handles", tags=TAGS, response=list[ServiceOut], etag=True,
          raises=[errors.HallNotFound])
async def list_services(request: Request, hall_id: int):
    return await service_halls.list_services(hall_id)


@bp.get("/halls/<hall_id:int>/availability")
@endpoint("Days and slots of a service item, with what makes a slot unbookable", tags=TAGS,
          query=AvailabilityQuery, response=AvailabilityOut,
          raises=[errors.HallNotFound, errors.ServiceNotFound])
async def availability(request: Request, hall_id: int, *, query: AvailabilityQuery):
    return await service_slots.availability(hall_id=hall_id, service_id=query.service_id,
                                            first=query.from_, last=query.to)


@bp.get("/halls/<hall_id:int>/queue")
@endpoint("Now serving per window and the number waiting (for the mini-program)", tags=TAGS,
          response=QueueOut, raises=[errors.HallNotFound])
async def queue(request: Request, hall_id: int):
    return await service_tickets.queue(hall_id)
