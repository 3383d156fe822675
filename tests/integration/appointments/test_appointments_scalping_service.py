"""Anti-scalping (黄牛) on real stores (both backends): people per account, bookings per account per
hall and day, accounts per 身份证, the refusals staff review, and rescheduling within the rules.

The reference week (booking_support): Monday 2026-03-09 10:00, bookable Tue 03-10 to Mon 03-16.
"""

from __future__ import annotations

import pytest

from appointments import errors, service_changes, service_shared_ids
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
    resident,
    slot_at,
)

# Per-person quotas out of the way, so that the account rules are the ones that bind.
ROOMY = {"max_per_week": 10, "max_per_month": 20}
UNTIL_APRIL = "2026-04-01T00:00:00+08:00"


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall(rules=ROOMY)


async def test_one_account_books_for_five_people_a_month_and_no_sixth(world):
    account = await resident()
    household = [person(seq=n) for n in range(5)]
    for who, day in zip(household, (10, 11, 12, 13, 16), strict=True):
        await book(world, local(3, day, 9), who, account=account)
    with pytest.raises(errors.TooManyPersons) as refused:
        await book(world, local(3, 16, 10), person(seq=5), account=account)
    assert refused.value.status == 409 and refused.value.code == "too_many_persons"
    assert refused.value.details == {"rule": "max_persons_per_account_month", "limit": 5, "until": UNTIL_APRIL}
    # The household itself may still book: again for one of its five.
    assert (await book(world, local(3, 11, 14), household[0], account=account))["status"] == "booked"
    # Another account may book the sixth person.
    assert (await book(world, local(3, 16, 10), person(seq=5)))["status"] == "booked"


async def test_a_cancelled_booking_keeps_its_person_in_the_household(world):
    account = await resident()
    first = await book(world, local(3, 10, 9), person(seq=0), account=account)
    await service_changes.cancel(first["id"], user_id=account, reason="填错了")
    for n, day in zip(range(1, 5), (11, 12, 13, 16), strict=True):
        await book(world, local(3, day, 9), person(seq=n), account=account)
    with pytest.raises(errors.TooManyPersons):
        await book(world, local(3, 16, 10), person(seq=5), account=account)


async def test_two_active_bookings_per_account_per_hall_per_day(world):
    account = await resident()
    first = await book(world, local(3, 10, 9), person(seq=0), account=account)
    await book(world, local(3, 10, 10), person(seq=1), account=account)
    with pytest.raises(errors.TooManyBookings) as refused:
        await book(world, local(3, 10, 11), person(seq=2), account=account)
    assert refused.value.details == {"rule": "max_account_bookings_per_day", "limit": 2, "date": "2026-03-10"}
    other_hall = await make_hall("东门街道便民服务中心", rules=ROOMY)
    assert (await book(other_hall, local(3, 10, 11), person(seq=2), account=account))["status"] == "booked"
    assert (await book(world, local(3, 11, 11), person(seq=2), account=account))["status"] == "booked"
    await service_changes.cancel(first["id"], user_id=account, reason="有事")  # an active booking less
    assert (await book(world, local(3, 10, 11), person(seq=3), account=account))["status"] == "booked"


async def test_a_fourth_account_for_one_id_is_refused_and_listed_for_staff(world):
    who = person(seq=7)
    accounts = [await resident() for _ in range(5)]
    for account, day in zip(accounts[:3], (10, 11, 12), strict=True):
        await book(world, local(3, day, 9), who, account=account)
    freeze(local(3, 9, 11))
    with pytest.raises(errors.TooManyAccounts) as refused:
        await book(world, local(3, 13, 9), who, account=accounts[3])
    assert (refused.value.status, refused.value.code) == (409, "too_many_accounts")
    assert refused.value.details == {"rule": "max_accounts_per_person_month", "limit": 3, "until": UNTIL_APRIL}
    freeze(local(3, 9, 12))
    for account in accounts[3:]:  # the fourth tries again, a fifth tries too
        with pytest.raises(errors.TooManyAccounts):
            await book(world, local(3, 13, 9), who, account=account)
    # The three accounts that booked it keep booking it.
    assert (await book(world, local(3, 16, 9), who, account=accounts[0]))["status"] == "booked"
    listed = await service_shared_ids.shared_ids(world.hall_id, month=None)
    assert listed == [{"id_number": who.id_number[:4] + "*" * 10 + who.id_number[-4:], "month": "2026-03",
                       "accounts": 5, "refused_attempts": 3, "first_seen": MONDAY_10,
                       "last_seen": local(3, 9, 12)}]
    other_hall = await make_hall("黄贝街道便民服务中心")
    assert await service_shared_ids.shared_ids(other_hall.hall_id, month=None) == []
    assert await service_shared_ids.shared_ids(world.hall_id, month=local(4, 1).date()) == []


async def test_rescheduling_does_not_count_against_itself(world):
    account = await resident()
    moving = await book(world, local(3, 10, 9), person(seq=0), account=account)
    await book(world, local(3, 10, 10), person(seq=1), account=account)
    for n, day in zip(range(2, 5), (11, 12, 13), strict=True):
        await book(world, local(3, day, 9), person(seq=n), account=account)
    # Two on 03-10 and five people this month: the account is at both limits, and may still move.
    moved = await service_changes.reschedule(moving["id"], user_id=account, slot_id=await slot_at(world, local(3, 10, 15)))
    assert moved["slot"]["start"] == local(3, 10, 15)
    await book(world, local(3, 11, 10), person(seq=1), account=account)
    with pytest.raises(errors.TooManyBookings):  # but not onto a day that already has two of its bookings
        await service_changes.reschedule(moved["id"], user_id=account, slot_id=await slot_at(world, local(3, 11, 15)))

