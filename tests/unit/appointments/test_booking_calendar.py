"""Working days: 2026 as published by the State Council (国办发明电〔2025〕7号), 2027 unpublished."""

import datetime as dt

import pytest

from appointments.model import (
    CalendarEntry,
    InvalidSetting,
    WorkingCalendar,
    library_entries,
    overlay,
    parse_entry,
    parse_year,
)

D = dt.date


@pytest.fixture(scope="module")
def cal_2026() -> WorkingCalendar:
    return WorkingCalendar.from_years([library_entries(2026), library_entries(2027)])


def test_2026_library_has_the_published_adjusted_working_weekends():
    year = library_entries(2026)
    workdays = {e.date: e for e in year.entries if e.kind == "workday"}
    # 元旦 Sun 1/4; 春节 Sat 2/14 and Sat 2/28; 劳动节 Sat 5/9; 国庆 Sun 9/20 and Sat 10/10.
    assert sorted(workdays) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert all(e.stands_in_for == "mon" for e in workdays.values())
    assert year.confirmed is True


def test_2026_library_holidays_have_chinese_names():
    holidays = {e.date: e.name for e in library_entries(2026).entries if e.kind == "holiday"}
    # 3 元旦 + 9 春节 + 3 清明 + 5 劳动节 + 3 端午 + 3 中秋 + 7 国庆
    assert len(holidays) == 33
    assert holidays[D(2026, 2, 17)] == "春节"
    assert holidays[D(2026, 9, 25)] == "中秋"
    assert holidays[D(2026, 10, 7)] == "国庆节"


def test_year_without_library_data_is_empty_and_unconfirmed():
    year = library_entries(2027)
    assert year.entries == ()
    assert year.confirmed is False


def test_spring_festival_2026_days_off(cal_2026):
    # 2/15 (Sun) to 2/23 (Mon) off; Fri 2/13 and Tue 2/24 are ordinary working days.
    assert cal_2026.is_working_day(D(2026, 2, 13))
    assert not any(cal_2026.is_working_day(D(2026, 2, d)) for d in range(15, 24))
    assert cal_2026.is_working_day(D(2026, 2, 24))
    assert cal_2026.schedule_weekday(D(2026, 2, 16)) is None


def test_adjusted_saturday_works_with_monday_schedule(cal_2026):
    saturday = D(2026, 2, 14)
    assert cal_2026.is_working_day(saturday)
    assert cal_2026.schedule_weekday(saturday) == "mon"
    # The Saturday before is an ordinary weekend: not a working day, its own key.
    assert not cal_2026.is_working_day(D(2026, 2, 7))
    assert cal_2026.schedule_weekday(D(2026, 2, 7)) == "sat"
    assert cal_2026.schedule_weekday(D(2026, 2, 24)) == "tue"


def test_add_working_days_across_spring_festival(cal_2026):
    # Thu 2/12 -> Fri 2/13 (1), Sat 2/14 调休 (2), Tue 2/24 (3), Wed 2/25 (4), Thu 2/26 (5)
    assert cal_2026.add_working_days(D(2026, 2, 12), 1) == D(2026, 2, 13)
    assert cal_2026.add_working_days(D(2026, 2, 12), 2) == D(2026, 2, 14)
    assert cal_2026.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert cal_2026.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert cal_2026.add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert cal_2026.add_working_days(D(2026, 2, 16), 0) == D(2026, 2, 16)


def test_2027_falls_back_to_monday_to_friday_unconfirmed(cal_2026):
    assert not cal_2026.is_confirmed(D(2027, 2, 8))
    assert cal_2026.is_confirmed(D(2026, 12, 31))
    # 2027-01-01 is a Friday: without data even New Year's Day counts as a working day.
    assert cal_2026.is_working_day(D(2027, 1, 1))
    assert not cal_2026.is_working_day(D(2027, 1, 2))
    assert cal_2026.schedule_weekday(D(2027, 1, 4)) == "mon"
    # Thu 2026-12-31 -> Fri 2027-01-01 (1), Mon 2027-01-04 (2)
    assert cal_2026.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)


