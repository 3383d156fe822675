"""The demo halls (`bianmin seed-demo`) open as docs/appointments.md says, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from appointments import demo, service_slots
from appointments.tables import Hall, ServiceItem
from tests.integration.appointments.booking_support import CST, freeze, local

DOC = Path(__file__).parents[3] / "docs" / "appointments.md"
MORNING = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
AFTERNOON = ["14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00"]


async def _offered(hall_name: str, first: dt.date, last: dt.date) -> dict[str, tuple[bool, list[str]]]:
    """{date: (working_day, starts of the bookable slots)} of the hall's first service item."""
    hall = await Hall.get(name=hall_name)
    service = await ServiceItem.filter(hall_id=hall.id).order_by("id").first()
    shown = await service_slots.availability(hall_id=hall.id, service_id=service.id, first=first, last=last)
    return {day["date"].isoformat(): (day["working_day"], [f"{s['start'].astimezone(CST):%H:%M}"
                                                           for s in day["slots"] if s["bookable"]])
            for day in shown["days"]}


async def test_the_district_hall_opens_saturday_mornings_and_the_street_centres_weekdays_only(db):
    freeze(local(3, 12, 10))  # Thursday: the window runs Friday 03-13 to Thursday 03-19
    await demo.seed()
    friday, monday = dt.date(2026, 3, 13), dt.date(2026, 3, 16)
    assert await _offered("罗湖区行政服务大厅", friday, monday) == {
        "2026-03-13": (True, MORNING + AFTERNOON),
        "2026-03-14": (False, MORNING),  # a day off with bookable slots
        "2026-03-15": (False, []),
        "2026-03-16": (True, MORNING + AFTERNOON)}
    for street in ("东门街道便民服务中心", "黄贝街道便民服务中心"):
        offered = await _offered(street, friday, monday)
        assert [day for day, (_, starts) in offered.items() if starts] == ["2026-03-13", "2026-03-16"], street
    described = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"{await ServiceItem.all().count()} service items with Monday–Friday schedules and a lunch" in described
    assert "罗湖区行政服务大厅 also opens Saturday mornings, 09:00–12:00" in described
