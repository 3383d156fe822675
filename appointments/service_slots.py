"""Weekly schedules, idempotent slot generation and the availability residents browse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F

from appointments import errors, full_slots, repository, service_calendar
from appointments.model import (
    ExistingSlot,
    InvalidSetting,
    SlotSpec,
    WorkingCalendar,
    booking_window,
    generate_slots,
    parse_schedule,
    plan_regeneration,
)
from appointments.service_halls import get_hall, rules_of, today_at, zone_of
from appointments.tables import Closure, Hall, ServiceItem, Slot
from server import audit, clock

MAX_GENERATE_DAYS = 92
MAX_AVAILABILITY_DAYS = 31


@dataclass
class Generated:
    """What one generation run did."""

    created: int = 0
    closed: int = 0
    kept: int = 0

    def add(self, other: Generated) -> None:
        self.created += other.created
        self.closed += other.closed
        self.kept += other.kept


async def get_schedule(hall_id: int, service_id: int) -> dict[str, Any]:
    """GET /staff/halls/{id}/schedules/{service_id}: the weekly schedule (None until set)."""
    service = await repository.service_or_404(service_id, hall_id=hall_id)
    return {"service_id": service.id, "schedule": service.schedule}


async def put_schedule(hall_id: int, service_id: int, data: Mapping[str, object]) -> dict[str, Any]:
    """PUT: replace the weekly schedule, then regenerate the booking window's slots from it."""
    service = await repository.service_or_404(service_id, hall_id=hall_id)
    try:
        schedule = parse_schedule(data)
    except InvalidSetting as error:
        raise errors.invalid_setting(error.path, error.reason) from None
    before = audit.fields(service, ["schedule"])
    service.schedule = schedule.to_dict()
    service.updated_at = clock.now()
    await service.save(update_fields=["schedule", "updated_at"])
    audit.changed(target=f"service_id={service.id}", before=before, after=audit.fields(service, ["schedule"]))
    first, last = await window_of(service.hall)
    done = await regenerate(service, hall=service.hall, first=first, last=last,
                            calendar=await service_calendar.working_calendar(first, last))
    return {"service_id": service.id, "schedule": service.schedule, "generated": done.__dict__}


async def preview_schedule(hall_id: int, service_id: int, data: Mapping[str, object]) -> dict[str, Any]:
    """Before saving a weekly schedule: the slots it gives over the booking window, per day, and what
    saving would create, close (unbooked slots no longer wanted) and keep. Nothing is written."""
    service = await repository.service_or_404(service_id, hall_id=hall_id)
    try:
        schedule = parse_schedule(data)
    except InvalidSetting as error:
        raise errors.invalid_setting(error.path, error.reason) from None
    first, last = await window_of(service.hall)
    zone = zone_of(service.hall)
    desired = generate_slots(schedule, first=first, last=last, tz=zone,
                             calendar=await service_calendar.working_calendar(first, last))
    rows = await Slot.filter(service_id=service.id, day__gte=first, day__lte=last)
    plan = plan_regeneration(desired=desired, existing=[
        ExistingSlot(id=r.id, start=r.start_at, end=r.end_at, capacity=r.capacity, booked=r.booked,
                     status=r.status) for r in rows])  # type: ignore[arg-type]
    days: dict[dt.date, list[str]] = {}
    for spec in desired:
        local = spec.start.astimezone(zone)
        days.setdefault(local.date(), []).append(f"{local:%H:%M}-{spec.end.astimezone(zone):%H:%M}")
    return {"from": first, "to": last, "capacity": schedule.capacity,
            "days": [{"date": day, "slots": times} for day, times in sorted(days.items())],
            "create": len(plan.to_create), "close": len(plan.to_close), "keep": len(plan.to_keep)}


async def window_of(hall: Hall) -> tuple[dt.date, dt.date]:
    """The dates a resident may book at the hall today."""
    today = today_at(hall)
    calendar = await service_calendar.working_calendar(today, today + dt.timedelta(days=60))
    return booking_window(today=today, calendar=calendar, rules=rules_of(hall))


async def generate_for_hall(hall_id: int, *, first: dt.date, last: dt.date) -> dict[str, int]:
    """POST /staff/halls/{id}/slots/generate: materialise slots of every scheduled service item."""
    hall = await repository.hall_or_404(hall_id)
    if last < first or (last - first).days >= MAX_GENERATE_DAYS:
        raise errors.invalid_setting("to", f"不能早于开始日期，且最多 {MAX_GENERATE_DAYS} 天")
    if first < today_at(hall):
        raise errors.invalid_setting("from", "不能是过去的日期")
    calendar = await service_calendar.working_calendar(first, last)
    total = Generated()
    for service in await ServiceItem.filter(hall_id=hall.id, is_active=True).filter(schedule__isnull=False):
        total.add(await regenerate(service, hall=hall, first=first, last=last, calendar=calendar))
    return total.__dict__


async def generate_all_windows() -> dict[str, int]:
    """Periodic job: every active hall's slots from today to the end of its booking window."""
    total = Generated()
    for hall in await Hall.filter(is_active=True):
        _, last = await window_of(hall)
        total.add(Generated(**await generate_for_hall(hall.id, first=today_at(hall), last=last)))
    return total.__dict__


