"""Weekly schedules: validation, slot generation over 2026 working days, idempotent regeneration."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from appointments.model import (
    ExistingSlot,
    InvalidSetting,
    SlotSpec,
    WorkingCalendar,
    generate_slots,
    library_entries,
    parse_schedule,
    plan_regeneration,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CST = dt.timezone(dt.timedelta(hours=8))  # an independent way to spell Beijing time
UTC = dt.UTC
EXAMPLE = {
    "periods": {"mon": [["09:00", "12:00"], ["14:00", "17:30"]]},
    "slot_minutes": 60,
    "capacity": 4,
}


def at(day: int, hour: int, minute: int = 0, month: int = 2) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=CST)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar.from_years([library_entries(2026)])


def test_round_trip_of_the_issue_example():
    schedule = parse_schedule(EXAMPLE)
    assert schedule.slot_minutes == 60 and schedule.capacity == 4
    assert schedule.to_dict() == EXAMPLE
    assert schedule.periods["mon"][1].start == dt.time(14, 0)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"slot_minutes": 4}, "slot_minutes"),
        ({"slot_minutes": 241}, "slot_minutes"),
        ({"slot_minutes": "30"}, "slot_minutes"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 501}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"periods": [["09:00", "12:00"]]}, "periods"),
        ({"periods": {"monday": [["09:00", "12:00"]]}}, "periods.monday"),
        ({"periods": {"tue": [["9:00", "12:00"]]}}, "periods.tue[0]"),
        ({"periods": {"tue": [["09:00", "24:00"]]}}, "periods.tue[0]"),
        ({"periods": {"tue": [["09:00", "12:60"]]}}, "periods.tue[0]"),
        ({"periods": {"tue": [["12:00", "09:00"]]}}, "periods.tue[0]"),
        ({"periods": {"tue": [["09:00", "09:30"]]}}, "periods.tue[0]"),  # shorter than a slot
        ({"periods": {"tue": [["09:00"]]}}, "periods.tue[0]"),
        ({"periods": {"wed": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "periods.wed[1]"),
        ({"periods": {"wed": [["14:00", "17:00"], ["09:00", "12:00"]]}}, "periods.wed[1]"),
        ({"periods": {"wed": "09:00-12:00"}}, "periods.wed"),
    ],
)
def test_invalid_schedules_name_the_field(change, path):
    with pytest.raises(InvalidSetting) as caught:
        parse_schedule({**EXAMPLE, **change})
    assert isinstance(caught.value, ValueError)
    assert caught.value.path == path
    assert caught.value.reason


def test_slot_minutes_and_capacity_bounds_are_inclusive():
    schedule = parse_schedule({"periods": {}, "slot_minutes": 5, "capacity": 500})
    assert (schedule.slot_minutes, schedule.capacity) == (5, 500)
    four_hours = {"periods": {"mon": [["08:00", "12:00"]]}, "slot_minutes": 240, "capacity": 1}
    assert parse_schedule(four_hours).slot_minutes == 240


def test_adjacent_periods_are_allowed():
    schedule = parse_schedule(
        {**EXAMPLE, "periods": {"fri": [["09:00", "12:00"], ["12:00", "13:00"]]}}
    )
    assert len(schedule.periods["fri"]) == 2


def test_a_monday_with_lunch_break_and_unused_remainder(cal):
    slots = generate_slots(
        parse_schedule(EXAMPLE),
        first=dt.date(2026, 2, 9),
        last=dt.date(2026, 2, 9),
        calendar=cal,
        tz=SHANGHAI,
    )
    # 09-10, 10-11, 11-12, then 14-15, 15-16, 16-17; 17:00-17:30 is too short for a slot.
    starts = [9, 10, 11, 14, 15, 16]
    assert slots == [SlotSpec(at(9, h), at(9, h + 1), 4) for h in starts]
    assert slots[0].start == dt.datetime(2026, 2, 9, 1, 0, tzinfo=UTC)
    assert slots[0].start.utcoffset() == dt.timedelta(hours=8)


def test_spring_festival_week_uses_monday_hours_on_the_adjusted_saturday(cal):
    schedule = parse_schedule(
        {
            "periods": {
                "mon": [["09:00", "11:00"]],
                "tue": [["14:00", "15:00"]],
                "fri": [["08:30", "09:30"]],
            },
            "slot_minutes": 60,
            "capacity": 2,
        }
    )
    slots = generate_slots(
        schedule, first=dt.date(2026, 2, 13), last=dt.date(2026, 2, 24), calendar=cal, tz=SHANGHAI
    )
    assert [(s.start, s.end) for s in slots] == [
        (at(13, 8, 30), at(13, 9, 30)),  # Fri
        (at(14, 9), at(14, 10)),  # Sat 调休 with Monday's hours
        (at(14, 10), at(14, 11)),
        # Sun 2/15 .. Mon 2/23: Spring Festival, nothing (2/16 and 2/23 are Mondays)
        (at(24, 14), at(24, 15)),  # Tue
    ]


def test_thirty_minute_slots(cal):
    schedule = parse_schedule(
        {"periods": {"wed": [["08:45", "10:00"]]}, "slot_minutes": 30, "capacity": 3}
    )
    slots = generate_slots(
        schedule, first=dt.date(2026, 3, 4), last=dt.date(2026, 3, 4), calendar=cal, tz=SHANGHAI
    )
    assert [(s.start, s.end) for s in slots] == [
        (at(4, 8, 45, month=3), at(4, 9, 15, month=3)),
        (at(4, 9, 15, month=3), at(4, 9, 45, month=3)),
    ]


def _existing(slot_id, start, end, *, booked=0, capacity=4, status="open"):
    # Storage hands back UTC; matching must not depend on the zone a time is spelled in.
    return ExistingSlot(
        id=slot_id,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        capacity=capacity,
        booked=booked,
        status=status,
    )


def test_regeneration_on_an_empty_range_creates_everything():
    desired = [SlotSpec(at(9, 9), at(9, 10), 4), SlotSpec(at(9, 10), at(9, 11), 4)]
    plan = plan_regeneration(desired=desired, existing=[])
    assert plan.to_create == tuple(desired)
    assert plan.to_close == () and plan.to_keep == ()


def test_regeneration_keeps_booked_closes_unbooked_stale_and_creates_new():
    # Old schedule: 60-minute slots 09-12. New one: 09-10 with 6 seats, then 30-minute slots.
    s9 = _existing(1, at(9, 9), at(9, 10), booked=4, capacity=4)
    s10 = _existing(2, at(9, 10), at(9, 11), booked=3, capacity=4)
    s11 = _existing(3, at(9, 11), at(9, 12))
    desired = [
        SlotSpec(at(9, 9), at(9, 10), 6),
        SlotSpec(at(9, 10), at(9, 10, 30), 6),
        SlotSpec(at(9, 10, 30), at(9, 11), 6),
    ]
    plan = plan_regeneration(desired=desired, existing=[s9, s10, s11])
    kept = {k.slot.id: k.capacity for k in plan.to_keep}
    assert kept == {1: 6, 2: 3}  # 09-10 grows to 6; 10-11 is honoured with no seats left
    assert plan.to_close == (s11,)
    assert plan.to_create == tuple(desired[1:])


def test_capacity_cut_never_goes_below_booked():
    slot = _existing(7, at(9, 9), at(9, 10), booked=3, capacity=5)
    plan = plan_regeneration(desired=[SlotSpec(at(9, 9), at(9, 10), 2)], existing=[slot])
    assert [(k.slot.id, k.capacity) for k in plan.to_keep] == [(7, 3)]
    assert plan.to_create == () and plan.to_close == ()


def test_a_closed_matching_slot_stays_closed_and_is_not_duplicated():
    slot = _existing(8, at(9, 9), at(9, 10), status="closed")
    plan = plan_regeneration(desired=[SlotSpec(at(9, 9), at(9, 10), 4)], existing=[slot])
    assert plan.to_create == () and plan.to_close == ()
    assert plan.to_keep[0].slot.status == "closed"


def test_regeneration_is_idempotent(cal):
    schedule = parse_schedule(EXAMPLE)
    desired = generate_slots(
        schedule, first=dt.date(2026, 2, 9), last=dt.date(2026, 2, 9), calendar=cal, tz=SHANGHAI
    )
    first = plan_regeneration(desired=desired, existing=[])
    stored = [
        _existing(i, s.start, s.end, capacity=s.capacity, booked=i % 2)
        for i, s in enumerate(first.to_create)
    ]
    again = plan_regeneration(desired=desired, existing=stored)
    assert again.to_create == () and again.to_close == ()
    assert [k.capacity for k in again.to_keep] == [4] * 6


def test_saturday_hours_apply_on_ordinary_saturdays_only(cal):
    # Sat 10/3 is National Day, Sat 10/10 is a 调休 working day on Monday's hours (none here),
    # Sat 10/17 is an ordinary Saturday.
    schedule = parse_schedule(
        {"periods": {"sat": [["09:00", "10:00"]]}, "slot_minutes": 60, "capacity": 1}
    )
    slots = generate_slots(
        schedule, first=dt.date(2026, 10, 3), last=dt.date(2026, 10, 17), calendar=cal, tz=SHANGHAI
    )
    assert [(s.start, s.end) for s in slots] == [(at(17, 9, month=10), at(17, 10, month=10))]
