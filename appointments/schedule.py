"""Weekly schedules of a hall's service item, the slots they produce, idempotent regeneration."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from appointments.calendar import WEEKDAYS, InvalidSetting, WorkingCalendar

SLOT_MINUTES_RANGE = (5, 240)
CAPACITY_RANGE = (1, 500)
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
SlotStatus = Literal["open", "closed"]


@dataclass(frozen=True)
class Period:
    """A half-open opening period [start, end) in the hall's local wall-clock time."""

    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class WeeklySchedule:
    """Opening periods per weekday key, cut into slots of `slot_minutes` with `capacity` seats."""

    periods: Mapping[str, tuple[Period, ...]]
    slot_minutes: int
    capacity: int

    def to_dict(self) -> dict[str, object]:
        """The JSON form staff read and write: {periods: {"mon": [["09:00", "12:00"]]}, ...}."""
        periods = {
            day: [[p.start.strftime("%H:%M"), p.end.strftime("%H:%M")] for p in self.periods[day]]
            for day in WEEKDAYS
            if self.periods.get(day)
        }
        return {"periods": periods, "slot_minutes": self.slot_minutes, "capacity": self.capacity}


@dataclass(frozen=True)
class SlotSpec:
    """A slot the schedule wants: aware start and end, and its seats."""

    start: dt.datetime
    end: dt.datetime
    capacity: int


@dataclass(frozen=True)
class ExistingSlot:
    """A slot already stored, as regeneration needs to see it."""

    id: int
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int
    status: SlotStatus


@dataclass(frozen=True)
class KeptSlot:
    """An existing slot that stays, with the capacity it should have from now on."""

    slot: ExistingSlot
    capacity: int


@dataclass(frozen=True)
class RegenerationPlan:
    """What to write so the stored slots follow the schedule without touching anyone's booking."""

    to_create: tuple[SlotSpec, ...]
    to_close: tuple[ExistingSlot, ...]
    to_keep: tuple[KeptSlot, ...]


def parse_schedule(data: Mapping[str, object]) -> WeeklySchedule:
    """Validate a weekly schedule from JSON; raises InvalidSetting naming the offending field."""
    slot_minutes = _bounded_int(data.get("slot_minutes"), "slot_minutes", SLOT_MINUTES_RANGE)
    capacity = _bounded_int(data.get("capacity"), "capacity", CAPACITY_RANGE)
    raw_periods = data.get("periods")
    if not isinstance(raw_periods, Mapping):
        raise InvalidSetting("periods", "须为以星期（mon..sun）为键的对象")
    periods: dict[str, tuple[Period, ...]] = {}
    for day, items in raw_periods.items():
        if day not in WEEKDAYS:
            raise InvalidSetting(f"periods.{day}", "未知的星期，请用 mon..sun")
        periods[day] = _parse_day(items, path=f"periods.{day}", slot_minutes=slot_minutes)
    return WeeklySchedule(periods=periods, slot_minutes=slot_minutes, capacity=capacity)


def _bounded_int(value: object, path: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    # bool is an int in Python, but `true` is never a meaningful number of minutes or seats.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidSetting(path, f"须为 {low} 到 {high} 之间的整数")
    return value


def _parse_day(items: object, *, path: str, slot_minutes: int) -> tuple[Period, ...]:
    if not isinstance(items, list):
        raise InvalidSetting(path, '须为 ["HH:MM", "HH:MM"] 时段的列表')
    periods: list[Period] = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise InvalidSetting(item_path, '须为一对 ["HH:MM", "HH:MM"]')
        period = Period(_parse_time(item[0], item_path), _parse_time(item[1], item_path))
        if period.end <= period.start:
            raise InvalidSetting(item_path, "结束时间须晚于开始时间")
        if _minutes(period.end) - _minutes(period.start) < slot_minutes:
            raise InvalidSetting(item_path, "时段短于一个号源时长")
        if periods and period.start < periods[-1].end:
            raise InvalidSetting(item_path, "须在上一时段结束之后开始")
        periods.append(period)
    return tuple(periods)


def _parse_time(value: object, path: str) -> dt.time:
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidSetting(path, f"{value!r} 不是时间，应如 09:00")
    return dt.time(int(match[1]), int(match[2]))


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


def generate_slots(
    schedule: WeeklySchedule,
    *,
    first: dt.date,
    last: dt.date,
    calendar: WorkingCalendar,
    tz: dt.tzinfo,
) -> list[SlotSpec]:
    """The slots the schedule produces from `first` to `last` inclusive, in the hall's zone."""
    slots: list[SlotSpec] = []
    day = first
    while day <= last:
        weekday = calendar.schedule_weekday(day)
        for period in schedule.periods.get(weekday, ()) if weekday else ():
            slots.extend(_cut(period, day=day, schedule=schedule, tz=tz))
        day += dt.timedelta(days=1)
    return slots


def _cut(
    period: Period, *, day: dt.date, schedule: WeeklySchedule, tz: dt.tzinfo
) -> list[SlotSpec]:
    step = schedule.slot_minutes
    first, stop = _minutes(period.start), _minutes(period.end)
    # Stopping at the last whole slot leaves a remainder (e.g. 17:00-17:30 of 60-min slots) unused.
    return [
        SlotSpec(_at(day, start, tz), _at(day, start + step, tz), schedule.capacity)
        for start in range(first, stop - step + 1, step)
    ]


def _at(day: dt.date, minutes: int, tz: dt.tzinfo) -> dt.datetime:
    # Built from wall-clock parts, not by adding timedeltas, so a DST zone keeps local times.
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)


def plan_regeneration(
    *, desired: Iterable[SlotSpec], existing: Sequence[ExistingSlot]
) -> RegenerationPlan:
    """Reconcile stored slots with the schedule: create new, close unbooked stale, keep the rest."""
    wanted = {(spec.start, spec.end): spec for spec in desired}
    matched: set[tuple[dt.datetime, dt.datetime]] = set()
    to_close: list[ExistingSlot] = []
    to_keep: list[KeptSlot] = []
    for slot in existing:
        key = (slot.start, slot.end)
        spec = wanted.get(key)
        if spec is not None and key not in matched:
            matched.add(key)
            to_keep.append(KeptSlot(slot, max(spec.capacity, slot.booked)))
        elif slot.booked > 0:
            # The schedule dropped it, but people hold seats: honour them, sell no more.
            to_keep.append(KeptSlot(slot, slot.booked))
        elif slot.status == "open":
            to_close.append(slot)
        else:
            to_keep.append(KeptSlot(slot, slot.capacity))
    to_create = tuple(spec for key, spec in wanted.items() if key not in matched)
    return RegenerationPlan(to_create=to_create, to_close=tuple(to_close), to_keep=tuple(to_keep))
