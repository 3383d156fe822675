"""回访 through the API (both backends): a clerk of the hall reveals one dissatisfied rating's phone with a reason,
limited per account, written to the operation log as a reveal that admins find; nothing else is shown."""

from __future__ import annotations

import pytest

from appointments import service_ratings
from appointments.tables import Booking
from server import clock
from tests.api.test_rate_limits_api import limits
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
)

PHONE = "13987654321"


@pytest.fixture
async def rated(client, db):
    """A hall with a happy and an unhappy rating of completed bookings: (hall, happy rating, unhappy rating)."""
    freeze(MONDAY_10)
    world = await make_hall()
    resident = await client.login_dev()
    me = (await client.get("/api/v1/me", headers=resident)).json()["id"]
    happy, unhappy = [await book(world, local(3, 10, 9), person(phone=p), account=me) for p in ("13700000001", PHONE)]
    for booking in (happy, unhappy):
        await Booking.filter(id=booking["id"]).update(status="completed", completed_at=clock.now())
    good = await service_ratings.rate(happy["id"], user_id=me, score=5, comment="很好")
    bad = await service_ratings.rate(unhappy["id"], user_id=me, score=1, comment="排队太久")
    return world, good, bad, resident


async def test_a_clerk_reveals_a_dissatisfied_ratings_phone_with_a_reason(client, rated):
    world, good, bad, resident = rated
    clerk = await client.login_staff(halls=[world.hall_id])
    url = f"/api/v1/staff/ratings/{bad['id']}/phone"
    for body in ({}, {"reason": ""}, {"reason":"打"}, {"reason": "回访" * 101}):
        refused = await client.post(url, json=body, headers=clerk)
        assert (refused.status_code, refused.json()["error"]["details"]["fields"][0]["field"]) == (422, "reason")
    shown = await client.post(url, json={"reason": "电话回访"}, headers=clerk)
    assert shown.status_code == 200, shown.text
    assert shown.json() == {"rating_id": bad["id"], "booking_id": bad["booking_id"], "phone": PHONE}
    assert shown.headers["cache-control"] == "no-store"

    satisfied = await client.post(f"/api/v1/staff/ratings/{good['id']}/phone", json={"reason": "电话回访"},
                                  headers=clerk)
    assert (satisfied.status_code, satisfied.json()["error"]["code"]) == (409, "reveal_not_allowed")
    other_hall = await client.login_staff(halls=[world.hall_id + 1])
    assert (await client.post(url, json={"reason": "电话回访"}, headers=other_hall)).status_code == 403
    assert (await client.post(url, json={"reason": "电话回访"}, headers=resident)).status_code == 403
    missing = await client.post("/api/v1/staff/ratings/999999/phone", json={"reason": "电话回访"}, headers=clerk)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "rating_not_found")
    for answer in (satisfied, missing):
        assert PHONE not in answer.text and "13700000001" not in answer.text

    admin = await client.login_staff(role="admin")
    log = (await client.get("/api/v1/admin/audit", params={"kind": "reveal"}, headers=admin)).json()
    entries = log["items"] if isinstance(log, dict) else log
    assert [(e["target"], e["after"]["reason"], e["after"]["fields"], e["actor_role"], e["route"], e["result"])
            for e in entries] == [(f"booking:{bad['booking_id']}", "电话回访", ["phone"], "staff",
                                   "/api/v1/staff/ratings/<rating_id:int>/phone", "ok")]
    everything = await client.get("/api/v1/admin/audit", params={"limit": 200}, headers=admin)
    assert everything.status_code == 200 and PHONE not in everything.text


async def test_reveals_are_limited_per_account(client, rated):
    world, _good, bad, _resident = rated
    clerk, colleague = [await client.login_staff(halls=[world.hall_id]) for _ in range(2)]
    url = f"/api/v1/staff/ratings/{bad['id']}/phone"
    with limits(phone_reveal=(2, 3600)):
        answers = [await client.post(url, json={"reason": "电话回访"}, headers=clerk) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert answers[2].json()["error"]["code"] == "rate_limited" and PHONE not in answers[2].text
        assert (await client.post(url, json={"reason": "再次回访"}, headers=colleague)).status_code == 200
