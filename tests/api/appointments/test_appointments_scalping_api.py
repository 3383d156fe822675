"""Anti-scalping (黄牛) through HTTP: the errors as a client sees them, the staff list, and the rules
holding under concurrency on PostgreSQL (one account with 50 generated 身份证, one 身份证 from 10
accounts), where only the account's and the person's row locks keep the counts exact."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest

from appointments.tables import Booking
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    WEEKDAYS,
    WITH_LUNCH,
    freeze,
    local,
    make_hall,
    slot_at,
)
from tests.support.ids import make_id_number

ROOMY = {"max_per_week": 20, "max_per_month": 40}  # the per-person quotas out of the way


def body(world, slot_id: int, number: int) -> dict:
    id_number = make_id_number(seq=number % 1000, birth=dt.date(1970 + number // 1000, 6, 1))
    return {"slot_id": slot_id, "service_id": world.service_id, "name": "王芳", "id_number": id_number,
            "phone": "13600136000"}


def outcome(response) -> tuple[int, str | None]:
    return (response.status_code, None) if response.status_code < 400 else (
        response.status_code, response.json()["error"]["code"])


async def test_each_rule_answers_409_naming_itself_and_staff_see_the_shared_id(client, db):
    freeze(MONDAY_10)
    world = await make_hall(rules=ROOMY)
    me = await client.login_dev()

    async def post(day: int, hour: int, number: int, headers: dict) -> tuple[int, str, dict]:
        response = await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, day, hour)),
                                                                    number), headers=headers)
        error = response.json().get("error", {}) if response.status_code >= 400 else {}
        return response.status_code, error.get("code", ""), error.get("details", {})

    assert [(await post(10, hour, n, me))[0] for hour, n in ((9, 1), (10, 2))] == [201, 201]
    assert await post(10, 11, 3, me) == (409, "too_many_bookings",
                                         {"rule": "max_account_bookings_per_day", "limit": 2, "date": "2026-03-10"})
    assert [(await post(day, hour, n, me))[0] for day, hour, n in ((11, 9, 3), (11, 10, 4), (12, 10, 5))] == [201] * 3
    until = "2026-04-01T00:00:00+08:00"
    assert await post(12, 11, 6, me) == (409, "too_many_persons",
                                        {"rule": "max_persons_per_account_month", "limit": 5, "until": until})
    relatives = [await client.login_dev() for _ in range(3)]
    assert [(await post(12 + n, 9, 1, relatives[n]))[0] for n in range(2)] == [201, 201]
    assert await post(16, 9, 1, relatives[2]) == (409, "too_many_accounts",
                                                  {"rule": "max_accounts_per_person_month", "limit": 3,
                                                   "until": until})
    clerk = await client.login_staff(halls=[world.hall_id])
    listed = await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", headers=clerk)
    number = make_id_number(seq=1, birth=dt.date(1970, 6, 1))
    assert listed.status_code == 200 and number not in listed.text
    assert [(row["id_number"], row["month"], row["accounts"], row["refused_attempts"]) for row in listed.json()] == [
        (number[:4] + "*" * 10 + number[-4:], "2026-03", 4, 1)]
    march = await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", params={"month": "2026-03"},
                             headers=clerk)
    assert march.json() == listed.json()
    assert (await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", params={"month": "2026-02"},
                             headers=clerk)).json() == []
    bad = await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", params={"month": "2026-13"},
                           headers=clerk)
    assert bad.status_code == 422
    other_clerk = await client.login_staff(halls=[world.hall_id + 1])
    denied = await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", headers=other_clerk)
    assert outcome(denied) == (403, "forbidden")
    assert (await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", headers=me)).status_code == 403


async def test_admins_read_and_change_the_anti_scalping_rules(client, db):
    admin = await client.login_staff(role="admin")
    made = await client.post("/api/v1/admin/halls", json={"name": "罗湖区行政服务大厅"}, headers=admin)
    rules = made.json()["rules"]
    assert (rules["max_persons_per_account_month"], rules["max_account_bookings_per_day"],
            rules["max_accounts_per_person_month"]) == (5, 2, 3)
    patched = await client.patch(f"/api/v1/admin/halls/{made.json()['id']}", headers=admin,
                                 json={"rules": {"max_persons_per_account_month": 8}})
    assert patched.json()["rules"]["max_persons_per_account_month"] == 8
    refused = await client.patch(f"/api/v1/admin/halls/{made.json()['id']}", headers=admin,
                                 json={"rules": {"max_account_bookings_per_day": 0}})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["fields"][0]["field"] == "rules.max_account_bookings_per_day"


@pytest.fixture
def postgres(db):
    if not db.is_postgres:
        pytest.skip("SQLite serialises transactions; races only show on PostgreSQL")
    freeze(MONDAY_10)
    return db


def roomy_schedule() -> dict:
    return {"periods": {d: WITH_LUNCH for d in WEEKDAYS}, "slot_minutes": 15, "capacity": 5}


async def test_one_account_firing_50_bookings_for_50_people_at_once_gets_exactly_5(client, postgres):
    world = await make_hall(schedule=roomy_schedule(), rules=ROOMY)
    days = [dt.date(2026, 3, day) for day in (10, 11, 12, 13, 16)]
    slots = {day: [await slot_at(world, local(3, day.day, 9, 15 * q)) for q in range(4)]
             + [await slot_at(world, local(3, day.day, 10, 15 * q)) for q in range(4)]
             + [await slot_at(world, local(3, day.day, 14, 15 * q)) for q in range(2)] for day in days}
    me = await client.login_dev()
    requests = [body(world, slots[days[n % 5]][n // 5], n) for n in range(50)]
    responses = await asyncio.gather(*(client.post("/api/v1/bookings", json=r, headers=me) for r in requests))
    counts = Counter(outcome(r) for r in responses)
    assert counts[(201, None)] == 5, counts
    assert set(counts) <= {(201, None), (409, "too_many_persons"), (409, "too_many_bookings")}
    per_day = Counter(await Booking.filter(hall_id=world.hall_id).values_list("day", flat=True))
    assert sum(per_day.values()) == 5 and max(per_day.values()) <= 2


async def test_one_account_firing_50_bookings_for_one_day_gets_exactly_2(client, postgres):
    world = await make_hall(schedule=roomy_schedule(), rules=ROOMY)
    slots = [await slot_at(world, local(3, 10, hour, 15 * q)) for hour in (9, 10, 11, 14, 15, 16) for q in range(4)]
    me = await client.login_dev()
    responses = await asyncio.gather(*(
        client.post("/api/v1/bookings", json=body(world, slots[n % len(slots)], 100 + n), headers=me)
        for n in range(50)))
    assert Counter(outcome(r) for r in responses) == {(201, None): 2, (409, "too_many_bookings"): 48}
    assert await Booking.filter(hall_id=world.hall_id).count() == 2


async def test_ten_accounts_booking_one_id_at_once_get_exactly_3(client, postgres):
    world = await make_hall(schedule=roomy_schedule(), rules={**ROOMY, "max_per_day": 2})
    days = (10, 11, 12, 13, 16)
    slots = [await slot_at(world, local(3, days[n % 5], 9 + n // 5)) for n in range(10)]
    accounts = [await client.login_dev() for _ in range(10)]
    responses = await asyncio.gather(*(
        client.post("/api/v1/bookings", json=body(world, slots[n], 777), headers=accounts[n]) for n in range(10)))
    assert Counter(outcome(r) for r in responses) == {(201, None): 3, (409, "too_many_accounts"): 7}
    assert len(set(await Booking.filter(hall_id=world.hall_id).values_list("account_id", flat=True))) == 3
    clerk = await client.login_staff(halls=[world.hall_id])
    listed = (await client.get(f"/api/v1/staff/halls/{world.hall_id}/shared-ids", headers=clerk)).json()
    assert [(row["accounts"], row["refused_attempts"]) for row in listed] == [(10, 7)]
