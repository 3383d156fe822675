"""Opening hours (营业时间): weekly periods with dated exceptions, "open now" and "next change".

Wire form, as stored and as the API speaks it::

    {"weekly": {"mon": [["09:00", "12:00"], ["14:00", "17:30"]], ...},
     "exceptions": [{"date": "2026-10-01", "periods": []}]}

Times are wall-clock times in the service's zone (Asia/Shanghai unless told otherwise). A period
may end at "24:00"; a missing day is closed; an exception replaces the weekly periods of its date.
Lunch breaks (午休) are simply two periods on one day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index == date.weekday()
MINUTES_PER_DAY = 24 * 60
LOOKAHEAD_DAYS = 14

Period = tuple[int, int]  # (start, end) in minutes after local midnight; end may be 1440
Change = Literal["opens", "closes"]

_TIME_RE = re.compile(r"(\d\d):(\d\d)")
_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d")


class HoursError(ValueError):
    """Invalid opening hours; ``path`` points at the offending field, e.g. ``weekly.mon[1]``."""

    def __init__(self, path: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{path}: {reason_zh} / {reason_en}")
        self.path = path
        self.reason_zh = reason_zh
        self.reason_en = reason_en


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Validated opening hours: seven weekly period lists (Monday first) and dated exceptions."""

    weekly: tuple[tuple[Period, ...], ...] = ((),) * 7
    exceptions: Mapping[date, tuple[Period, ...]] = field(default_factory=dict)

    def periods_on(self, day: date) -> tuple[Period, ...]:
        """Periods that apply on a local date (the exception if there is one)."""
        found = self.exceptions.get(day)
        return found if found is not None else self.weekly[day.weekday()]


def parse_hours(raw: Mapping[str, Any]) -> OpeningHours:
    """Validate the wire form and return :class:`OpeningHours`; raises :class:`HoursError`."""
    if not isinstance(raw, Mapping):
        raise HoursError("opening_hours", "营业时间须为对象", "opening hours must be an object")
    for key in raw:
        if key not in ("weekly", "exceptions"):
            raise HoursError(str(key), "未知字段", "unknown field")
    return OpeningHours(
        weekly=_parse_weekly(raw.get("weekly", {})),
        exceptions=_parse_exceptions(raw.get("exceptions", [])),
    )


def _parse_weekly(raw: Any) -> tuple[tuple[Period, ...], ...]:
    if not isinstance(raw, Mapping):
        raise HoursError("weekly", "weekly 须为对象", "weekly must be an object")
    days: list[tuple[Period, ...]] = [()] * 7
    for key, periods in raw.items():
        if key not in DAY_KEYS:
            raise HoursError(
                f"weekly.{key}", "星期须为 mon…sun 之一", "day must be one of mon..sun"
            )
        days[DAY_KEYS.index(key)] = _parse_periods(periods, f"weekly.{key}")
    return tuple(days)


def _parse_exceptions(raw: Any) -> dict[date, tuple[Period, ...]]:
    if not isinstance(raw, list):
        raise HoursError("exceptions", "exceptions 须为列表", "exceptions must be a list")
    seen: dict[date, int] = {}
    parsed: dict[date, tuple[Period, ...]] = {}
    for i, item in enumerate(raw):
        path = f"exceptions[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"date", "periods"}:
            raise HoursError(path, "须为 {date, periods} 对象", "must be an object {date, periods}")
        day = _parse_date(item["date"], f"{path}.date")
        if day in seen:
            raise HoursError(
                f"{path}.date",
                f"日期与 exceptions[{seen[day]}] 重复",
                f"date repeats exceptions[{seen[day]}]",
            )
        seen[day] = i
        parsed[day] = _parse_periods(item["periods"], f"{path}.periods")
    return parsed


def _parse_date(raw: Any, path: str) -> date:
    if isinstance(raw, str) and _DATE_RE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise HoursError(path, "日期须为 YYYY-MM-DD", "date must be YYYY-MM-DD")


def _parse_periods(raw: Any, path: str) -> tuple[Period, ...]:
    if not isinstance(raw, list):
        raise HoursError(path, "时段须为列表", "periods must be a list")
    parsed: list[tuple[Period, int]] = []
    for i, pair in enumerate(raw):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise HoursError(
                f"{path}[{i}]", "时段须为 [开始, 结束]", "a period must be [start, end]"
            )
        start = _parse_time(pair[0], f"{path}[{i}][0]", may_be_midnight_end=False)
        end = _parse_time(pair[1], f"{path}[{i}][1]", may_be_midnight_end=True)
        if end <= start:
            raise HoursError(f"{path}[{i}]", "结束时间须晚于开始时间", "end must be after start")
        parsed.append(((start, end), i))
    parsed.sort()
    for (prev, _), (cur, i) in pairwise(parsed):
        if cur[0] < prev[1]:
            shown = f"{format_minutes(prev[0])}-{format_minutes(prev[1])}"
            raise HoursError(f"{path}[{i}]", f"与时段 {shown} 重叠", f"overlaps period {shown}")
    return tuple(period for period, _ in parsed)


