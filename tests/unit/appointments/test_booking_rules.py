"""Booking rules with hand-computed dates and times (2026 calendar as published)."""

import datetime as dt

import pytest

from appointments.model import (
    HallRules,
    InvalidSetting,
    WorkingCalendar,
    block_until,
    booking_window,
    can_cancel,
    checkin_deadline,
    checkin_status,
    is_within_window,
    library_entries,
    month_bounds,
    parse_rules,
    quota_breach,
    week_bounds,
)

D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))
RULES = HallRules()


def t(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=CST)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar.from_years([library_entries(2026), library_entries(2027)])


def test_defaults_are_the_issue_rules():
    assert RULES.to_dict() == {
        "book_from_days": 1,
        "book_until_working_days": 5,
        "max_per_day": 1,
        "max_per_week": 2,
        "max_per_month": 6,
        "cancel_before_minutes": 60,
        "checkin_before_minutes": 30,
        "checkin_after_minutes": 15,
        "no_show_limit": 2,
        "no_show_window_days": 90,
        "block_days": 90,
        "max_persons_per_account_month": 5,
        "max_account_bookings_per_day": 2,
        "max_accounts_per_person_month": 3,
    }


def test_window_from_friday_before_national_day(cal):
    # Fri 9/25 (中秋). Working days after it: Mon 9/28, Tue 9/29, Wed 9/30, (10/1-10/7 off),
    # Thu 10/8, Fri 10/9 -> the fifth is 10/9.
    assert booking_window(today=D(2026, 9, 25), calendar=cal, rules=RULES) == (
        D(2026, 9, 26),
        D(2026, 10, 9),
    )
    within = lambda day: is_within_window(day, today=D(2026, 9, 25), calendar=cal, rules=RULES)
    assert within(D(2026, 9, 28)) and within(D(2026, 10, 9))
    assert not within(D(2026, 9, 25))  # same day
    assert not within(D(2026, 10, 10))  # the 调休 Saturday is the sixth working day


def test_window_counts_an_adjusted_sunday(cal):
    # Fri 9/18: Sun 9/20 works (1), then Mon 9/21 .. Thu 9/24 (2..5).
    assert booking_window(today=D(2026, 9, 18), calendar=cal, rules=RULES) == (
        D(2026, 9, 19),
        D(2026, 9, 24),
    )


def test_window_into_an_unpublished_year_uses_monday_to_friday(cal):
    # Mon 12/28: 12/29, 12/30, 12/31, Fri 2027-01-01 (no data: a working day), Mon 2027-01-04.
    assert booking_window(today=D(2026, 12, 28), calendar=cal, rules=RULES)[1] == D(2027, 1, 4)


def test_window_with_same_day_booking_and_three_days(cal):
    rules = HallRules(book_from_days=0, book_until_working_days=3)
    # Thu 4/30: Fri 5/1-Tue 5/5 off; Wed 5/6 (1), Thu 5/7 (2), Fri 5/8 (3).
    assert booking_window(today=D(2026, 4, 30), calendar=cal, rules=rules) == (
        D(2026, 4, 30),
        D(2026, 5, 8),
    )


def test_week_and_month_bounds():
    assert week_bounds(D(2026, 10, 1)) == (D(2026, 9, 28), D(2026, 10, 4))
    assert week_bounds(D(2026, 10, 4)) == (D(2026, 9, 28), D(2026, 10, 4))  # Sunday ends it
    assert week_bounds(D(2026, 9, 28)) == (D(2026, 9, 28), D(2026, 10, 4))
    assert month_bounds(D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert month_bounds(D(2028, 2, 10)) == (D(2028, 2, 1), D(2028, 2, 29))
    assert month_bounds(D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31))
    assert month_bounds(D(2026, 1, 31)) == (D(2026, 1, 1), D(2026, 1, 31))


def _breach(slot_date, same_hall=(), counted=(), rules=RULES):
    return quota_breach(
        slot_date=slot_date, same_hall_dates=same_hall, counted_dates=counted, rules=rules
    )


def test_quotas_per_day_week_month():
    wed = D(2026, 10, 14)  # its week runs Mon 10/12 .. Sun 10/18
    assert _breach(wed) is None
    assert _breach(wed, same_hall=[wed], counted=[wed]) == "per_day"
    assert _breach(wed, same_hall=[D(2026, 10, 13)], counted=[D(2026, 10, 13)]) is None
    assert _breach(wed, counted=[D(2026, 10, 12), D(2026, 10, 18)]) == "per_week"
    assert _breach(wed, counted=[D(2026, 10, 9), D(2026, 10, 16)]) is None  # 10/9 is last week
    five = [D(2026, 10, d) for d in (8, 9, 19, 20, 26)]
    assert _breach(wed, counted=five) is None
    assert _breach(wed, counted=[*five, D(2026, 10, 27)]) == "per_month"
    assert _breach(wed, counted=[*five, D(2026, 9, 30)]) is None  # September does not count


