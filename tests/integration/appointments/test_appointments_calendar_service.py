"""Working days on real stores: the 2026 Spring Festival, a 调休 Saturday, 2027 without data, admin edits."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from appointments import service_calendar, service_slots
from appointments.tables import CalendarDay, Slot
from server import stamps
from server.errors import Conflict, ValidationFailed
from tests.integration.appointments.booking_support import book, freeze, local, make_hall, person

D = dt.date
# Monday mornings only, other weekdays afternoons only: which weekday's schedule a day uses shows.
SPLIT = {"periods": {"mon": [["09:00", "12:00"]], **{d: [["14:00", "17:00"]] for d in ("tue", "wed", "thu", "fri")}},
         "slot_minutes": 60, "capacity": 5}


async def starts(world, day: D) -> list[int]:
    """Local start hours of a day's slots."""
    rows = await Slot.filter(service_id=world.service_id, day=day).order_by("start_at")
    return [r.start_at.astimezone(local(1, 1).tzinfo).hour for r in rows]


async def test_spring_festival_2026_and_the_tiaoxiu_saturday(db):
    # Thu 02-12: the window is Fri 02-13, Sat 02-14 (调休, works as a Monday), then the holiday
    # 02-15..02-23, then Tue 02-24, Wed 02-25, Thu 02-26: five working days.
    freeze(local(2, 12, 10))
    world = await make_hall(schedule=SPLIT)
    availability = await service_slots.availability(hall_id=world.hall_id, service_id=world.service_id,
                                                    first=D(2026, 2, 13), last=D(2026, 2, 27))
    assert availability["window"] == {"first": D(2026, 2, 13), "last": D(2026, 2, 26)}
    days = {d["date"]: d for d in availability["days"]}
    assert days[D(2026, 2, 14)]["working_day"] is True
    assert [s["start"].astimezone(local(1, 1).tzinfo).hour for s in days[D(2026, 2, 14)]["slots"]] == [9, 10, 11]
    for holiday in range(15, 24):
        assert days[D(2026, 2, holiday)]["working_day"] is False
        assert days[D(2026, 2, holiday)]["slots"] == []
    assert await starts(world, D(2026, 2, 13)) == [14, 15, 16]  # a Friday
    assert await starts(world, D(2026, 2, 24)) == [14, 15, 16]  # Tuesday after the holiday
    assert all(d["calendar_confirmed"] for d in availability["days"])
    booked = await book(world, local(2, 14, 9), person())
    assert booked["slot"]["date"] == D(2026, 2, 14)


async def test_a_year_without_data_falls_back_to_weekdays_unconfirmed_and_never_crashes(db):
    # Tue 2026-12-29: window Wed 12-30, Thu 12-31, then 2027 (no official data: Monday-Friday),
    # so Fri 2027-01-01 counts as a working day, then Mon 01-04 and Tue 01-05.
    freeze(local(12, 29, 10))
    world = await make_hall(schedule=SPLIT)
    availability = await service_slots.availability(hall_id=world.hall_id, service_id=world.service_id,
                                                    first=None, last=None)
    assert availability["window"] == {"first": D(2026, 12, 30), "last": D(2027, 1, 5)}
    confirmed = {d["date"]: d["calendar_confirmed"] for d in availability["days"]}
    assert confirmed[D(2026, 12, 31)] is True and confirmed[D(2027, 1, 1)] is False
    assert await starts(world, D(2027, 1, 1)) == [14, 15, 16]
    year = await service_calendar.get_year(2027)
    assert (year["confirmed"], year["source"], year["entries"]) == (False, "weekdays", [])


async def test_an_admin_calendar_is_authoritative_and_regeneration_keeps_booked_slots(db):
    freeze(local(12, 29, 10))
    world = await make_hall(schedule=SPLIT)
    kept = await book(world, local(1, 1, 14, year=2027), person())
    await service_calendar.replace_year(2027, [
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2027-01-02", "kind": "workday", "name": "调休", "stands_in_for": "mon"},
    ])
    year = await service_calendar.get_year(2027)
    assert (year["confirmed"], year["source"]) == (True, "admin")
    # 12-30, 12-31, 01-02 (a working Saturday), 01-04, 01-05: the window's end does not move.
    first, last = await service_slots.window_of(await _hall(world))
    assert (first, last) == (D(2026, 12, 30), D(2027, 1, 5))
    await service_slots.generate_for_hall(world.hall_id, first=D(2026, 12, 30), last=D(2027, 1, 5))
    holiday = await Slot.filter(service_id=world.service_id, day=D(2027, 1, 1)).order_by("start_at")
    # The booked 14:00 slot stays open for its booking; the other two close.
    assert [(s.booked, s.status) for s in holiday] == [(1, "open"), (0, "closed"), (0, "closed")]
    assert holiday[0].id == kept["slot"]["id"] and holiday[0].capacity == 1
    assert await starts(world, D(2027, 1, 2)) == [9, 10, 11]


