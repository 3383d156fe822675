"""The per-身份证 rules, checked while the person's row is locked: quotas and the no-show block.

One query reads the person's recent bookings; the pure rules (appointments.rules) decide.
Quotas count every booking that is not cancelled: one per hall per day, and per week and
month across all halls of the district (one platform, as in Guangzhou since 2021).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import errors, repository
from appointments.model import HallRules, block_until, month_bounds, quota_breach, week_bounds
from appointments.repository import PastBooking


async def check_person(conn: BaseDBAsyncClient, *, id_hashes: Sequence[str], hall_id: int, day: dt.date, rules: HallRules,
                       now: dt.datetime, zone: dt.tzinfo, moving: int | None = None) -> None:
    """Raise booking_blocked, duplicate_booking or quota_exceeded for a booking on `day`.

    `moving` is the id of a booking being rescheduled: it does not count against itself, and a
    person already holding it is not refused for the block.
    """
    lookback = now - dt.timedelta(days=rules.no_show_window_days + rules.block_days)
    since = min(week_bounds(day)[0], month_bounds(day)[0], lookback.astimezone(zone).date())
    history = await repository.person_history(conn, id_hashes=id_hashes, since=since)
    if moving is None:
        _check_block(history, rules=rules, now=now, zone=zone, lookback=lookback)
    _check_quotas([b for b in history if b.id != moving], hall_id=hall_id, day=day, rules=rules)


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
