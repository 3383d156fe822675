"""What the hall's clerks print and count: the day sheet (JSON or Excel-ready CSV) and daily stats."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from typing import Any

from appointments import errors, present, repository
from appointments.service_halls import zone_of
from appointments.tables import Booking, Rating, Ticket

MAX_STATS_DAYS = 92
STATUS_NAMES = {"booked": "已预约", "cancelled": "已取消", "checked_in": "已签到", "serving": "办理中",
                "completed": "已办结", "no_show": "爽约"}
CSV_HEADER = ("时段", "事项", "姓名", "身份证号", "手机号", "预约码", "状态", "票号")
# A cell starting with one of these is a formula to Excel; a leading quote keeps it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


async def day_sheet(hall_id: int, day: dt.date) -> list[dict[str, Any]]:
    """GET /staff/halls/{id}/bookings?date=: the day's bookings by time, people masked."""
    hall = await repository.hall_or_404(hall_id)
    rows = await (Booking.filter(hall_id=hall.id, day=day).select_related("service", "slot")
                  .order_by("slot_start", "id"))
    tickets = {t.booking_id: t for t in await Ticket.filter(booking_id__in=[r.id for r in rows])}
    zone = zone_of(hall)
    return [
        {"id": row.id, "code": row.code, "status": row.status,
         "time": f"{row.slot.start_at.astimezone(zone):%H:%M}-{row.slot.end_at.astimezone(zone):%H:%M}",
         "start": row.slot.start_at, "service": {"id": row.service.id, "name": row.service.name},
         "person": present.person(row), "ticket": tickets[row.id].label if row.id in tickets else None,
         "checked_in_at": row.checked_in_at}
        for row in rows
    ]


def day_sheet_csv(rows: list[dict[str, Any]]) -> bytes:
    """The day sheet as UTF-8 CSV with a BOM, so Excel on Chinese Windows opens it correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        person = row["person"]
        writer.writerow([_cell(value) for value in (
            row["time"], row["service"]["name"], person["name"] or "", person["id_number"] or "",
            person["phone"] or "", row["code"], STATUS_NAMES.get(row["status"], row["status"]),
            row["ticket"] or "")])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


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