async def test_library_years_are_seeded_once_and_admins_replace_them(db):
    first = await service_calendar.get_year(2026)
    assert first["source"] == "library" and first["confirmed"] is True
    spring = {e["date"]: e for e in first["entries"] if e["date"].month == 2}
    assert spring[D(2026, 2, 14)] == {"date": D(2026, 2, 14), "kind": "workday", "name": "春节调休",
                                      "stands_in_for": "mon"}
    assert await CalendarDay.filter(year=2026).count() == len(first["entries"])
    await service_calendar.get_year(2026)
    assert await CalendarDay.filter(year=2026).count() == len(first["entries"])
    replaced = await service_calendar.replace_year(2026, [{"date": "2026-10-01", "kind": "holiday", "name": "国庆"}])
    assert [e["date"] for e in replaced["entries"]] == [D(2026, 10, 1)]
    assert (await service_calendar.get_year(2026))["entries"] == replaced["entries"]


async def test_bad_calendar_entries_are_422_naming_the_field(db):
    with pytest.raises(ValidationFailed) as wrong_year:
        await service_calendar.replace_year(2026, [{"date": "2027-01-01", "kind": "holiday"}])
    assert wrong_year.value.details["fields"][0]["field"] == "entries[0].date"
    with pytest.raises(ValidationFailed) as bad_stand_in:
        await service_calendar.replace_year(2026, [{"date": "2026-01-01", "kind": "holiday", "stands_in_for": "mon"}])
    assert bad_stand_in.value.details["fields"][0]["field"] == "entries[0].stands_in_for"


async def test_two_admins_setting_different_days_at_once_both_keep_theirs(db):
    # On PostgreSQL the two run on separate pooled connections, each holding the year's row lock in turn.
    await asyncio.gather(
        service_calendar.set_day(2027, D(2027, 10, 1), {"kind": "holiday", "name": "国庆节"}, seen=None),
        service_calendar.set_day(2027, D(2027, 10, 9), {"kind": "workday", "name": "国庆调休", "stands_in_for": "fri"},
                                 seen=service_calendar.day_version(D(2027, 10, 9), None)))
    year = await service_calendar.get_year(2027)
    assert [(e["date"], e["kind"]) for e in year["entries"]] == [(D(2027, 10, 1), "holiday"), (D(2027, 10, 9), "workday")]
    assert year["source"] == "admin"


async def test_two_admins_changing_the_same_day_from_the_same_form_one_is_refused(db):
    seen = service_calendar.day_version(D(2027, 5, 3), None)
    results = await asyncio.gather(
        service_calendar.set_day(2027, D(2027, 5, 3), {"kind": "holiday", "name": "劳动节"}, seen=seen),
        service_calendar.set_day(2027, D(2027, 5, 3), {"kind": "holiday", "name": "五一"}, seen=seen),
        return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict) and refused[0].code == "calendar_changed"
    assert await CalendarDay.filter(day=D(2027, 5, 3)).count() == 1


async def test_a_day_of_a_library_year_is_changed_and_cleared_keeping_the_others(db):
    official = await service_calendar.get_year(2026)
    changed = await service_calendar.set_day(2026, D(2026, 3, 9), {"kind": "holiday", "name": "停工"})
    assert changed["source"] == "admin" and len(changed["entries"]) == len(official["entries"]) + 1
    cleared = await service_calendar.set_day(2026, D(2026, 2, 14), None)
    assert D(2026, 2, 14) not in {e["date"] for e in cleared["entries"]}
    assert len(cleared["entries"]) == len(official["entries"])
    with pytest.raises(ValidationFailed) as bad:
        await service_calendar.set_day(2026, D(2026, 3, 10), {"kind": "holiday", "stands_in_for": "mon"})
    assert bad.value.details["fields"][0]["field"] == "stands_in_for"


async def _hall(world):
    from appointments.tables import Hall

    return await Hall.get(id=world.hall_id)


async def test_another_workers_calendar_change_is_seen_within_a_second(db, monkeypatch):
    # Each process reads the change stamps from the database at most every stamps.MAX_AGE_S (every
    # booking asks). Another worker's PUT is its rows plus a stamp bump, without this process's
    # forget() and without this process learning of its own bump.
    now = [1000.0]
    monkeypatch.setattr(stamps, "_monotonic", lambda: now[0])
    first, last = D(2027, 1, 1), D(2027, 1, 10)
    before = await service_calendar.working_calendar(first, last)
    assert before.is_working_day(D(2027, 1, 4))
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(service_calendar, "forget", lambda: None)
        read_at = stamps._state().read_at
        await service_calendar.replace_year(2027, [{"date": "2027-01-04", "kind": "holiday", "name": "停工"}])
        stamps._state().read_at = read_at
    now[0] += stamps.MAX_AGE_S / 2
    assert (await service_calendar.working_calendar(first, last)).is_working_day(D(2027, 1, 4))
    now[0] += stamps.MAX_AGE_S
    after = await service_calendar.working_calendar(first, last)
    assert not after.is_working_day(D(2027, 1, 4)) and after.is_confirmed(D(2027, 1, 4))
    # This worker's own change is seen at once.
    await service_calendar.replace_year(2027, [])
    assert (await service_calendar.working_calendar(first, last)).is_working_day(D(2027, 1, 4))
