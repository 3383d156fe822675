"""The booking rules checked while the account's and the person's rows are locked.

One query reads the person's recent bookings and the account's bookings of the month; the pure
rules (appointments.rules) decide. Per 身份证: the no-show block, one booking per hall per day,
and per week and month across all halls of the district (one platform, as in Guangzhou since
2021); quotas count every booking that is not cancelled. Anti-scalping (黄牛): accounts per
身份证, people per account (both per calendar month, every booking counted), and active bookings
per account per hall per day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import errors, repository
from appointments.model import (
    HallRules,
    block_until,
    history_days,
    month_bounds,
    quota_breach,
    scalping_breach,
    week_bounds,
)
from appointments.repository import PastBooking

THIS_PERSON = "this person"  # stands for every lookup hash of the person being booked for


async def check_booking(conn: BaseDBAsyncClient, *, id_hashes: Sequence[str], account_id: int, hall_id: int,
                        day: dt.date, rules: HallRules, now: dt.datetime, zone: dt.tzinfo,
                        moving: int | None = None) -> None:
    """Raise the first rule a booking on `day` would break (403 booking_blocked, 409 otherwise).

    `moving` is the id of a booking being rescheduled: it does not count against itself, and a
    person already holding it is not refused for the block.
    """
    lookback = now - dt.timedelta(days=history_days(rules))
    month_first = month_bounds(day)[0]
    since = min(week_bounds(day)[0], month_first, lookback.astimezone(zone).date())
    history = [b for b in await repository.booking_history(conn, id_hashes=id_hashes, since=since,
                                                            account_id=account_id, account_since=month_first)
               if b.id != moving]
    persons = [b for b in history if b.id_hash in id_hashes]
    if moving is None:
        _check_block(persons, rules=rules, now=now, zone=zone, lookback=lookback)
    _check_quotas(persons, hall_id=hall_id, day=day, rules=rules)
    _check_scalping(history, id_hashes=id_hashes, account_id=account_id, hall_id=hall_id, day=day, rules=rules,
                    zone=zone)


def _check_block(history: list[PastBooking], *, rules: HallRules, now: dt.datetime, zone: dt.tzinfo,
                 lookback: dt.datetime) -> None:
    # A booking past its check-in deadline counts even before the worker marks it no_show.
    missed = [b.slot_start for b in history if b.slot_start >= lookback and
              (b.status == "no_show" or (b.status == "booked" and b.checkin_deadline < now))]
    until = block_until(missed, now=now, rules=rules)
    if until is not None:
        local = until.astimezone(zone)
        raise errors.BookingBlocked(f"因多次爽约，{local:%Y年%m月%d日 %H:%M}前暂停预约", until=local.isoformat())


def _check_quotas(history: list[PastBooking], *, hall_id: int, day: dt.date, rules: HallRules) -> None:
    counted = [b for b in history if b.status != "cancelled"]
    breach = quota_breach(slot_date=day, same_hall_dates=[b.day for b in counted if b.hall_id == hall_id],
                          counted_dates=[b.day for b in counted], rules=rules)
    if breach == "per_day":
        raise errors.DuplicateBooking(details={"date": day.isoformat()})
    if breach is not None:
        limit = rules.max_per_week if breach == "per_week" else rules.max_per_month
        period = "本周" if breach == "per_week" else "本月"
        raise errors.QuotaExceeded(f"该证件{period}预约次数已达上限（{limit}次）", quota=breach, limit=limit)


def _check_scalping(history: list[PastBooking], *, id_hashes: Sequence[str], account_id: int, hall_id: int,
                    day: dt.date, rules: HallRules, zone: dt.tzinfo) -> None:
    accounts = [b for b in history if b.account_id == account_id]
    breach = scalping_breach(
        slot_date=day, person=THIS_PERSON, account=account_id,
        account_hall_dates=[b.day for b in accounts if b.hall_id == hall_id and b.status != "cancelled"],
        account_people=[(b.day, THIS_PERSON if b.id_hash in id_hashes else b.id_hash) for b in accounts if b.id_hash],
        person_accounts=[(b.day, b.account_id) for b in history if b.id_hash in id_hashes], rules=rules)
    if breach == "max_account_bookings_per_day":
        raise errors.TooManyBookings(rule=breach, limit=rules.max_account_bookings_per_day, date=day.isoformat())
    if breach is not None:
        # Both monthly rules end with the slot's calendar month, at midnight where the hall is.
        next_month = month_bounds(day)[1] + dt.timedelta(days=1)
        until = dt.datetime.combine(next_month, dt.time(), tzinfo=zone).isoformat()
        error = errors.TooManyAccounts if breach == "max_accounts_per_person_month" else errors.TooManyPersons
        raise error(rule=breach, limit=getattr(rules, breach), until=until)
