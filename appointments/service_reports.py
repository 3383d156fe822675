"""What the hall's clerks print and count: the day sheet (JSON or Excel-ready CSV) and daily stats."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from appointments import errors, present, repository
from appointments.service_halls import today_at, zone_of
from appointments.tables import Booking, Hall, Rating, Ticket
from server.csvfile import csv_bytes

MAX_STATS_DAYS = 92
STATUS_NAMES = {"booked": "已预约", "cancelled": "已取消", "checked_in": "已签到", "serving": "办理中",
                "completed": "已办结", "no_show": "爽约"}
CSV_HEADER = ("日期", "大厅", "时段", "事项", "姓名", "身份证号", "手机号", "预约码", "状态", "签到时间", "票号", "窗口")


async def day_sheet(hall_id: int, day: dt.date | None = None) -> list[dict[str, Any]]:
    """GET /staff/halls/{id}/bookings?date=: the day's bookings by time (today at the hall by default)."""
    hall = await repository.hall_or_404(hall_id)
    return await _rows(hall, day or today_at(hall))


async def day_sheet_file(hall_id: int, day: dt.date | None = None) -> tuple[str, bytes]:
    """?format=csv: the day sheet's file name and its CSV (today at the hall by default)."""
    hall = await repository.hall_or_404(hall_id)
    day = day or today_at(hall)
    return f"bookings-{hall.id}-{day.isoformat()}.csv", day_sheet_csv(await _rows(hall, day))


async def _rows(hall: Hall, day: dt.date) -> list[dict[str, Any]]:
    rows = await (Booking.filter(hall_id=hall.id, day=day).select_related("service", "slot")
                  .order_by("slot_start", "id"))
    tickets = {t.booking_id: t for t in await Ticket.filter(booking_id__in=[r.id for r in rows])}
    return [_row(row, tickets.get(row.id), hall) for row in rows]


def _row(row: Booking, ticket: Ticket | None, hall: Hall) -> dict[str, Any]:
    zone = zone_of(hall)
    return {"id": row.id, "code": row.code, "status": row.status, "date": row.day,
            "hall": {"id": hall.id, "name": hall.name, "timezone": hall.timezone},
            "time": f"{row.slot.start_at.astimezone(zone):%H:%M}-{row.slot.end_at.astimezone(zone):%H:%M}",
            "start": row.slot.start_at, "service": {"id": row.service.id, "name": row.service.name},
            "person": present.person(row), "ticket": ticket.label if ticket else None,
            "window": ticket.window if ticket else None, "checked_in_at": row.checked_in_at}


def day_sheet_csv(rows: list[dict[str, Any]]) -> bytes:
    """The day sheet as UTF-8 CSV with a BOM, so Excel on Chinese Windows opens it correctly."""
    return csv_bytes(CSV_HEADER, (_csv_cells(row) for row in rows))


def _csv_cells(row: dict[str, Any]) -> tuple[str, ...]:
    person, checked_in = row["person"], row["checked_in_at"]
    local_check_in = f"{checked_in.astimezone(ZoneInfo(row['hall']['timezone'])):%H:%M}" if checked_in else ""
    return (row["date"].isoformat(), row["hall"]["name"], row["time"], row["service"]["name"], person["name"] or "",
            person["id_number"] or "", person["phone"] or "", row["code"], STATUS_NAMES.get(row["status"], row["status"]),
            local_check_in, row["ticket"] or "", row["window"] or "")


async def stats(hall_id: int, *, first: dt.date, last: dt.date) -> dict[str, Any]:
    """GET /staff/halls/{id}/stats: per day booked, checked in, no-shows, cancellations, ratings."""
    hall = await repository.hall_or_404(hall_id)
    if last < first or (last - first).days >= MAX_STATS_DAYS:
        raise errors.invalid_setting("to", f"不能早于开始日期，且最多 {MAX_STATS_DAYS} 天",
                                     location="query")
    bookings = await Booking.filter(hall_id=hall.id, day__gte=first, day__lte=last).values(
        "id", "day", "status", "checked_in_at")
    walk_ins = await Ticket.filter(hall_id=hall.id, day__gte=first, day__lte=last, kind="walk_in").values_list(
        "day", flat=True)
    scores = await Rating.filter(hall_id=hall.id, booking__day__gte=first, booking__day__lte=last).values_list(
        "booking__day", "score")
    return {"hall_id": hall.id, "from": first, "to": last,
            "days": _per_day(first, last, bookings, list(walk_ins), list(scores))}


def _per_day(first: dt.date, last: dt.date, bookings: list[dict[str, Any]], walk_ins: list[dt.date],
             scores: list[tuple[dt.date, int]]) -> list[dict[str, Any]]:
    by_day: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for row in bookings:
        by_day[row["day"]].append(row)
    ratings: dict[dt.date, list[int]] = defaultdict(list)
    for day, score in scores:
        ratings[day].append(score)
    days = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        rows = by_day.get(day, [])
        given = ratings.get(day, [])
        days.append({
            "date": day,
            "booked": sum(1 for r in rows if r["status"] != "cancelled"),
            "checked_in": sum(1 for r in rows if r["checked_in_at"] is not None),
            "no_shows": sum(1 for r in rows if r["status"] == "no_show"),
            "cancellations": sum(1 for r in rows if r["status"] == "cancelled"),
            "walk_ins": sum(1 for d in walk_ins if d == day),
            "ratings": len(given),
            "average_rating": round(sum(given) / len(given), 2) if given else None,
        })
    return days
