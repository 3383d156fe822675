"""A hall's booking rules: window, quotas, anti-scalping, cancellation, check-in and the no-show block."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Literal

from appointments.calendar import InvalidSetting, WorkingCalendar

CheckinStatus = Literal["too_early", "ok", "too_late"]
QuotaBreach = Literal["per_day", "per_week", "per_month"]
ScalpingBreach = Literal["max_accounts_per_person_month", "max_account_bookings_per_day",
                         "max_persons_per_account_month"]


@dataclass(frozen=True)
class HallRules:
    """Per-hall booking rules; the defaults are the usual ones of Chinese service halls."""

    book_from_days: int = 1  # calendar days ahead: 1 means from tomorrow
    book_until_working_days: int = 5
    max_per_day: int = 1  # active bookings per 身份证 per hall per day
    max_per_week: int = 2  # per 身份证, Monday to Sunday
    max_per_month: int = 6  # per 身份证, calendar month
    cancel_before_minutes: int = 60
    checkin_before_minutes: int = 30
    checkin_after_minutes: int = 15
    no_show_limit: int = 2
    no_show_window_days: int = 90
    block_days: int = 90
    # Anti-scalping (黄牛): one account books for a household, not for a market.
    max_persons_per_account_month: int = 5  # distinct 身份证 one account books for, per calendar month
    max_account_bookings_per_day: int = 2  # active bookings per account per hall per day
    max_accounts_per_person_month: int = 3  # accounts one 身份证 is booked from, per calendar month

    def to_dict(self) -> dict[str, int]:
        """The JSON form admins read and PATCH."""
        return asdict(self)


# Bounds keep an admin's typo (minutes for days, an extra zero) from locking out residents.
_BOUNDS: dict[str, tuple[int, int]] = {
    "book_from_days": (0, 30),
    "book_until_working_days": (1, 60),
    "max_per_day": (1, 10),
    "max_per_week": (1, 50),
    "max_per_month": (1, 200),
    "cancel_before_minutes": (0, 7 * 24 * 60),
    "checkin_before_minutes": (0, 240),
    "checkin_after_minutes": (0, 240),
    "no_show_limit": (1, 20),
    "no_show_window_days": (1, 366),
    "block_days": (1, 366),
    # Wide enough for a community worker booking for the elderly of a neighbourhood (and for the bench).
    "max_persons_per_account_month": (1, 1000),
    "max_account_bookings_per_day": (1, 200),
    "max_accounts_per_person_month": (1, 100),
}


def parse_rules(data: Mapping[str, object], *, base: HallRules | None = None) -> HallRules:
    """Apply a (partial) JSON object of rules onto `base` (defaults when None), validating each."""
    changes: dict[str, int] = {}
    for name, value in data.items():
        bounds = _BOUNDS.get(name)
        if bounds is None:
            raise InvalidSetting(name, "未知的规则")
        low, high = bounds
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidSetting(name, f"须为 {low} 到 {high} 之间的整数")
        changes[name] = value
    rules = replace(base or HallRules(), **changes)
    if rules.max_per_week > rules.max_per_month:
        path = "max_per_month" if "max_per_month" in changes else "max_per_week"
        raise InvalidSetting(path, "每周上限（max_per_week）不能超过每月上限（max_per_month）")
    return rules


def booking_window(
    *, today: dt.date, calendar: WorkingCalendar, rules: HallRules
) -> tuple[dt.date, dt.date]:
    """First and last date a resident may book on `today`; empty when first > last."""
    first = today + dt.timedelta(days=rules.book_from_days)
    last = calendar.add_working_days(today, rules.book_until_working_days)
    return first, last


def is_within_window(
    slot_date: dt.date, *, today: dt.date, calendar: WorkingCalendar, rules: HallRules
) -> bool:
    """Whether a slot on `slot_date` is bookable on `today` as far as the window goes."""
    first, last = booking_window(today=today, calendar=calendar, rules=rules)
    return first <= slot_date <= last


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the calendar week containing `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month containing `day`."""
    first = day.replace(day=1)
    # Day 28 exists in every month, and four days later is always in the next one.
    next_month = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, next_month - dt.timedelta(days=1)


