"""Statistics for the console: the direct-answer rate (questions solved by 一号答 without a letter ÷
questions asked) per category and month; letters' figures are added by service_letter_stats."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from questions import service_categories
from questions.model import month_key, ratio
from questions.tables import Ask
from server import config


def month_bounds(first: str, last: str) -> tuple[datetime, datetime]:
    """UTC-aware [start of month ``first``, start of the month after ``last``) in the district's zone."""
    tz = config.current().tz
    year, month = (int(p) for p in last.split("-"))
    after = (year + month // 12, month % 12 + 1)
    start = datetime.combine(datetime.strptime(first + "-01", "%Y-%m-%d").date(), time(), tzinfo=tz)
    end = datetime.combine(datetime(after[0], after[1], 1).date(), time(), tzinfo=tz)
    return start, end


async def direct_answers(*, first: str, last: str) -> dict[str, Any]:
    """GET /questions/stats/direct-answers: asked, solved and the rate per (month, category), and totals."""
    start, end = month_bounds(first, last)
    rows = await Ask.filter(created_at__gte=start, created_at__lt=end).values_list("created_at", "category",
                                                                                     "outcome")
    tz = config.current().tz
    cells: dict[tuple[str, str], list[int]] = {}
    for created_at, category, outcome in rows:
        cell = cells.setdefault((month_key(created_at, tz), category or ""), [0, 0])
        cell[0] += 1
        cell[1] += outcome == "solved"
    labels = await service_categories.labels()
    asked = sum(c[0] for c in cells.values())
    solved = sum(c[1] for c in cells.values())
    return {"from_month": first, "to_month": last, "asked": asked, "solved": solved, "rate": ratio(solved, asked),
            "rows": [{"month": month, "category": {"value": code or None, "label": labels.get(code, "未分类")},
                      "asked": n, "solved": s, "rate": ratio(s, n)}
                     for (month, code), (n, s) in sorted(cells.items())]}