async def regenerate(service: ServiceItem, *, hall: Hall, first: dt.date, last: dt.date,
                     calendar: WorkingCalendar) -> Generated:
    """Make stored slots follow the schedule from `first` to `last`, never touching a booked seat."""
    if service.schedule is None or last < first:
        return Generated()
    desired = generate_slots(parse_schedule(service.schedule), first=first, last=last,
                             calendar=calendar, tz=zone_of(hall))
    rows = await Slot.filter(service_id=service.id, day__gte=first, day__lte=last)
    existing = [ExistingSlot(id=r.id, start=r.start_at, end=r.end_at, capacity=r.capacity, booked=r.booked,
                             status=r.status) for r in rows]  # type: ignore[arg-type]
    plan = plan_regeneration(desired=desired, existing=existing)
    closures = await Closure.filter(hall_id=hall.id, day__gte=first, day__lte=last)
    await Slot.bulk_create([_new_slot(spec, service, hall, closures) for spec in plan.to_create],
                           ignore_conflicts=True)
    if plan.to_close:
        # Conditional: a seat booked since we read the slot keeps it open.
        await Slot.filter(id__in=[stale.id for stale in plan.to_close], booked=0, status="open").update(
            status="closed")
    for kept in plan.to_keep:
        if kept.capacity != kept.slot.capacity:
            await _set_capacity_at_least_booked(kept.slot.id, kept.capacity)
    return Generated(created=len(plan.to_create), closed=len(plan.to_close), kept=len(plan.to_keep))


async def _set_capacity_at_least_booked(slot_id: int, capacity: int) -> None:
    if not await Slot.filter(id=slot_id, booked__lte=capacity).update(capacity=capacity):
        await Slot.filter(id=slot_id).update(capacity=F("booked"))
    full_slots.seats_changed(slot_id)


def _new_slot(spec: SlotSpec, service: ServiceItem, hall: Hall, closures: list[Closure]) -> Slot:
    day = spec.start.astimezone(zone_of(hall)).date()
    closed = any(covers(closure, day=day, start=spec.start, end=spec.end, hall=hall) for closure in closures)
    return Slot(hall_id=hall.id, service_id=service.id, day=day, start_at=spec.start, end_at=spec.end,
                capacity=spec.capacity, booked=0, status="closed" if closed else "open", created_at=clock.now())


def covers(closure: Closure, *, day: dt.date, start: dt.datetime, end: dt.datetime, hall: Hall) -> bool:
    """Whether a closure (a whole day, or from/to local times) overlaps a slot."""
    if closure.day != day:
        return False
    zone = zone_of(hall)
    closed_from = dt.datetime.combine(day, _time(closure.start_time) or dt.time.min, tzinfo=zone)
    until = _time(closure.end_time)
    closed_to = (dt.datetime.combine(day, until, tzinfo=zone) if until
                 else dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return start < closed_to and end > closed_from


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


async def availability(*, hall_id: int, service_id: int, first: dt.date | None,
                       last: dt.date | None) -> dict[str, Any]:
    """GET /halls/{id}/availability: each day's working flag and its slots with what blocks them."""
    hall_view = await get_hall(hall_id)
    service = await repository.service_or_404(service_id, hall_id=hall_id)
    if not service.is_active:
        raise errors.ServiceNotFound(details={"service_id": service_id})
    hall = service.hall
    window_first, window_last = await window_of(hall)
    first = first or window_first
    last = last or max(window_last, first)
    if last < first or (last - first).days >= MAX_AVAILABILITY_DAYS:
        raise errors.invalid_setting("to", f"不能早于开始日期，且最多 {MAX_AVAILABILITY_DAYS} 天",
                                     location="query")
    calendar = await service_calendar.working_calendar(first, last)
    slots = await Slot.filter(service_id=service.id, day__gte=first, day__lte=last).order_by("start_at")
    days, now = [], clock.now()
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        in_window = window_first <= day <= window_last
        days.append({"date": day, "working_day": calendar.is_working_day(day),
                     "calendar_confirmed": calendar.is_confirmed(day),
                     "slots": [_slot_view(s, in_window=in_window, now=now) for s in slots if s.day == day]})
    return {"hall_id": hall_view["id"], "service_id": service.id,
            "window": {"first": window_first, "last": window_last}, "days": days}


def _slot_view(row: Slot, *, in_window: bool, now: dt.datetime) -> dict[str, Any]:
    reason = _refusal(row, in_window=in_window, now=now)
    return {"id": row.id, "start": row.start_at, "end": row.end_at, "capacity": row.capacity,
            "remaining": max(0, row.capacity - row.booked), "bookable": reason is None, "reason": reason}


def _refusal(row: Slot, *, in_window: bool, now: dt.datetime) -> str | None:
    """Why booking the slot now would be refused, or None: the booking error's code, checked in the order booking
    checks (service_booking._bookable_slot), so the reason shown is the answer a tap would get."""
    if not in_window:
        return "outside_booking_window"
    if row.start_at <= now:  # same-day booking: a slot that has begun is over for booking
        return "slot_started"
    if row.status != "open":
        return "slot_closed"
    if row.booked >= row.capacity:
        return "slot_full"
    return None
