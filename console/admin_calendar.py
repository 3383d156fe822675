"""工作日历: the administrators' year view of the working-day calendar, editable day by day.

Reading and saving go through appointments' calendar service, as ``GET``/``PUT
/api/v1/admin/calendar/{year}`` do: a day's change is ``service_calendar.set_day``, which changes
that one day under the year's lock (two admins editing different days both keep theirs), validated
by the same rules. A year with no official data (2027 until the State Council publishes it) shows
plain weekends until an admin sets days. The form carries a fingerprint of the selected day's entry,
so a change of that day saved meanwhile by another admin is not silently overwritten (409, redraw
and try again).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Literal

from pydantic import Field
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from appointments import service_calendar
from appointments.schemas_staff import Weekday
from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render
from server import clock
from server.schemas import Strict

bp = Blueprint("console_admin_calendar", url_prefix="/console/admin/calendar")
install_error_pages(bp)
ADMIN = "admin"
KINDS = {"default": "按星期（周一至周五上班）", "holiday": "放假（节假日）", "workday": "上班（调休）"}
WEEKDAYS = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五"}
SOURCES = {"library": "国务院公布的安排（chinese-calendar）", "admin": "管理员设定", "weekdays": "暂无官方安排，按周一至周五上班"}
Console = sessions.Console


class DayForm(Strict):
    day: dt.date
    kind: Literal["default", "holiday", "workday"]
    name: str = Field(default="", max_length=32)
    stands_in_for: Weekday | None = None
    version: str = Field(default="", max_length=64)


def _months(year: int, entries: dict[dt.date, dict[str, Any]], selected: dt.date | None) -> list[dict[str, Any]]:
    """Twelve month grids (weeks from Monday), each day with its class in the calendar."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            days = []
            for day in week:
                entry = entries.get(day)
                kind = entry["kind"] if entry else ("weekend" if day.weekday() >= 5 else "")
                days.append({"date": day, "in_month": day.month == month, "kind": kind,
                             "name": entry["name"] if entry else "", "selected": day == selected})
            weeks.append(days)
        months.append({"month": month, "weeks": weeks})
    return months


@bp.get("")
@page(ADMIN)
async def this_year(request: Request, *, console: Console) -> HTTPResponse:
    return redirect(f"/console/admin/calendar/{clock.local_now().year}", status=303)


@bp.get("/<year:int>")
@page(ADMIN)
async def year_view(request: Request, year: int, *, console: Console) -> HTTPResponse:
    view = await service_calendar.get_year(year)
    entries = {e["date"]: e for e in view["entries"]}
    wanted = request.args.get("day", "")
    selected = dt.date.fromisoformat(wanted) if wanted[:4] == str(year) and len(wanted) == 10 else None
    current = entries.get(selected) if selected else None
    return render("admin/calendar.html", console=console, tab="calendar", year=year, view=view,
                  months=_months(year, entries, selected), selected=selected, current=current, kinds=KINDS,
                  weekdays=WEEKDAYS, sources=SOURCES,
                  version=service_calendar.day_version(selected, current) if selected else "",
                  ok=request.args.get("ok", ""))


@bp.post("/<year:int>/day")
@page(ADMIN)
async def set_day(request: Request, year: int, *, console: Console) -> HTTPResponse:
    sent = {name: field(request, name) for name in ("day", "kind", "name", "stands_in_for", "version")}
    form = parse(DayForm, {**sent, "stands_in_for": sent["stands_in_for"] or None})
    item = None if form.kind == "default" else {
        "kind": form.kind, "name": form.name, "stands_in_for": form.stands_in_for if form.kind == "workday" else None}
    # The fingerprint names the day the form was drawn for; a date typed over it was not read first.
    seen = form.version if form.version.startswith(f"{form.day.isoformat()}:") else None
    await service_calendar.set_day(year, form.day, item, seen=seen)
    label = KINDS[form.kind].split("（")[0]
    return back(f"/console/admin/calendar/{year}", day=form.day.isoformat(), ok=f"已将 {form.day} 设为{label}")
