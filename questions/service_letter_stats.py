"""Letters' statistics for the console: per column, category and month, how many were written and
replied, the on-time reply rate (replied by the deadline ÷ replied) and the satisfaction rate
((满意 + 基本满意) ÷ rated); overdue letters counted."""

from __future__ import annotations

from typing import Any

from questions import service_columns
from questions.model import month_key, ratio
from questions.service_stats import month_bounds
from questions.tables import Letter
from server import config

SATISFIED = ("satisfied", "basically_satisfied")


def _cell() -> dict[str, int]:
    return {"letters": 0, "replied": 0, "on_time": 0, "rated": 0, "satisfied": 0, "overdue": 0}


def _add(cell: dict[str, int], row: tuple[Any, ...]) -> None:
    _, _, _, replied_at, due_on, rating, overdue_at = row
    cell["letters"] += 1
    if replied_at is not None:
        cell["replied"] += 1
        cell["on_time"] += due_on is None or replied_at.astimezone(config.current().tz).date() <= due_on
    if rating is not None:
        cell["rated"] += 1
        cell["satisfied"] += rating in SATISFIED
    cell["overdue"] += overdue_at is not None


def _rates(cell: dict[str, int]) -> dict[str, Any]:
    return {**cell, "on_time_rate": ratio(cell["on_time"], cell["replied"]),
            "satisfaction_rate": ratio(cell["satisfied"], cell["rated"])}


async def letter_stats(*, first: str, last: str) -> dict[str, Any]:
    """GET /questions/stats/letters: rows per (month, column, category) and the totals."""
    start, end = month_bounds(first, last)
    rows = await Letter.filter(created_at__gte=start, created_at__lt=end).exclude(
        status__in=("held", "rejected")).values_list(
        "created_at", "column_id", "category", "replied_at", "due_on", "rating", "overdue_at")
    tz = config.current().tz
    columns = await service_columns.names()
    cells: dict[tuple[str, str, str], dict[str, int]] = {}
    total = _cell()
    for row in rows:
        key = (month_key(row[0], tz), columns.get(row[1], ""), row[2] or "")
        _add(cells.setdefault(key, _cell()), row)
        _add(total, row)
    return {"from_month": first, "to_month": last, "total": _rates(total),
            "rows": [{"month": m, "column": c, "category": cat or None, **_rates(cell)}
                     for (m, c, cat), cell in sorted(cells.items())]}