def test_cancellation_until_one_hour_before():
    start = t(10, 14, 9)
    assert can_cancel(now=t(10, 14, 7, 59), slot_start=start, rules=RULES)
    assert can_cancel(now=t(10, 14, 8, 0), slot_start=start, rules=RULES)
    assert not can_cancel(now=t(10, 14, 8, 1), slot_start=start, rules=RULES)


def test_checkin_window():
    start = t(10, 14, 9)
    status = lambda hour, minute: checkin_status(
        now=t(10, 14, hour, minute), slot_start=start, rules=RULES
    )
    assert status(8, 29) == "too_early"
    assert status(8, 30) == "ok"
    assert status(9, 15) == "ok"
    assert status(9, 16) == "too_late"
    assert checkin_deadline(start, RULES) == t(10, 14, 9, 15)


def test_checkin_compares_instants_not_wall_clocks():
    start = t(10, 14, 9)
    utc_now = dt.datetime(2026, 10, 14, 0, 45, tzinfo=dt.UTC)  # 08:45 in Beijing
    assert checkin_status(now=utc_now, slot_start=start, rules=RULES) == "ok"


def test_two_no_shows_80_days_apart_block_for_90_days():
    # 1/1 + 80 days = 3/22; 3/22 + 90 days = 6/20.
    no_shows = [t(1, 1), t(3, 22)]
    assert block_until(no_shows, now=t(4, 1), rules=RULES) == t(6, 20)
    assert block_until(no_shows, now=t(6, 20, 9, 59), rules=RULES) == t(6, 20)
    assert block_until(no_shows, now=t(6, 20), rules=RULES) is None  # ends by itself


def test_two_no_shows_100_days_apart_do_not_block():
    assert block_until([t(1, 1), t(4, 11)], now=t(4, 12), rules=RULES) is None


def test_exactly_90_days_apart_still_counts():
    # 1/1 + 90 days = 4/1; block until 4/1 + 90 days = 6/30.
    assert block_until([t(4, 1), t(1, 1)], now=t(4, 2), rules=RULES) == t(6, 30)


def test_one_no_show_does_not_block():
    assert block_until([t(3, 1)], now=t(3, 2), rules=RULES) is None
    assert block_until([], now=t(3, 2), rules=RULES) is None


def test_block_runs_from_the_latest_qualifying_pair():
    # 1/1 and 5/1 are 120 days apart; 5/1 and 6/1 qualify -> until 6/1 + 90 = 8/30.
    assert block_until([t(1, 1), t(5, 1), t(6, 1)], now=t(7, 1), rules=RULES) == t(8, 30)


def test_block_with_a_limit_of_three():
    rules = HallRules(no_show_limit=3)
    assert block_until([t(1, 1), t(2, 1)], now=t(2, 2), rules=rules) is None
    # 1/1 .. 3/1 spans 59 days; 3/1 + 90 = 5/30.
    assert block_until([t(1, 1), t(2, 1), t(3, 1)], now=t(3, 2), rules=rules) == t(5, 30)


def test_parse_rules_patches_onto_the_current_rules():
    current = HallRules(cancel_before_minutes=120)
    patched = parse_rules({"max_per_week": 3, "block_days": 120}, base=current)
    assert patched.max_per_week == 3 and patched.block_days == 120
    assert patched.cancel_before_minutes == 120  # untouched
    assert parse_rules({}) == HallRules()
    assert parse_rules(RULES.to_dict()) == RULES


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"max_per_weak": 2}, "max_per_weak"),
        ({"max_per_day": 0}, "max_per_day"),
        ({"max_per_month": True}, "max_per_month"),
        ({"checkin_after_minutes": "15"}, "checkin_after_minutes"),
        ({"block_days": 3650}, "block_days"),
        ({"cancel_before_minutes": -1}, "cancel_before_minutes"),
        ({"max_per_week": 7}, "max_per_week"),  # more than the 6 a month allows
        ({"max_per_month": 1}, "max_per_month"),
    ],
)
def test_parse_rules_rejects(data, path):
    with pytest.raises(InvalidSetting) as caught:
        parse_rules(data)
    assert caught.value.path == path
