"""问一问 statistics in the console: letters per column, category and month with the on-time reply rate
and the satisfaction rate, and 一号答's direct-answer rate per category and month; ECharts charts and
CSV files. Every figure comes from the stats services the API serves; this module only sums their rows
by one dimension for the charts, with the services' own ratio."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sanic import Blueprint, HTTPResponse, Request

from console import sessions
from console.pages import install_error_pages, page, parse, render
from questions import service_categories, service_letter_stats, service_stats
from questions.model import ratio
from questions.schemas import StatsQuery
from server import clock
from server.csvfile import csv_bytes

bp = Blueprint("console_questions_stats", url_prefix="/console/questions")
install_error_pages(bp)
KEEPERS = ("editor", "answerer")
COUNTS = ("letters", "replied", "on_time", "rated", "satisfied", "overdue")
LETTER_HEADER = ("月份", "栏目", "分类", "来信数", "已答复", "按时答复", "按时答复率", "已评价", "满意（含基本满意）",
                 "满意率", "超期")
ANSWER_HEADER = ("月份", "分类", "提问数", "一号答直接解决", "直接答复率")
Console = sessions.Console


def _months(request: Request) -> StatsQuery:
    """From and to as YYYY-MM; the last six months by default."""
    today = clock.today()
    year, month = (today.year, today.month - 5) if today.month > 5 else (today.year - 1, today.month + 7)
    return parse(StatsQuery, {"from": request.args.get("from") or f"{year:04d}-{month:02d}",
                              "to": request.args.get("to") or f"{today:%Y-%m}"}, location="query")


def by(rows: Iterable[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """Letters' rows summed by one dimension (month, column or category), with the rates recomputed."""
    sums: dict[str, dict[str, Any]] = {}
    for row in rows:
        cell = sums.setdefault(row[key] or "", dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            cell[name] += row[name]
    for cell in sums.values():
        cell["on_time_rate"] = ratio(cell["on_time"], cell["replied"])
        cell["satisfaction_rate"] = ratio(cell["satisfied"], cell["rated"])
    return dict(sorted(sums.items()))


def percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _charts(letters: dict[str, Any], answers: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Counts per month, the three rates per month (in %), letters per column and per category."""
    months = by(letters["rows"], "month")
    asked: dict[str, list[int]] = {}
    for row in answers["rows"]:
        cell = asked.setdefault(row["month"], [0, 0])
        cell[0], cell[1] = cell[0] + row["asked"], cell[1] + row["solved"]
    x = sorted(set(months) | set(asked))
    empty = dict.fromkeys(COUNTS, 0) | {"on_time_rate": None, "satisfaction_rate": None}
    per_month = [months.get(m, empty) for m in x]
    columns, categories = by(letters["rows"], "column"), by(letters["rows"], "category")
    return {
        "counts": {"x": x, "series": [
            {"name": "来信", "type": "bar", "data": [c["letters"] for c in per_month]},
            {"name": "已答复", "type": "bar", "data": [c["replied"] for c in per_month]},
            {"name": "一号答提问", "type": "bar", "data": [asked.get(m, [0, 0])[0] for m in x]}]},
        "rates": {"x": x, "series": [
            {"name": "按时答复率 %", "type": "line", "data": [percent(c["on_time_rate"]) for c in per_month]},
            {"name": "满意率 %", "type": "line", "data": [percent(c["satisfaction_rate"]) for c in per_month]},
            {"name": "直接答复率 %", "type": "line",
             "data": [percent(ratio(asked[m][1], asked[m][0]) if m in asked else None) for m in x]}]},
        "columns": {"x": list(columns), "series": [
            {"name": "来信", "type": "bar", "data": [c["letters"] for c in columns.values()]},
            {"name": "已答复", "type": "bar", "data": [c["replied"] for c in columns.values()]}]},
        "categories": {"x": [labels.get(k, k or "未分类") for k in categories], "series": [
            {"name": "来信", "type": "bar", "data": [c["letters"] for c in categories.values()]}]},
    }


@bp.get("/stats")
@page(*KEEPERS)
async def stats(request: Request, *, console: Console) -> HTTPResponse:
    query = _months(request)
    letters = await service_letter_stats.letter_stats(first=query.from_, last=query.to)
    answers = await service_stats.direct_answers(first=query.from_, last=query.to)
    labels = await service_categories.labels()
    return render("questions/stats.html", console=console, tab="stats", query=query, letters=letters,
                  answers=answers, labels=labels, charts=_charts(letters, answers, labels))


@bp.get("/stats/letters.csv")
@page(*KEEPERS)
async def letters_csv(request: Request, *, console: Console) -> HTTPResponse:
    """Letters per month, column and category, with the two rates."""
    query = _months(request)
    labels = await service_categories.labels()
    found = await service_letter_stats.letter_stats(first=query.from_, last=query.to)
    rows = [(r["month"], r["column"], labels.get(r["category"], r["category"] or "未分类"), r["letters"], r["replied"],
             r["on_time"], _rate(r["on_time_rate"]), r["rated"], r["satisfied"], _rate(r["satisfaction_rate"]),
             r["overdue"]) for r in found["rows"]]
    return _csv(f"letters-{query.from_}-{query.to}.csv", LETTER_HEADER, rows)


@bp.get("/stats/direct-answers.csv")
@page(*KEEPERS)
async def direct_answers_csv(request: Request, *, console: Console) -> HTTPResponse:
    """一号答's direct-answer rate per month and category."""
    query = _months(request)
    found = await service_stats.direct_answers(first=query.from_, last=query.to)
    rows = [(r["month"], r["category"]["label"], r["asked"], r["solved"], _rate(r["rate"])) for r in found["rows"]]
    return _csv(f"direct-answers-{query.from_}-{query.to}.csv", ANSWER_HEADER, rows)


def _rate(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def _csv(filename: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> HTTPResponse:
    return HTTPResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                 "Cache-Control": "no-store"})
