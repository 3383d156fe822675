"""Account deletion on real stores (both backends): the person goes at once, the rules' memory of the
身份证 (its keyed hash) stays as long as the rules look back, and a daily job forgets it after.

A person who missed two bookings deletes the account and logs in again: still blocked. Then the
clock moves past what any hall's rules read, the worker's job runs, and the hash is gone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from appointments import errors, service_halls, service_privacy
from appointments.tables import Booking, BookingPerson
from server import accounts
from server.worker import collect_jobs, run_due_jobs
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
    resident,
)


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


async def _missed_twice(world, who) -> int:
    """An account whose two bookings for `who` (03-10 and 03-11 at 09:00) were no-shows; now 03-11 09:30."""
    account = await resident("deleting-resident")
    for day in (10, 11):
        await book(world, local(3, day, 9), who, account=account)
    freeze(local(3, 11, 9, 30))
    await Booking.filter(account_id=account).update(status="no_show")
    return account


async def test_deleting_the_account_does_not_lift_the_no_show_block(world):
    who = person()
    account = await _missed_twice(world, who)
    await accounts.delete_account(account)
    again = await resident("deleting-resident")  # the same WeChat user, a new account
    assert again != account
    with pytest.raises(errors.BookingBlocked) as blocked:
        await book(world, local(3, 12, 9), who, account=again)
    assert blocked.value.details == {"until": "2026-06-09T09:00:00+08:00"}
    rows = await Booking.filter(account_id=account)
    # The person is gone at once; what the rules read stays, under the keyed hash only.
    assert {(r.name_enc, r.id_number_enc, r.phone_enc) for r in rows} == {(None, None, None)}
    assert {r.id_hash for r in rows} == {who.id_hashes[0]} and who.id_number not in str([vars(r) for r in rows])
    assert {r.erased_at for r in rows} == {local(3, 11, 9, 30)}


async def test_deleting_the_account_does_not_reset_the_quotas(world):
    who = person()
    account = await resident()
    await book(world, local(3, 10, 9), who, account=account)
    await book(world, local(3, 11, 9), who, account=account)
    freeze(local(3, 9, 12))
    await service_privacy.erase(account)  # pending bookings are cancelled: they no longer count...
    assert (await book(world, local(3, 12, 9), who))["status"] == "booked"
    finished = await resident()
    await book(world, local(3, 13, 9), who, account=finished)
    await Booking.filter(account_id=finished).update(status="completed")
    await service_privacy.erase(finished)  # ...but a completed one still does
    with pytest.raises(errors.QuotaExceeded) as breach:  # 03-12 and 03-13: two this week
        await book(world, local(3, 11, 14), who)
    assert breach.value.details == {"quota": "per_week", "limit": 2}


async def test_the_daily_job_forgets_the_hash_once_no_rule_looks_back_that_far(world):
    who, bystander = person(), person()
    account = await _missed_twice(world, who)
    kept = await book(world, local(3, 12, 9), bystander)  # a live account: its booking keeps its hash
    await accounts.delete_account(account)
    # The latest no-show (03-11 09:00) blocks until 06-09; a no-show is read for 180 days after it.
    freeze(local(9, 6, 4))  # the job ran at 03:30; 03-10 09:00 is 179 days and 19 hours ago
    await run_due_jobs(collect_jobs())
    assert await Booking.filter(account_id=account, id_hash__isnull=False).count() == 2
    freeze(local(9, 7, 4))  # 03-10 09:00 is now more than 180 days ago, 03-11 09:00 not yet
    await run_due_jobs(collect_jobs())
    assert await Booking.filter(account_id=account, id_hash__isnull=False).count() == 1
    assert await BookingPerson.filter(id_hash=who.id_hashes[0]).exists()  # one booking still holds the hash
    freeze(local(9, 8, 4))
    await run_due_jobs(collect_jobs())
    assert await Booking.filter(account_id=account, id_hash__isnull=False).count() == 0
    assert not await BookingPerson.filter(id_hash=who.id_hashes[0]).exists()
    assert (await Booking.get(id=kept["id"])).id_hash == bystander.id_hashes[0]
    assert await Booking.filter(account_id=account).count() == 2  # anonymous counts remain


async def test_retention_is_as_long_as_the_longest_lookback_of_any_hall(world):
    assert await service_privacy.retention_days() == 180  # the defaults: 90-day window + 90-day block
    strict = await make_hall("东门街道便民服务中心", rules={"no_show_window_days": 120, "block_days": 150})
    assert await service_privacy.retention_days() == 270
    await service_halls.update_hall(strict.hall_id, {}, rules={"no_show_window_days": 30, "block_days": 30})
    assert await service_privacy.retention_days() == 180


async def test_a_hall_that_looks_back_longer_keeps_the_hash_longer(db):
    freeze(MONDAY_10)
    world = await make_hall(rules={"block_days": 200})  # 90 + 200 days
    account = await resident()
    await book(world, local(3, 10, 9), person(), account=account)
    await Booking.filter(account_id=account).update(status="completed")
    await service_privacy.erase(account)
    freeze(local(3, 10, 10) + dt.timedelta(days=289))
    assert await service_privacy.forget_erased() == 0
    freeze(local(3, 10, 10) + dt.timedelta(days=290))
    assert await service_privacy.forget_erased() == 1
