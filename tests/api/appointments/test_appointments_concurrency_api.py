"""Races that only PostgreSQL can show (SQLite serialises transactions): no overbooking, ever."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest

from appointments.tables import Booking, Slot, Ticket
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    WEEKDAYS,
    WITH_LUNCH,
    book,
    freeze,
    local,
    make_hall,
    person,
    slot_at,
)
from tests.support.ids import make_id_number


def schedule(*, capacity: int, minutes: int = 60) -> dict:
    return {"periods": {d: WITH_LUNCH for d in WEEKDAYS}, "slot_minutes": minutes, "capacity": capacity}


def payload(world, slot_id: int, number: int) -> dict:
    # 500 distinct 身份证: sequence 0-999 and a birth date per thousand.
    id_number = make_id_number(seq=number % 1000, birth=dt.date(1980 + number // 1000, 5, 17))
    return {"slot_id": slot_id, "service_id": world.service_id, "name": "王芳", "id_number": id_number,
            "phone": "13600136000"}


def outcome(response) -> tuple[int, str | None]:
    if response.status_code < 400:
        return response.status_code, None
    return response.status_code, response.json()["error"]["code"]


@pytest.fixture
def postgres(db):
    if not db.is_postgres:
        pytest.skip("SQLite serialises transactions; races only show on PostgreSQL")
    freeze(MONDAY_10)
    return db


async def test_500_concurrent_requests_for_10_seats_give_exactly_10_bookings(client, postgres):
    # 20 people per account on one day: the anti-scalping rules would refuse most (see
    # test_appointments_scalping_api.py); here only the seats are under test.
    world = await make_hall(schedule=schedule(capacity=10),
                            rules={"max_account_bookings_per_day": 200, "max_persons_per_account_month": 1000})
    slot_id = await slot_at(world, local(3, 10, 9))
    accounts = [await client.login_dev() for _ in range(25)]
    responses = await asyncio.gather(*(
        client.post("/api/v1/bookings", json=payload(world, slot_id, n), headers=accounts[n % 25]) for n in range(500)))
    assert Counter(outcome(r) for r in responses) == {(201, None): 10, (409, "slot_full"): 490}
    slot = await Slot.get(id=slot_id)
    assert (slot.booked, await Booking.filter(slot_id=slot_id).count()) == (10, 10)
    made = {r.json()["id"] for r in responses if r.status_code == 201}
    assert made == set(await Booking.filter(slot_id=slot_id).values_list("id", flat=True))


async def test_20_concurrent_bookings_by_one_person_on_one_day_give_exactly_1(client, postgres):
    world = await make_hall(schedule=schedule(capacity=5, minutes=15))
    slots = await Slot.filter(service_id=world.service_id, day=dt.date(2026, 3, 10)).order_by("start_at").limit(20)
    assert len(slots) == 20
    accounts = [await client.login_dev() for _ in range(4)]  # relatives booking for the same person
    same = payload(world, 0, 77)
    responses = await asyncio.gather(*(
        client.post("/api/v1/bookings", json={**same, "slot_id": s.id}, headers=accounts[i % 4])
        for i, s in enumerate(slots)))
    assert Counter(outcome(r) for r in responses) == {(201, None): 1, (409, "duplicate_booking"): 19}
    assert await Booking.filter(service_id=world.service_id).count() == 1
    assert sum(s.booked for s in await Slot.filter(service_id=world.service_id)) == 1


async def test_the_same_idempotency_key_10_times_at_once_gives_one_booking(client, postgres):
    world = await make_hall(schedule=schedule(capacity=10))
    slot_id = await slot_at(world, local(3, 10, 9))
    me = await client.login_dev()
    headers = {**me, "Idempotency-Key": "retry-7f3a"}
    responses = await asyncio.gather(*(
        client.post("/api/v1/bookings", json=payload(world, slot_id, 5), headers=headers) for _ in range(10)))
    assert [r.status_code for r in responses] == [201] * 10
    assert len({r.json()["id"] for r in responses}) == 1
    assert (await Slot.get(id=slot_id)).booked == 1
    assert await Booking.filter(slot_id=slot_id).count() == 1


async def test_50_concurrent_check_ins_get_50_distinct_gapless_tickets(client, postgres):
    world = await make_hall(schedule=schedule(capacity=50))
    codes = [(await book(world, local(3, 10, 9), person(seq=n)))["code"] for n in range(50)]
    freeze(local(3, 10, 8, 45))
    clerk = await client.login_staff(halls=[world.hall_id])
    responses = await asyncio.gather(*(
        client.post("/api/v1/staff/checkin", json={"code": code}, headers=clerk) for code in codes))
    assert [r.status_code for r in responses] == [200] * 50
    labels = sorted(r.json()["ticket"]["label"] for r in responses)
    assert labels == [f"A{n:03d}" for n in range(1, 51)]
    assert sorted(await Ticket.filter(hall_id=world.hall_id).values_list("number", flat=True)) == list(range(1, 51))
