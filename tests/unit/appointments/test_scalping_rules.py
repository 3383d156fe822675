"""Anti-scalping (黄牛) rules and how far back the rules look, with hand-picked dates (pure, no I/O)."""

import datetime as dt

import pytest

from appointments.model import HallRules, InvalidSetting, history_days, parse_rules, scalping_breach

D = dt.date
RULES = HallRules()
ME = "me"  # the person being booked for
TUESDAY = D(2026, 3, 10)


def breach(day: dt.date = TUESDAY, *, hall_dates=(), people=(), accounts=(), rules: HallRules = RULES):
    return scalping_breach(slot_date=day, person=ME, account=1, account_hall_dates=hall_dates,
                           account_people=people, person_accounts=accounts, rules=rules)


def test_a_household_of_five_books_and_a_sixth_person_is_refused():
    household = [(D(2026, 3, day), f"p{day}") for day in (2, 3, 11, 20)]
    assert breach(people=household) is None  # four others and me: five
    assert breach(people=[*household, (D(2026, 3, 31), "p31")]) == "max_persons_per_account_month"


def test_people_booked_again_count_once_and_last_month_does_not_count():
    again = [(D(2026, 3, 2), "p"), (D(2026, 3, 9), "p"), (D(2026, 3, 16), ME)]
    assert breach(people=again * 3) is None
    february = [(D(2026, 2, day), f"f{day}") for day in range(1, 28)]
    assert breach(people=february) is None
    # The slot's month decides: a booking on 04-01 starts a new household count.
    march = [(D(2026, 3, day), f"m{day}") for day in range(1, 6)]
    assert breach(D(2026, 3, 31), people=march) == "max_persons_per_account_month"
    assert breach(D(2026, 4, 1), people=march) is None


def test_two_active_bookings_per_account_per_hall_per_day():
    assert breach(hall_dates=[D(2026, 3, 10)]) is None
    assert breach(hall_dates=[D(2026, 3, 10)] * 2) == "max_account_bookings_per_day"
    assert breach(hall_dates=[D(2026, 3, 9), D(2026, 3, 11)]) is None


def test_a_fourth_account_for_one_person_in_a_month_is_refused():
    three = [(D(2026, 3, 2), 2), (D(2026, 3, 3), 3)]
    assert breach(accounts=three) is None  # accounts 2, 3 and mine
    assert breach(accounts=[*three, (D(2026, 3, 4), 4)]) == "max_accounts_per_person_month"
    assert breach(accounts=[*three, (D(2026, 3, 4), 1)]) is None  # my own account again
    assert breach(accounts=[*three, (D(2026, 2, 27), 4)]) is None  # another month


def test_accounts_per_person_is_checked_first():
    crowded = [(D(2026, 3, 1), n) for n in (2, 3, 4)]
    assert breach(hall_dates=[D(2026, 3, 10)] * 2, accounts=crowded) == "max_accounts_per_person_month"


def test_limits_follow_the_halls_rules():
    generous = parse_rules({"max_persons_per_account_month": 20, "max_account_bookings_per_day": 4,
                            "max_accounts_per_person_month": 5})
    household = [(D(2026, 3, day), f"p{day}") for day in range(1, 20)]
    assert breach(people=household, hall_dates=[D(2026, 3, 10)] * 3, rules=generous) is None
    assert breach(people=[*household, (D(2026, 3, 20), "x")], rules=generous) == "max_persons_per_account_month"


@pytest.mark.parametrize(("name", "value"), [("max_persons_per_account_month", 0),
                                             ("max_account_bookings_per_day", 201),
                                             ("max_accounts_per_person_month", True)])
def test_anti_scalping_settings_are_bounded(name: str, value: object):
    with pytest.raises(InvalidSetting) as caught:
        parse_rules({name: value})
    assert caught.value.path == name


def test_the_rules_look_back_as_far_as_a_no_show_pair_can_block():
    # Two no-shows 90 days apart block for 90 days after the second: the first still matters 180 days on.
    assert history_days(RULES) == 180
    assert history_days(parse_rules({"no_show_window_days": 30, "block_days": 60})) == 90
    # Never less than a month: the monthly quotas and the anti-scalping counts read that far.
    assert history_days(parse_rules({"no_show_window_days": 7, "block_days": 7})) == 31
