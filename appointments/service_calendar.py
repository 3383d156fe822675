"""The working-day calendar: seeded lazily per year from chinese-calendar, replaced by admins.

A year is stored once it has official data: the library's (seeded on first use) or an admin's
(authoritative; a PUT replaces the whole year, the console sets one day). A year with neither (2027 until the State
Council publishes it) is not stored: Monday–Friday applies and days are unconfirmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import errors
from appointments.model import (
    CalendarEntry,
    InvalidSetting,
    WorkingCalendar,
    YearEntries,
    library_entries,
    parse_year,
)
from appointments.tables import CalendarDay, CalendarYear
from server import audit, clock, stamps, storage

MIN_YEAR, MAX_YEAR = 2000, 2100
# Years read on the booking path, tagged with the calendar version they were read under, and the
# calendars built from them (a booking needs one per request).
_cache: dict[int, tuple[int, YearEntries]] = {}
_built: dict[tuple[int, int, int], WorkingCalendar] = {}
STAMP = "calendar"  # every booking asks; an admin's change reaches every process within stamps.MAX_AGE_S


async def working_calendar(first: dt.date, last: dt.date) -> WorkingCalendar:
    """A calendar covering `first` to `last` plus the following year (windows cross New Year)."""
    version = await stamps.current(STAMP)
    key = (version, first.year, last.year + 1)
    found = _built.get(key)
    if found is not None:
        return found
    years = []
    for year in range(first.year, last.year + 2):
        cached = _cache.get(year)
        if cached is None or cached[0] != version:
            cached = _cache[year] = (version, await year_entries(year))
        years.append(cached[1])
    calendar = WorkingCalendar.from_years(years)
    if len(_built) >= 16:
        _built.clear()
    _built[key] = calendar
    return calendar


def forget() -> None:
    """Drop this process's copies (the database was emptied or replaced under it: tests)."""
    _cache.clear()
    _built.clear()


async def year_entries(year: int) -> YearEntries:
    """A year's entries from storage, seeding them from the library on first use."""
    source = await CalendarYear.filter(year=year).values_list("source", flat=True)
    if not source and not await _seed_from_library(year):
        return YearEntries(year=year, entries=(), confirmed=False)
    rows = await CalendarDay.filter(year=year).order_by("day")
    return YearEntries(year=year, entries=tuple(_entry(row) for row in rows), confirmed=True)


async def get_year(year: int) -> dict[str, object]:
    """GET /admin/calendar/{year}: the entries, whether they are confirmed, and where they came from."""
    _check_year(year)
    entries = await year_entries(year)
    source = await CalendarYear.filter(year=year).values_list("source", flat=True)
    return _year_view(entries, source[0] if source else None)


async def replace_year(year: int, items: Iterable[Mapping[str, object]]) -> dict[str, object]:
    """PUT /admin/calendar/{year}: the admin's entries replace the year's, authoritatively."""
    _check_year(year)
    try:
        entries = parse_year(year, list(items))
    except InvalidSetting as error:
        raise errors.invalid_setting(error.path, error.reason) from None
    async with storage.transaction() as conn:
        await _claim_year(conn, year, source="admin")
        kept = await CalendarDay.filter(year=year).using_db(conn).order_by("day")
        await CalendarYear.filter(year=year).using_db(conn).update(source="admin", updated_at=clock.now())
        await CalendarDay.filter(year=year).using_db(conn).delete()
        await CalendarDay.bulk_create([_row(entry) for entry in entries], using_db=conn)
        await stamps.bump(STAMP, using_db=conn)
    forget()
    audit.changed(target=f"calendar_year={year}", before={"entries": [_logged(_entry(row)) for row in kept]},
                  after={"entries": [_logged(entry) for entry in sorted(entries, key=lambda e: e.date)]})
    return _year_view(YearEntries(year=year, entries=tuple(entries), confirmed=True), "admin")


