"""The hall clerk's pages (their halls only): day sheet, check-in, queue, ratings and 回访, statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from appointments import (
    service_checkin,
    service_halls,
    service_ratings,
    service_reports,
    service_tickets,
)
from appointments.schemas_staff import (
    CallIn,
    CheckinIn,
    DaySheetQuery,
    FollowUpIn,
    PhoneRevealIn,
    StatsQuery,
    WalkinIn,
)
from console import sessions
from console.pages import Redisplay, field, in_hall, install_error_pages, page, parse, render
from server import clock, errors, ratelimit

bp = Blueprint("console_hall", url_prefix="/console")
install_error_pages(bp)
STAFF = "staff"
ACTIONS = {"call": "call", "recall": "call", "complete": "complete", "no-show": "no_show"}
DONE = {"call": "已叫号", "recall": "已重呼", "complete": "已办结", "no-show": "已过号"}
Console = sessions.Console


async def _hall(console: Console, hall_id: int) -> dict[str, Any]:
    in_hall(console, hall_id)
    return await service_halls.get_hall(hall_id)


def back(path: str, **query: str) -> HTTPResponse:
    wanted = {k: v for k, v in query.items() if v}
    return redirect(path + ("?" + urlencode(wanted) if wanted else ""), status=303)


@bp.get("/halls")
@page(STAFF)
async def halls(request: Request, *, console: Console) -> HTTPResponse:
    mine = [h for h in await service_halls.list_halls() if console.user.can_serve(h["id"])]
    return render("hall/halls.html", console=console, halls=mine)


@bp.get("/hall/<hall_id:int>/day")
@page(STAFF)
async def day_sheet(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    hall = await _hall(console, hall_id)
    query = parse(DaySheetQuery, {"date": request.args.get("date") or None}, location="query")
    rows = await service_reports.day_sheet(hall_id, query.date)
    day = query.date or (rows[0]["date"] if rows else clock.today())
    return render("hall/day.html", console=console, hall=hall, rows=rows, day=day, tab="day",
                  names=service_reports.STATUS_NAMES, started=clock.now(), ok=request.args.get("ok", ""))


@bp.get("/hall/<hall_id:int>/day.csv")
@page(STAFF)
async def day_sheet_csv(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    query = parse(DaySheetQuery, {"date": request.args.get("date") or None}, location="query")
    filename, body = await service_reports.day_sheet_file(hall_id, query.date)
    return HTTPResponse(body, content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                 "Cache-Control": "no-store"})


@bp.post("/hall/<hall_id:int>/bookings/<booking_id:int>/no-show")
@page(STAFF)
async def booking_no_show(request: Request, hall_id: int, booking_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    booking = await service_tickets.booking_no_show(booking_id, user=console.user)
    return back(f"/console/hall/{hall_id}/day", date=field(request, "date"), ok=f"预约 {booking['code']} 已记为爽约")


@bp.get("/hall/<hall_id:int>/checkin")
@page(STAFF)
async def checkin_page(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    hall = await _hall(console, hall_id)
    return render("hall/checkin.html", console=console, hall=hall, tab="checkin")


@bp.post("/hall/<hall_id:int>/checkin")
@page(STAFF)
async def check_in(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    """What a USB scanner or the clerk typed: a QR token (it has a dot) or a booking code."""
    hall = await _hall(console, hall_id)
    scanned = field(request, "scan")
    body = parse(CheckinIn, {"token": scanned} if "." in scanned else {"code": scanned})
    try:
        result = await service_checkin.check_in(user=console.user, token=body.token, code=body.code)
    except errors.DomainError as error:  # the clerk scans the next one at once: the form stays, with why
        raise Redisplay(error, "hall/checkin.html", hall=hall, tab="checkin") from None
    return render("hall/checkin.html", console=console, hall=hall, tab="checkin", result=result)


@bp.get("/hall/<hall_id:int>/queue")
@page(STAFF)
async def queue(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    hall = await _hall(console, hall_id)
    tickets = await service_tickets.hall_tickets(hall_id, status=None)
    services = await service_halls.list_services(hall_id)
    return render("hall/queue.html", console=console, hall=hall, tab="queue", tickets=tickets, services=services,
                  window=request.args.get("window", ""), ok=request.args.get("ok", ""))


@bp.post("/hall/<hall_id:int>/tickets/<ticket_id:int>/<action:str>")
@page(STAFF)
async def move_ticket(request: Request, hall_id: int, ticket_id: int, action: str, *,
                      console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    if action not in ACTIONS:
        raise errors.NotFound()
    window = field(request, "window")
    call = parse(CallIn, {"window": window}) if ACTIONS[action] == "call" else None
    ticket = await service_tickets.move_ticket(ticket_id, ACTIONS[action], user=console.user,
                                               window=call.window if call else None)
    return back(f"/console/hall/{hall_id}/queue", window=window, ok=f"{ticket['label']} {DONE[action]}")


@bp.post("/hall/<hall_id:int>/call-next")
@page(STAFF)
async def call_next(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    """叫下一位: the oldest waiting ticket of the hall today, to this window."""
    in_hall(console, hall_id)
    call = parse(CallIn, {"window": field(request, "window")})
    waiting = await service_tickets.hall_tickets(hall_id, status="waiting")
    if not waiting:
        return back(f"/console/hall/{hall_id}/queue", window=call.window, ok="当前没有等候的号")
    ticket = await service_tickets.move_ticket(waiting[0]["id"], "call", user=console.user, window=call.window)
    return back(f"/console/hall/{hall_id}/queue", window=call.window, ok=f"{ticket['label']} 已叫号")


@bp.post("/hall/<hall_id:int>/walkins")
@page(STAFF)
async def walk_in(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    body = parse(WalkinIn, {"service_id": field(request, "service_id") or None})
    ticket = await service_checkin.walk_in(hall_id, service_id=body.service_id)
    return back(f"/console/hall/{hall_id}/queue", window=field(request, "window"), ok=f"已取号 {ticket['label']}")


@bp.get("/hall/<hall_id:int>/ratings")
@page(STAFF)
async def ratings(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    hall = await _hall(console, hall_id)
    rows = await service_ratings.list_ratings(hall_id, dissatisfied=True, follow_up_status=None)
    return render("hall/ratings.html", console=console, hall=hall, tab="ratings", ratings=rows,
                  ok=request.args.get("ok", ""))


@bp.post("/hall/<hall_id:int>/ratings/<rating_id:int>")
@page(STAFF)
async def follow_up(request: Request, hall_id: int, rating_id: int, *, console: Console) -> HTTPResponse:
    in_hall(console, hall_id)
    body = parse(FollowUpIn, {"follow_up_status": field(request, "status"), "follow_up_note": field(request, "note")})
    await service_ratings.follow_up(rating_id, user=console.user, status=body.follow_up_status,
                                    note=body.follow_up_note)
    return back(f"/console/hall/{hall_id}/ratings", ok="回访记录已保存")


@bp.post("/hall/<hall_id:int>/ratings/<rating_id:int>/phone")
@page(STAFF)
async def reveal_phone(request: Request, hall_id: int, rating_id: int, *, console: Console) -> HTTPResponse:
    """An htmx fragment: the phone of one dissatisfied rating, after the clerk gave a reason."""
    in_hall(console, hall_id)
    body = parse(PhoneRevealIn, {"reason": field(request, "reason")})
    await ratelimit.check(("phone_reveal",), request, user=console.user)
    revealed = await service_ratings.reveal_phone(rating_id, user=console.user, reason=body.reason)
    return render("hall/fragments/phone.html", console=console, revealed=revealed)


@bp.get("/hall/<hall_id:int>/stats")
@page(STAFF)
async def stats(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    hall = await _hall(console, hall_id)
    today = clock.today()
    query = parse(StatsQuery, {"from": request.args.get("from") or (today - dt.timedelta(days=13)).isoformat(),
                               "to": request.args.get("to") or today.isoformat()}, location="query")
    report = await service_reports.stats(hall_id, first=query.from_, last=query.to)
    return render("hall/stats.html", console=console, hall=hall, tab="stats", report=report,
                  chart=_chart(report["days"]), first=query.from_, last=query.to)


def _chart(days: list[dict[str, Any]]) -> dict[str, Any]:
    series = (("booked", "预约"), ("checked_in", "签到"), ("no_shows", "爽约"), ("walk_ins", "现场取号"))
    return {"x": [d["date"].strftime("%m-%d") for d in days],
            "series": [{"name": label, "type": "bar" if key == "booked" else "line", "data": [d[key] for d in days]}
                       for key, label in series]}