def quota_breach(
    *,
    slot_date: dt.date,
    same_hall_dates: Iterable[dt.date],
    counted_dates: Iterable[dt.date],
    rules: HallRules,
) -> QuotaBreach | None:
    """Which per-身份证 quota a new booking on `slot_date` would break, given active bookings' dates.

    `same_hall_dates` are that person's active bookings at this hall; `counted_dates` those that
    count toward the weekly and monthly quotas (the service decides their scope).
    """
    if sum(1 for day in same_hall_dates if day == slot_date) >= rules.max_per_day:
        return "per_day"
    counted = list(counted_dates)
    week_first, week_last = week_bounds(slot_date)
    if sum(1 for day in counted if week_first <= day <= week_last) >= rules.max_per_week:
        return "per_week"
    month_first, month_last = month_bounds(slot_date)
    if sum(1 for day in counted if month_first <= day <= month_last) >= rules.max_per_month:
        return "per_month"
    return None


def scalping_breach(
    *,
    slot_date: dt.date,
    person: Hashable,
    account: Hashable,
    account_hall_dates: Iterable[dt.date],
    account_people: Iterable[tuple[dt.date, Hashable]],
    person_accounts: Iterable[tuple[dt.date, Hashable]],
    rules: HallRules,
) -> ScalpingBreach | None:
    """Which anti-scalping rule a booking of `person` from `account` on `slot_date` would break.

    `account_hall_dates`: the account's active bookings at this hall; `account_people`: (day,
    person) of every booking the account made (cancelled too: a household is who one books for);
    `person_accounts`: (day, account) of every booking made for the person. Months are the slot's
    calendar month, as for the quotas.
    """
    first, last = month_bounds(slot_date)
    accounts = {other for day, other in person_accounts if first <= day <= last} | {account}
    if len(accounts) > rules.max_accounts_per_person_month:
        return "max_accounts_per_person_month"
    if sum(1 for day in account_hall_dates if day == slot_date) >= rules.max_account_bookings_per_day:
        return "max_account_bookings_per_day"
    people = {other for day, other in account_people if first <= day <= last} | {person}
    if len(people) > rules.max_persons_per_account_month:
        return "max_persons_per_account_month"
    return None


def history_days(rules: HallRules) -> int:
    """How many days back the per-person and per-account rules read a booking.

    Two no-shows within `no_show_window_days` block for `block_days` after the latest, so the
    earlier one matters until `no_show_window_days + block_days` after it; the quotas and the
    anti-scalping rules read at most a calendar month back.
    """
    return max(rules.no_show_window_days + rules.block_days, 31)


def can_cancel(*, now: dt.datetime, slot_start: dt.datetime, rules: HallRules) -> bool:
    """Whether a resident may still cancel: until `cancel_before_minutes` before the start."""
    return now <= slot_start - dt.timedelta(minutes=rules.cancel_before_minutes)


def checkin_opens(slot_start: dt.datetime, rules: HallRules) -> dt.datetime:
    """The earliest moment a booked person may check in."""
    return slot_start - dt.timedelta(minutes=rules.checkin_before_minutes)


def checkin_deadline(slot_start: dt.datetime, rules: HallRules) -> dt.datetime:
    """The last moment to check in; after it the booking becomes a no-show (爽约)."""
    return slot_start + dt.timedelta(minutes=rules.checkin_after_minutes)


RATING_DAYS = 7  # a completed booking may be rated (好差评) for a week


def rating_closes(completed_at: dt.datetime) -> dt.datetime:
    """The last moment a completed booking may be rated."""
    return completed_at + dt.timedelta(days=RATING_DAYS)


def checkin_status(*, now: dt.datetime, slot_start: dt.datetime, rules: HallRules) -> CheckinStatus:
    """Whether a check-in at `now` is too early, in time, or too late (过号)."""
    if now < checkin_opens(slot_start, rules):
        return "too_early"
    if now > checkin_deadline(slot_start, rules):
        return "too_late"
    return "ok"


def block_until(
    no_show_times: Iterable[dt.datetime], *, now: dt.datetime, rules: HallRules
) -> dt.datetime | None:
    """When the person's booking block ends, or None if not blocked at `now`.

    `no_show_limit` no-shows within `no_show_window_days` of each other block new bookings for
    `block_days` from the latest of them; the block then lapses by itself.
    """
    times = sorted(moment for moment in no_show_times if moment <= now)
    span = dt.timedelta(days=rules.no_show_window_days)
    count = rules.no_show_limit
    ends = [
        times[index] + dt.timedelta(days=rules.block_days)
        for index in range(count - 1, len(times))
        if times[index] - times[index - count + 1] <= span
    ]
    until = max(ends, default=None)
    return until if until is not None and until > now else None