async def set_day(year: int, day: dt.date, item: Mapping[str, object] | None, *,
                  seen: str | None = None) -> dict[str, object]:
    """One day's entry set (``None``: back to Monday–Friday) under the year's lock, other days kept.

    ``seen`` is ``day_version`` of the entry the admin's form was drawn from: when another admin
    changed that day meanwhile, the change is refused (409) rather than silently overwriting theirs.
    """
    _check_year(year)
    if day.year != year:
        raise errors.invalid_setting("date", f"须在 {year} 年内")
    try:
        entries = parse_year(year, [{**item, "date": day.isoformat()}] if item is not None else [])
    except InvalidSetting as error:
        raise errors.invalid_setting(error.path.removeprefix("entries[0]."), error.reason) from None
    await year_entries(year)  # a library year is seeded first, so the admin edits the official one
    async with storage.transaction() as conn:
        await _claim_year(conn, year, source="admin")
        current = await CalendarDay.filter(day=day).using_db(conn).first()
        if seen is not None and seen != day_version(day, _view_entry(_entry(current)) if current else None):
            raise errors.CalendarChanged()
        await CalendarDay.filter(day=day).using_db(conn).delete()
        await CalendarDay.bulk_create([_row(entry) for entry in entries], using_db=conn)
        await CalendarYear.filter(year=year).using_db(conn).update(source="admin", updated_at=clock.now())
        await stamps.bump(STAMP, using_db=conn)
    forget()
    audit.changed(target=f"calendar_day={day.isoformat()}",
                  before={"entry": _logged(_entry(current)) if current else "default"},
                  after={"entry": _logged(entries[0]) if entries else "default"})
    return await get_year(year)


def day_version(day: dt.date, entry: Mapping[str, object] | None) -> str:
    """A short fingerprint of one day's entry as ``get_year`` shows it, for ``set_day(seen=...)``."""
    text = f"{entry['kind']}|{entry['name']}|{entry['stands_in_for']}" if entry else ""
    return f"{day.isoformat()}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


async def _seed_from_library(year: int) -> bool:
    """Store the library's entries for `year` unless someone else did; False when it has none."""
    library = library_entries(year)
    if not library.confirmed:
        return False
    async with storage.transaction() as conn:
        row = await _claim_year(conn, year, source="library")
        # Only the first claimant seeds; an admin's year is never overwritten by the library.
        if row.source == "library" and not await CalendarDay.filter(year=year).using_db(conn).exists():
            await CalendarDay.bulk_create([_row(e) for e in library.entries], using_db=conn)
    return True


async def _claim_year(conn: BaseDBAsyncClient, year: int, *, source: str) -> CalendarYear:
    """Create the year's row if missing and hold its lock, so seeding and replacing serialise."""
    await CalendarYear.bulk_create([CalendarYear(year=year, source=source, updated_at=clock.now())],
                                   ignore_conflicts=True, using_db=conn)
    return await CalendarYear.filter(year=year).select_for_update().using_db(conn).get()


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise errors.invalid_setting("year", f"须在 {MIN_YEAR} 到 {MAX_YEAR} 年之间", location="path")


def _entry(row: CalendarDay) -> CalendarEntry:
    return CalendarEntry(date=row.day, kind=row.kind,  # type: ignore[arg-type]
                         name=row.name, stands_in_for=row.stands_in_for)


def _row(entry: CalendarEntry) -> CalendarDay:
    return CalendarDay(day=entry.date, year=entry.date.year, kind=entry.kind, name=entry.name,
                       stands_in_for=entry.stands_in_for)


def _year_view(entries: YearEntries, source: str | None) -> dict[str, object]:
    return {
        "year": entries.year,
        "confirmed": entries.confirmed,
        "source": source or "weekdays",
        "entries": [_view_entry(e) for e in entries.entries],
    }


def _logged(entry: CalendarEntry) -> str:
    """One entry as the operation log keeps it: ``2027-10-09 workday 国庆节 (sat)``."""
    name = f" {entry.name}" if entry.name else ""
    stands = f" ({entry.stands_in_for})" if entry.stands_in_for else ""
    return f"{entry.date.isoformat()} {entry.kind}{name}{stands}"


def _view_entry(entry: CalendarEntry) -> dict[str, object]:
    return {"date": entry.date, "kind": entry.kind, "name": entry.name, "stands_in_for": entry.stands_in_for}
