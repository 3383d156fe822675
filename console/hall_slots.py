"""The clerk's slot pages: capacity and closing of one slot, closures (停办) of a day or part of it
confirmed after the page says how many bookings will be cancelled, and the weekly schedule of a service
item with a preview of the slots it gives."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, HTTPResponse, Request

from appointments import service_closing, service_halls, service_slots
from appointments.schemas_staff import ClosureIn, DaySheetQuery, ScheduleIn, SlotPatch
from console import sessions
from console.hall import STAFF, back
from console.pages import field, in_hall, install_error_pages, page, parse, render
from server import clock

bp = Blueprint("console_hall_slots", url_prefix="/console/hall")
install_error_pages(bp)
Console = sessions.Console


@bp.get("/<hall_id:int>/slots")
@page(STAFF)
async def slots(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    hall = await service_halls.get_hall(hall_id)
    day = parse(DaySheetQuery, {"date": request.args.get("date") or None}, location="query").date or clock.today()
    return render("hall/slots.html", console=console, hall=hall, tab="slots", day=day,
                  slots=await service_closing.day_slots(hall_id, day), ok=request.args.get("ok", ""))


@bp.post("/<hall_id:int>/slots/<slot_id:int>")
@page(STAFF)
async def patch_slot(request: Request, hall_id: int, slot_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    body = parse(SlotPatch, {k: v for k, v in (("capacity", field(request, "capacity")), ("status", field(request, "status")),
                                              ("reason", field(request, "reason"))) if v})
    slot = await service_closing.patch_slot(slot_id, user=console.user, capacity=body.capacity, status=body.status,
                                            reason=body.reason)
    return back(f"/console/hall/{hall_id}/slots", date=slot["date"].isoformat(), ok="时段已更新")


def _closure(request: Request) -> ClosureIn:
    return parse(ClosureIn, {"date": field(request, "date"), "from": field(request, "from") or None,
                             "to": field(request, "to") or None, "reason": field(request, "reason")})


@bp.get("/<hall_id:int>/closures")
@page(STAFF)
async def closure_form(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    return render("hall/closure.html", console=console, hall=await service_halls.get_hall(hall_id), tab="slots",
                  form={"date": clock.today()})


@bp.post("/<hall_id:int>/closures/preview")
@page(STAFF)
async def closure_preview(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    """Step one: what the closure would do, and a button to confirm it."""
    in_hall(console, hall_id)
    closure = _closure(request)
    effect = await service_closing.closure_preview(hall_id, day=closure.date, start=closure.from_, end=closure.to)
    return render("hall/closure.html", console=console, hall=await service_halls.get_hall(hall_id), tab="slots",
                  form=_form(closure), effect=effect)


@bp.post("/<hall_id:int>/closures")
@page(STAFF)
async def add_closure(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    closure = _closure(request)
    done = await service_closing.add_closure(hall_id, user=console.user, day=closure.date, start=closure.from_,
                                             end=closure.to, reason=closure.reason)
    return render("hall/closure.html", console=console, hall=await service_halls.get_hall(hall_id), tab="slots",
                  form=_form(closure), done=done)


def _form(closure: ClosureIn) -> dict[str, Any]:
    return {"date": closure.date, "from": closure.from_.strftime("%H:%M") if closure.from_ else "",
            "to": closure.to.strftime("%H:%M") if closure.to else "", "reason": closure.reason}


WEEKDAYS = (("mon", "周一"), ("tue", "周二"), ("wed", "周三"), ("thu", "周四"), ("fri", "周五"), ("sat", "周六"),
            ("sun", "周日"))


def _schedule(request: Request) -> dict[str, Any]:
    """The form as the API's ScheduleIn: per weekday "09:00-12:00, 14:00-17:30"."""
    periods: dict[str, list[list[str]]] = {}
    for key, _label in WEEKDAYS:
        spans = [part.strip() for part in field(request, key).replace("，", ",").split(",") if part.strip()]
        if spans:
            periods[key] = [[t.strip() for t in span.replace("～", "-").replace("—", "-").split("-", 1)]
                            for span in spans]
    body = parse(ScheduleIn, {"periods": periods, "slot_minutes": field(request, "slot_minutes") or None,
                              "capacity": field(request, "capacity") or None})
    return body.model_dump()


def _schedule_text(schedule: dict[str, Any] | None) -> dict[str, str]:
    periods = (schedule or {}).get("periods", {})
    return {key: ", ".join(f"{a}-{b}" for a, b in periods.get(key, [])) for key, _label in WEEKDAYS}


@bp.get("/<hall_id:int>/schedules")
@page(STAFF)
async def schedules(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    return render("hall/schedules.html", console=console, hall=await service_halls.get_hall(hall_id), tab="slots",
                  services=await service_halls.list_services(hall_id))


@bp.get("/<hall_id:int>/schedules/<service_id:int>")
@page(STAFF)
async def schedule_form(request: Request, hall_id: int, service_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    current = (await service_slots.get_schedule(hall_id, service_id))["schedule"] or {}
    return render("hall/schedule.html", console=console, hall=await service_halls.get_hall(hall_id), tab="slots",
                  service_id=service_id, weekdays=WEEKDAYS, text=_schedule_text(current),
                  slot_minutes=current.get("slot_minutes", 30), capacity=current.get("capacity", 8),
                  ok=request.args.get("ok", ""))


@bp.post("/<hall_id:int>/schedules/<service_id:int>/preview")
@page(STAFF)
async def schedule_preview(request: Request, hall_id: int, service_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    data = _schedule(request)
    preview = await service_slots.preview_schedule(hall_id, service_id, data)
    return render("hall/schedule.html", console=console, hall=await service_halls.get_hall(hall_id), tab="slots",
                  service_id=service_id, weekdays=WEEKDAYS, text=_schedule_text(data), preview=preview,
                  slot_minutes=data["slot_minutes"], capacity=data["capacity"])


@bp.post("/<hall_id:int>/schedules/<service_id:int>")
@page(STAFF)
async def save_schedule(request: Request, hall_id: int, service_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    await service_slots.put_schedule(hall_id, service_id, _schedule(request))
    return back(f"/console/hall/{hall_id}/schedules/{service_id}", ok="排班已保存，可预约时段已按新排班生成")
