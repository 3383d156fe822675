"""Opening hours: validation with field paths, open now, next change, the vector table."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geo.hours import (
    HoursError,
    OpenNowTable,
    hours_to_dict,
    is_open,
    next_change,
    parse_hours,
)

SH = ZoneInfo("Asia/Shanghai")
# 2026-09-28 is a Monday; 2026-10-01 (National Day) a Thursday.
OFFICE = {
    "weekly": {
        day: [["09:00", "12:00"], ["14:00", "17:30"]] for day in ("mon", "tue", "wed", "thu", "fri")
    },
    "exceptions": [
        {"date": "2026-10-01", "periods": []},
        {"date": "2026-10-03", "periods": [["10:00", "15:00"]]},
    ],
}


def sh(day, hh, mm=0, ss=0):
    return datetime(2026, 9, 28, hh, mm, ss, tzinfo=SH) + timedelta(days=day)


@pytest.fixture
def office():
    return parse_hours(OFFICE)


@pytest.mark.parametrize(
    ("hh", "mm", "ss", "expected"),
    [
        (8, 59, 59, False),
        (9, 0, 0, True),
        (11, 59, 59, True),
        (12, 0, 0, False),  # lunch break starts
        (13, 30, 0, False),
        (14, 0, 0, True),
        (17, 29, 59, True),
        (17, 30, 0, False),
    ],
)
def test_is_open_across_lunch_break(office, hh, mm, ss, expected):
    assert is_open(office, sh(0, hh, mm, ss)) is expected


def test_is_open_uses_local_time_whatever_the_zone_of_at(office):
    # 03:30 UTC is 11:30 in Shanghai (open), 05:00 UTC is 13:00 (lunch).
    assert is_open(office, datetime(2026, 9, 28, 3, 30, tzinfo=UTC))
    assert not is_open(office, datetime(2026, 9, 28, 5, 0, tzinfo=UTC))
    # 23:30 UTC on Sunday is already Monday 07:30 in Shanghai: still closed.
    assert not is_open(office, datetime(2026, 9, 27, 23, 30, tzinfo=UTC))


def test_dated_exception_replaces_weekly_periods(office):
    assert not is_open(office, sh(3, 10))  # National Day, a Thursday: closed all day
    assert is_open(office, sh(2, 10))  # the Wednesday before is normal
    assert is_open(office, sh(5, 10))  # Saturday 3 Oct opens specially 10-15
    assert not is_open(office, sh(5, 15))
    assert not is_open(office, sh(12, 10))  # the following Saturday is closed as usual


def test_weekend_is_closed_when_days_are_missing(office):
    assert not is_open(office, sh(6, 10))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (sh(0, 8), (sh(0, 9), "opens")),
        (sh(0, 9), (sh(0, 12), "closes")),  # exactly at opening: the next change is closing
        (sh(0, 10), (sh(0, 12), "closes")),
        (sh(0, 12, 30), (sh(0, 14), "opens")),
        (sh(0, 18), (sh(1, 9), "opens")),
        (sh(2, 18), (sh(4, 9), "opens")),  # skips the closed holiday to Friday
        (sh(4, 18), (sh(5, 10), "opens")),  # the special Saturday opening
        (sh(5, 11), (sh(5, 15), "closes")),
        (sh(5, 16), (sh(7, 9), "opens")),  # next Monday
    ],
)
def test_next_change(office, at, expected):
    assert next_change(office, at) == expected


def test_next_change_is_returned_in_local_time(office):
    moment, change = next_change(office, datetime(2026, 9, 28, 0, 0, tzinfo=UTC))
    assert (moment.hour, moment.minute, change) == (9, 0, "opens")
    assert moment.utcoffset() == timedelta(hours=8)


def test_period_ending_at_midnight_joins_the_next_day():
    hours = parse_hours(
        {"weekly": {"sat": [["20:00", "24:00"]], "sun": [["00:00", "02:00"], ["08:00", "09:00"]]}}
    )
    assert is_open(hours, sh(5, 23, 59, 59))
    assert is_open(hours, sh(6, 0, 0))
    assert next_change(hours, sh(5, 21)) == (sh(6, 2), "closes")
    assert next_change(hours, sh(6, 1)) == (sh(6, 2), "closes")


def test_always_open_has_no_change_within_14_days():
    hours = parse_hours(
        {
            "weekly": {
                d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            }
        }
    )
    assert is_open(hours, sh(2, 3))
    assert next_change(hours, sh(2, 3)) is None


def test_never_open_has_no_change():
    assert next_change(parse_hours({}), sh(0, 9)) is None


def test_change_beyond_14_days_is_not_reported():
    far = parse_hours({"exceptions": [{"date": "2026-10-20", "periods": [["09:00", "10:00"]]}]})
    assert next_change(far, sh(0, 9)) is None  # 22 days ahead
    assert next_change(far, sh(9, 9)) == (sh(22, 9), "opens")  # 13 days ahead


def test_naive_datetime_is_refused(office):
    with pytest.raises(ValueError):
        is_open(office, datetime(2026, 9, 28, 10))
    with pytest.raises(ValueError):
        next_change(office, datetime(2026, 9, 28, 10))


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"weekly": {"monday": []}}, "weekly.monday"),
        ({"weekly": {"mon": [["9:00", "12:00"]]}}, "weekly.mon[0][0]"),
        ({"weekly": {"mon": [["09:00", "12:60"]]}}, "weekly.mon[0][1]"),
        ({"weekly": {"mon": [["24:00", "24:00"]]}}, "weekly.mon[0][0]"),
        ({"weekly": {"mon": [["09:00", "25:00"]]}}, "weekly.mon[0][1]"),
        ({"weekly": {"mon": [["12:00", "09:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"mon": [["09:00", "09:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"tue": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "weekly.tue[1]"),
        ({"weekly": {"tue": [["11:00", "13:00"], ["09:00", "12:00"]]}}, "weekly.tue[0]"),
        ({"weekly": {"tue": [["09:00"]]}}, "weekly.tue[0]"),
        ({"weekly": {"tue": "09:00-12:00"}}, "weekly.tue"),
        ({"weekly": []}, "weekly"),
        ({"hours": {}}, "hours"),
        ({"exceptions": {}}, "exceptions"),
        ({"exceptions": [{"date": "2026-02-30", "periods": []}]}, "exceptions[0].date"),
        ({"exceptions": [{"date": "20261001", "periods": []}]}, "exceptions[0].date"),
        ({"exceptions": [{"date": "2026-10-01"}]}, "exceptions[0]"),
        (
            {"exceptions": [{"date": "2026-10-01", "periods": [["10:00", "09:00"]]}]},
            "exceptions[0].periods[0]",
        ),
        (
            {
                "exceptions": [
                    {"date": "2026-10-01", "periods": []},
                    {"date": "2026-10-02", "periods": []},
                    {"date": "2026-10-01", "periods": [["09:00", "12:00"]]},
                ]
            },
            "exceptions[2].date",
        ),
    ],
)
def test_invalid_hours_name_the_field(raw, path):
    with pytest.raises(HoursError) as caught:
        parse_hours(raw)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.path == path
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.reason_zh)
    assert error.reason_en.isascii() and error.reason_en


def test_touching_periods_are_not_overlapping():
    hours = parse_hours({"weekly": {"mon": [["12:00", "14:00"], ["09:00", "12:00"]]}})
    assert is_open(hours, sh(0, 12))
    assert next_change(hours, sh(0, 10)) == (sh(0, 14), "closes")


def test_canonical_form_round_trips():
    raw = {
        "weekly": {"fri": [["14:00", "24:00"], ["08:30", "12:00"]], "sat": []},
        "exceptions": [
            {"date": "2026-10-02", "periods": []},
            {"date": "2026-10-01", "periods": [["10:00", "11:00"]]},
        ],
    }
    assert hours_to_dict(parse_hours(raw)) == {
        "weekly": {"fri": [["08:30", "12:00"], ["14:00", "24:00"]]},
        "exceptions": [
            {"date": "2026-10-01", "periods": [["10:00", "11:00"]]},
            {"date": "2026-10-02", "periods": []},
        ],
    }
    assert parse_hours(hours_to_dict(parse_hours(raw))) == parse_hours(raw)


def test_open_now_table_for_many_places(office):
    late = parse_hours({"weekly": {"mon": [["20:00", "24:00"]], "thu": [["08:00", "20:00"]]}})
    holiday_only = parse_hours(
        {"exceptions": [{"date": "2026-10-01", "periods": [["09:00", "11:00"]]}]}
    )
    table = OpenNowTable([office, None, late, holiday_only, office])
    assert table.open_mask(sh(0, 10)).tolist() == [True, False, False, False, True]
    assert table.open_mask(sh(0, 12, 30)).tolist() == [False] * 5
    assert table.open_mask(sh(0, 23, 59)).tolist() == [False, False, True, False, False]
    # National Day (Thursday): the office is closed, "late" keeps its weekly Thursday hours.
    assert table.open_mask(sh(3, 10)).tolist() == [False, False, True, True, False]
    # The same instant given in another zone.
    utc_10am_monday = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)
    assert table.open_mask(utc_10am_monday).tolist() == [True, False, False, False, True]