def _parse_time(raw: Any, path: str, *, may_be_midnight_end: bool) -> int:
    match = _TIME_RE.fullmatch(raw) if isinstance(raw, str) else None
    if match:
        hours, minutes = int(match[1]), int(match[2])
        if (hours < 24 and minutes < 60) or (may_be_midnight_end and raw == "24:00"):
            return hours * 60 + minutes
    if may_be_midnight_end:
        raise HoursError(
            path, "时间须为 HH:MM（00:00 至 24:00）", "time must be HH:MM (00:00 to 24:00)"
        )
    raise HoursError(
        path, "开始时间须为 HH:MM（00:00 至 23:59）", "start must be HH:MM (00:00 to 23:59)"
    )


def format_minutes(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` (1440 -> ``24:00``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hours_to_dict(hours: OpeningHours) -> dict[str, Any]:
    """Canonical wire form: sorted periods, closed days omitted, exceptions by date."""

    def pairs(periods: Sequence[Period]) -> list[list[str]]:
        return [[format_minutes(s), format_minutes(e)] for s, e in periods]

    return {
        "weekly": {key: pairs(p) for key, p in zip(DAY_KEYS, hours.weekly) if p},
        "exceptions": [
            {"date": day.isoformat(), "periods": pairs(hours.exceptions[day])}
            for day in sorted(hours.exceptions)
        ],
    }


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")


def minute_of_day(local: datetime) -> float:
    """Minutes after local midnight, seconds included, for comparing with periods."""
    return local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60


def is_open(hours: OpeningHours, at: datetime, *, tz: tzinfo = SHANGHAI) -> bool:
    """Whether the place is open at the aware instant ``at`` (start inclusive, end exclusive)."""
    _require_aware(at)
    local = at.astimezone(tz)
    now = minute_of_day(local)
    return any(start <= now < end for start, end in hours.periods_on(local.date()))


def next_change(
    hours: OpeningHours, at: datetime, *, tz: tzinfo = SHANGHAI
) -> tuple[datetime, Change] | None:
    """Next opening or closing strictly after ``at`` within 14 days, or None if there is none."""
    _require_aware(at)
    horizon = at + timedelta(days=LOOKAHEAD_DAYS)
    first = at.astimezone(tz).date() - timedelta(days=1)
    last = horizon.astimezone(tz).date() + timedelta(days=1)
    for start, end in _merged_intervals(hours, first=first, last=last, tz=tz):
        for moment, change in ((start, "opens"), (end, "closes")):
            if at < moment <= horizon:
                return moment.astimezone(tz), change  # type: ignore[return-value]
            if moment > horizon:
                return None
    return None


def _merged_intervals(
    hours: OpeningHours, *, first: date, last: date, tz: tzinfo
) -> list[tuple[datetime, datetime]]:
    """Open intervals between two local dates, joining 24:00 with the next day's 00:00."""
    merged: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        for start, end in hours.periods_on(day):
            begin, finish = _local(day, start, tz), _local(day, end, tz)
            if merged and merged[-1][1] >= begin:
                merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
            else:
                merged.append((begin, finish))
        day += timedelta(days=1)
    return merged


def _local(day: date, minutes: int, tz: tzinfo) -> datetime:
    if minutes == MINUTES_PER_DAY:
        day, minutes = day + timedelta(days=1), 0
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)


class OpenNowTable:
    """All POIs' hours as flat numpy arrays, so ``open_now`` over 100k POIs is one vector test."""

    def __init__(self, hours: Sequence[OpeningHours | None]) -> None:
        """Build once per index; ``None`` (hours unknown) never counts as open."""
        owners: list[int] = []
        bounds: list[tuple[int, int]] = []
        by_date: dict[date, list[tuple[int, int, int]]] = {}
        for i, item in enumerate(hours):
            if item is None:
                continue
            for weekday, periods in enumerate(item.weekly):
                offset = weekday * MINUTES_PER_DAY
                owners.extend([i] * len(periods))
                bounds.extend((offset + s, offset + e) for s, e in periods)
            for day, periods in item.exceptions.items():
                # A closed exception day still needs a row so it can override the weekly hours.
                by_date.setdefault(day, []).extend([(i, s, e) for s, e in periods] or [(i, 0, 0)])
        self._size = len(hours)
        self._owner = np.array(owners, dtype=np.int64)
        self._bounds = np.array(bounds, dtype=np.float64).reshape(-1, 2)
        self._exceptions = {day: np.array(rows, dtype=np.float64) for day, rows in by_date.items()}

    def open_mask(self, at: datetime, *, tz: tzinfo = SHANGHAI) -> NDArray[np.bool_]:
        """Boolean array, one per POI, true where the POI is open at ``at``."""
        _require_aware(at)
        local = at.astimezone(tz)
        minute = minute_of_day(local)
        now = local.weekday() * MINUTES_PER_DAY + minute
        mask = np.zeros(self._size, dtype=bool)
        hit = (self._bounds[:, 0] <= now) & (now < self._bounds[:, 1])
        mask[self._owner[hit]] = True
        rows = self._exceptions.get(local.date())
        if rows is not None:
            owners = rows[:, 0].astype(np.int64)
            mask[owners] = False
            inside = (rows[:, 1] <= minute) & (minute < rows[:, 2])
            mask[owners[inside]] = True
        return mask
