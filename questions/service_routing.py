"""Where a letter goes and by when: the dispatcher's suggested department, and reply deadlines
counted in working days on the district's calendar (appointments' working-day calendar)."""

from __future__ import annotations

from datetime import date, timedelta

from appointments import service as appointments
from questions.model import DEFAULT_REPLY_DAYS, suggest_department
from questions.tables import Department
from server import clock

CALENDAR_SPAN = timedelta(days=120)  # more than any reply deadline in working days


async def suggest(*, category: str | None, divisions: list[str]) -> int | None:
    """The department to offer the dispatcher for a letter's category and place."""
    rows = await Department.filter(is_active=True).order_by("id").values_list("id", "categories", "divisions")
    departments = [(int(i), list(c or []), list(d or [])) for i, c, d in rows]
    return suggest_department(category=category, divisions=divisions, departments=departments)


async def due_on(department_id: int | None, *, start: date | None = None) -> date:
    """The reply deadline: the department's number of working days after ``start`` (today)."""
    start = start or clock.today()
    days = DEFAULT_REPLY_DAYS
    if department_id is not None:
        found = await Department.filter(id=department_id).values_list("reply_days", flat=True)
        days = int(found[0]) if found else DEFAULT_REPLY_DAYS
    calendar = await appointments.working_calendar(start, start + CALENDAR_SPAN)
    return calendar.add_working_days(start, days)
