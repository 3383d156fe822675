"""Working-day calendar: holidays, 调休 working weekends, and the fallback for unpublished years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import chinese_calendar

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EntryKind = Literal["holiday", "workday"]
# A 调休 weekend day works "as a Monday" unless the calendar entry says otherwise.
DEFAULT_STANDS_IN_FOR = "mon"


class InvalidSetting(ValueError):
    """A hall setting (calendar entry, schedule, rules) failed validation at `path` for `reason`."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def weekday_key(day: dt.date) -> str:
    """The schedule key ("mon".."sun") of a date's own weekday."""
    return WEEKDAYS[day.weekday()]


@dataclass(frozen=True)
class CalendarEntry:
    """An exception to the Monday–Friday rule: a holiday, or a working day (often a 调休 weekend)."""

    date: dt.date
    kind: EntryKind
    name: str = ""
    stands_in_for: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("holiday", "workday"):
            raise InvalidSetting("kind", "须为 holiday（放假）或 workday（调休上班）")
        if self.stands_in_for is not None:
            if self.kind != "workday":
                raise InvalidSetting("stands_in_for", "只有调休上班日（workday）可以顶替某个工作日")
            if self.stands_in_for not in WEEKDAYS:
                raise InvalidSetting("stands_in_for", f"须为以下之一：{'、'.join(WEEKDAYS)}")


@dataclass(frozen=True)
class YearEntries:
    """One year's calendar entries and whether an official source confirmed them."""

    year: int
    entries: tuple[CalendarEntry, ...]
    confirmed: bool


def library_entries(year: int) -> YearEntries:
    """A year's entries from chinese-calendar; empty and unconfirmed when it has no data."""
    first = dt.date(year, 1, 1)
    try:
        chinese_calendar.get_holiday_detail(first)
    except NotImplementedError:
        # The State Council publishes each year in November; until then we know nothing.
        return YearEntries(year=year, entries=(), confirmed=False)
    entries = []
    day = first
    while day.year == year:
        entry = _library_entry(day)
        if entry is not None:
            entries.append(entry)
        day += dt.timedelta(days=1)
    return YearEntries(year=year, entries=tuple(entries), confirmed=True)


def _library_entry(day: dt.date) -> CalendarEntry | None:
    is_holiday, english_name = chinese_calendar.get_holiday_detail(day)
    if english_name is None:
        return None  # an ordinary weekday or weekend
    name = chinese_calendar.Holiday(english_name).chinese
    if is_holiday:
        return CalendarEntry(date=day, kind="holiday", name=name)
    stands_in_for = DEFAULT_STANDS_IN_FOR if day.weekday() >= 5 else None
    return CalendarEntry(date=day, kind="workday", name=f"{name}调休", stands_in_for=stands_in_for)


def overlay(
    base: Iterable[CalendarEntry], overrides: Iterable[CalendarEntry]
) -> list[CalendarEntry]:
    """Entries of `base` with every date that `overrides` mentions replaced by the override."""
    merged = {entry.date: entry for entry in base}
    merged.update({entry.date: entry for entry in overrides})
    return sorted(merged.values(), key=lambda entry: entry.date)


class WorkingCalendar:
    """Answers which days a hall works and which weekday's schedule applies on them."""

    def __init__(self, entries: Iterable[CalendarEntry], confirmed_years: Iterable[int]) -> None:
        self._entries: dict[dt.date, CalendarEntry] = {}
        for entry in entries:
            if entry.date in self._entries:
                raise InvalidSetting(entry.date.isoformat(), "该日期有多条记录")
            self._entries[entry.date] = entry
        self._confirmed = frozenset(confirmed_years)

    @classmethod
    def from_years(
        cls, years: Iterable[YearEntries], overrides: Iterable[CalendarEntry] = ()
    ) -> WorkingCalendar:
        """A calendar from library years, with admins' entries taking precedence."""
        years = list(years)
        base = [entry for year in years for entry in year.entries]
        confirmed = [year.year for year in years if year.confirmed]
        return cls(overlay(base, overrides), confirmed)

    def entry(self, day: dt.date) -> CalendarEntry | None:
        """The explicit entry for a date, if any."""
        return self._entries.get(day)

    def is_confirmed(self, day: dt.date) -> bool:
        """Whether the date's year has official (library or admin) data, not just the fallback."""
        return day.year in self._confirmed

    def is_working_day(self, day: dt.date) -> bool:
        """Whether the hall works on this date: the entry decides, otherwise Monday–Friday."""
        entry = self._entries.get(day)
        if entry is not None:
            return entry.kind == "workday"
        return day.weekday() < 5

    def schedule_weekday(self, day: dt.date) -> str | None:
        """The weekday whose schedule applies: its own, a 调休 day's stand-in, None on a holiday."""
        entry = self._entries.get(day)
        if entry is None:
            # An ordinary weekend keeps its own key: a hall that opens on Saturdays says so
            # with "sat" periods, and most schedules have none.
            return weekday_key(day)
        if entry.kind == "holiday":
            return None
        if entry.stands_in_for is not None:
            return entry.stands_in_for
        return DEFAULT_STANDS_IN_FOR if day.weekday() >= 5 else weekday_key(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (before it when n < 0); `day` itself when n == 0."""
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day


def parse_entry(data: Mapping[str, object], *, path: str = "") -> CalendarEntry:
    """A calendar entry from an admin's JSON object ({date, kind, name, stands_in_for})."""
    prefix = f"{path}." if path else ""
    raw_date = data.get("date")
    try:
        day = dt.date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidSetting(f"{prefix}date", "须为日期，如 2026-02-14")
    name = data.get("name") or ""
    if not isinstance(name, str):
        raise InvalidSetting(f"{prefix}name", "须为文本")
    stands_in_for = data.get("stands_in_for")
    try:
        return CalendarEntry(
            date=day,
            kind=data.get("kind"),  # type: ignore[arg-type]  # checked by CalendarEntry
            name=name,
            stands_in_for=stands_in_for,  # type: ignore[arg-type]
        )
    except InvalidSetting as error:
        raise InvalidSetting(f"{prefix}{error.path}", error.reason) from None


def parse_year(year: int, items: Iterable[Mapping[str, object]]) -> list[CalendarEntry]:
    """Validate an admin's full list of entries for one year (the PUT body)."""
    entries = [parse_entry(item, path=f"entries[{index}]") for index, item in enumerate(items)]
    seen: set[dt.date] = set()
    for index, entry in enumerate(entries):
        if entry.date.year != year:
            raise InvalidSetting(f"entries[{index}].date", f"须在 {year} 年内")
        if entry.date in seen:
            raise InvalidSetting(f"entries[{index}].date", "该日期已有记录")
        seen.add(entry.date)
    return sorted(entries, key=lambda entry: entry.date)
