"""Staff change slots: capacity, closing a slot or a day (停办), and telling the people affected."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import errors, full_slots, notices, present, repository
from appointments.service_halls import today_at, zone_of
from appointments.service_slots import covers
from appointments.tables import Booking, Closure, Slot
from server import audit, clock, storage
from server.auth import CurrentUser

DEFAULT_REASON = "大厅临时调整"
SLOT_FIELDS = ("capacity", "status", "booked")


async def _slot_in_scope(slot_id: int, user: CurrentUser) -> Slot:
    slot = await repository.slot_or_404(slot_id)
    if not user.can_serve(slot.hall_id):
        raise errors.HallForbidden(details={"hall_id": slot.hall_id})
    return slot


async def patch_slot(slot_id: int, *, user: CurrentUser, capacity: int | None, status: str | None,
                     reason: str | None) -> dict[str, Any]:
    """PATCH /staff/slots/{id}: capacity never below what is booked; closing cancels its bookings."""
    slot = await _slot_in_scope(slot_id, user)
    before = audit.fields(slot, SLOT_FIELDS)
    if capacity is not None:
        changed = await Slot.filter(id=slot.id, booked__lte=capacity).update(capacity=capacity)
        if not changed:
            booked = await Slot.filter(id=slot.id).values_list("booked", flat=True)
            raise errors.CapacityBelowBooked(details={"booked": booked[0], "capacity": capacity})
    if status == "closed" and slot.status != "closed":
        async with storage.transaction() as conn:
            await close_slots(conn, [slot.id], reason=reason or DEFAULT_REASON)
    elif status == "open" and slot.status != "open":
        if slot.end_at <= clock.now():
            raise errors.SlotClosed("已结束的时段不能重新开放", details={"slot_id": slot.id})
        await Slot.filter(id=slot.id).update(status="open")
    full_slots.seats_changed(slot.id)
    after = await Slot.get(id=slot.id)
    audit.changed(target=f"slot_id={slot.id}", before=before, after=audit.fields(after, SLOT_FIELDS))
    return present.slot(after)


async def close_slots(conn: BaseDBAsyncClient, slot_ids: list[int], *, reason: str) -> int:
    """Close slots and cancel their booked (not yet checked-in) people, telling each; returns how many."""
    slots = await repository.lock_slots(conn, slot_ids)
    if not slots:
        return 0
    now = clock.now()
    victims = await (Booking.filter(slot_id__in=[s.id for s in slots], status="booked")
                     .select_related("hall", "service").using_db(conn))
    for slot in slots:
        mine = [b for b in victims if b.slot_id == slot.id]
        await Slot.filter(id=slot.id).using_db(conn).update(status="closed", booked=slot.booked - len(mine))
    if victims:
        await Booking.filter(id__in=[b.id for b in victims]).using_db(conn).update(
            status="cancelled", cancelled_at=now, cancelled_by="hall", cancel_reason=reason[:200], updated_at=now)
        await notices.cancelled_by_hall(victims, reason=reason, conn=conn)
    return len(victims)


async def add_closure(hall_id: int, *, user: CurrentUser, day: dt.date, start: dt.time | None,
                      end: dt.time | None, reason: str) -> dict[str, Any]:
    """POST /staff/halls/{id}/closures: close a day or part of it; slots there close, people are told."""
    hall = await repository.hall_or_404(hall_id)
    if day < today_at(hall):
        raise errors.invalid_setting("date", "不能是过去的日期")
    if start is not None and end is not None and end <= start:
        raise errors.invalid_setting("to", "须晚于开始时间")
    closure = Closure(hall_id=hall.id, day=day, start_time=_hhmm(start), end_time=_hhmm(end), reason=reason,
                      created_by=user.id, created_at=clock.now())
    async with storage.transaction() as conn:
        await closure.save(using_db=conn)
        slots = await Slot.filter(hall_id=hall.id, day=day).using_db(conn)
        hit = [s.id for s in slots if covers(closure, day=day, start=s.start_at, end=s.end_at, hall=hall)]
        cancelled = await close_slots(conn, hit, reason=reason)
    answer = {"id": closure.id, "hall_id": hall.id, "date": day, "from": start, "to": end, "reason": reason,
              "slots_closed": len(hit), "bookings_cancelled": cancelled, "timezone": str(zone_of(hall))}
    audit.changed(target=f"closure_id={closure.id}", before=None, after=audit.fields(answer, (
        "hall_id", "date", "from", "to", "reason", "slots_closed", "bookings_cancelled")))
    return answer


def _hhmm(moment: dt.time | None) -> str | None:
    return moment.strftime("%H:%M") if moment is not None else None


async def closure_preview(hall_id: int, *, day: dt.date, start: dt.time | None, end: dt.time | None) -> dict[str, int]:
    """Before closing (停办): how many open slots the closure would close and how many booked people it
    would cancel, by the same rule add_closure applies. Nothing is written."""
    hall = await repository.hall_or_404(hall_id)
    probe = Closure(hall_id=hall.id, day=day, start_time=_hhmm(start), end_time=_hhmm(end), reason="")
    slots = [s.id for s in await Slot.filter(hall_id=hall.id, day=day, status="open")
             if covers(probe, day=day, start=s.start_at, end=s.end_at, hall=hall)]
    booked = await Booking.filter(slot_id__in=slots, status="booked").count() if slots else 0
    return {"slots": len(slots), "bookings": booked}


async def day_slots(hall_id: int, day: dt.date) -> list[dict[str, Any]]:
    """The hall's slots on a day, by time and service item, for the clerk's capacity and closing page."""
    hall = await repository.hall_or_404(hall_id)
    rows = await Slot.filter(hall_id=hall.id, day=day).select_related("service").order_by("start_at", "service_id")
    zone = zone_of(hall)
    return [{**present.slot(s), "service_name": s.service.name,
             "time": f"{s.start_at.astimezone(zone):%H:%M}-{s.end_at.astimezone(zone):%H:%M}"} for s in rows]