def test_admin_entries_override_the_library():
    admin = [
        # The hall stays shut on the 调休 Saturday, and opens Sunday 2/22 with Friday's hours.
        CalendarEntry(date=D(2026, 2, 14), kind="holiday", name="大厅设备检修"),
        CalendarEntry(date=D(2026, 2, 22), kind="workday", name="加班", stands_in_for="fri"),
    ]
    cal = WorkingCalendar.from_years([library_entries(2026)], overrides=admin)
    assert not cal.is_working_day(D(2026, 2, 14))
    assert cal.is_working_day(D(2026, 2, 22))
    assert cal.schedule_weekday(D(2026, 2, 22)) == "fri"
    assert cal.entry(D(2026, 2, 14)).name == "大厅设备检修"
    # Untouched library entries remain.
    assert not cal.is_working_day(D(2026, 2, 17))


def test_admin_entries_make_an_unpublished_year_confirmed_only_when_told():
    admin = [CalendarEntry(date=D(2027, 2, 8), kind="holiday", name="春节")]
    cal = WorkingCalendar(admin, confirmed_years=[2027])
    assert cal.is_confirmed(D(2027, 2, 8))
    assert not cal.is_working_day(D(2027, 2, 8))  # a Monday, closed by the entry
    assert cal.is_working_day(D(2027, 2, 9))


def test_overlay_replaces_by_date():
    base = [CalendarEntry(date=D(2026, 5, 9), kind="workday", stands_in_for="mon")]
    top = [CalendarEntry(date=D(2026, 5, 9), kind="holiday", name="闭馆")]
    assert overlay(base, top) == top


def test_workday_on_weekend_without_stand_in_uses_monday():
    cal = WorkingCalendar([CalendarEntry(date=D(2026, 3, 7), kind="workday")], confirmed_years=[])
    assert cal.schedule_weekday(D(2026, 3, 7)) == "mon"


def test_duplicate_dates_are_refused():
    twice = [CalendarEntry(date=D(2026, 3, 7), kind="workday")] * 2
    with pytest.raises(InvalidSetting):
        WorkingCalendar(twice, confirmed_years=[])


def test_parse_admin_year():
    entries = parse_year(
        2026,
        [
            {"date": "2026-10-10", "kind": "workday", "name": "国庆调休", "stands_in_for": "thu"},
            {"date": "2026-10-01", "kind": "holiday", "name": "国庆节", "stands_in_for": None},
        ],
    )
    assert [e.date for e in entries] == [D(2026, 10, 1), D(2026, 10, 10)]
    assert entries[1].stands_in_for == "thu"


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ({"date": "2026-13-01", "kind": "holiday"}, "entries[0].date"),
        ({"date": "2026-10-01", "kind": "vacation"}, "entries[0].kind"),
        (
            {"date": "2026-10-10", "kind": "workday", "stands_in_for": "monday"},
            "entries[0].stands_in_for",
        ),
        (
            {"date": "2026-10-01", "kind": "holiday", "stands_in_for": "mon"},
            "entries[0].stands_in_for",
        ),
        ({"date": "2025-10-01", "kind": "holiday"}, "entries[0].date"),
    ],
)
def test_parse_admin_year_rejects(item, path):
    with pytest.raises(InvalidSetting) as caught:
        parse_year(2026, [item])
    assert caught.value.path == path


def test_parse_admin_year_rejects_the_same_date_twice():
    item = {"date": "2026-10-01", "kind": "holiday"}
    with pytest.raises(InvalidSetting) as caught:
        parse_year(2026, [item, item])
    assert caught.value.path == "entries[1].date"


def test_parse_entry_without_path():
    with pytest.raises(InvalidSetting) as caught:
        parse_entry({"date": 20261001, "kind": "holiday"})
    assert caught.value.path == "date"
