"""A resident's booking through HTTP (both backends): every error code of POST /bookings, QR check-in."""

from __future__ import annotations

import datetime as dt
import io

import PIL.Image
import pytest
import zxingcpp

from appointments.tables import Slot
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    freeze,
    local,
    make_hall,
    slot_at,
)
from tests.support.ids import make_id_number


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


def body(world, slot_id: int, *, seq: int = 1, **changes) -> dict:
    return {"slot_id": slot_id, "service_id": world.service_id, "name": "李娜",
            "id_number": make_id_number(seq=seq), "phone": "13712345678", **changes}


async def test_browse_book_and_read_back_with_the_person_masked(client, world):
    halls = await client.get("/api/v1/halls")
    assert [h["name"] for h in halls.json()] == ["罗湖区行政服务大厅"]
    services = await client.get(f"/api/v1/halls/{world.hall_id}/services")
    assert [s["name"] for s in services.json()] == ["社保卡补办"]
    availability = await client.get(f"/api/v1/halls/{world.hall_id}/availability",
                                    params={"service_id": world.service_id, "from": "2026-03-10", "to": "2026-03-10"})
    day = availability.json()["days"][0]
    assert [s["start"] for s in day["slots"]][:2] == ["2026-03-10T01:00:00Z", "2026-03-10T02:00:00Z"]
    assert day["slots"][0] == {"id": day["slots"][0]["id"], "start": "2026-03-10T01:00:00Z",
                               "end": "2026-03-10T02:00:00Z", "capacity": 2, "remaining": 2, "bookable": True,
                               "reason": None}
    me = await client.login_dev()
    made = await client.post("/api/v1/bookings", json=body(world, day["slots"][0]["id"], seq=7), headers=me)
    assert made.status_code == 201, made.text
    booking = made.json()
    raw_id = make_id_number(seq=7)
    assert booking["person"] == {"name": "李*", "id_number": raw_id[:4] + "**********" + raw_id[-4:],
                                 "phone": "137****5678"}
    assert raw_id not in made.text and "13712345678" not in made.text
    again = await client.get(f"/api/v1/bookings/{booking['id']}", headers=me)
    assert again.json()["code"] == booking["code"]
    mine = await client.get("/api/v1/bookings", params={"status": "booked,cancelled"}, headers=me)
    assert [b["id"] for b in mine.json()] == [booking["id"]]
    stranger = await client.login_dev()
    assert (await client.get(f"/api/v1/bookings/{booking['id']}", headers=stranger)).status_code == 404
    clerk = await client.login_staff(halls=[world.hall_id])
    assert (await client.get(f"/api/v1/bookings/{booking['id']}", headers=clerk)).status_code == 200
    other_clerk = await client.login_staff(halls=[world.hall_id + 1])
    assert (await client.get(f"/api/v1/bookings/{booking['id']}", headers=other_clerk)).status_code == 404


async def test_every_booking_error_code_over_http(client, world):
    me = await client.login_dev()
    full = await slot_at(world, local(3, 10, 9))

    async def post(payload: dict) -> tuple[int, str, dict]:
        response = await client.post("/api/v1/bookings", json=payload, headers=me)
        error = response.json().get("error", {}) if response.status_code >= 400 else {}
        return response.status_code, error.get("code", ""), error.get("details", {})

    assert (await client.post("/api/v1/bookings", json=body(world, full))).status_code == 401
    assert (await post(body(world, full, seq=1)))[0] == 201
    assert (await post(body(world, full, seq=2)))[0] == 201
    assert (await post(body(world, full, seq=3)))[:2] == (409, "slot_full")
    closed = await slot_at(world, local(3, 10, 10))
    await Slot.filter(id=closed).update(status="closed")
    assert (await post(body(world, closed, seq=3)))[:2] == (409, "slot_closed")
    today = await _today_slot(world)
    assert (await post(body(world, today, seq=3)))[:2] == (409, "outside_booking_window")
    assert (await post(body(world, await slot_at(world, local(3, 10, 14)), seq=1)))[:2] == (409, "duplicate_booking")
    assert (await post(body(world, await slot_at(world, local(3, 11, 9)), seq=1)))[0] == 201
    status, code, details = await post(body(world, await slot_at(world, local(3, 12, 9)), seq=1))
    assert (status, code, details) == (409, "quota_exceeded", {"quota": "per_week", "limit": 2})
    bad_id = make_id_number(seq=4)[:-1] + ("0" if make_id_number(seq=4)[-1] != "0" else "1")
    status, code, details = await post(body(world, full, id_number=bad_id))
    assert (status, code) == (422, "invalid_id_number")
    assert details["fields"][0]["field"] == "id_number"
    assert (await post(body(world, full, seq=4, phone="02012345678")))[:2] == (422, "invalid_phone")
    assert (await post({**body(world, full, seq=4), "extra": 1}))[:2] == (422, "validation_error")
    status, code, _ = await post(body(world, full, seq=4, service_id=world.service_id + 99))
    assert (status, code) == (422, "slot_service_mismatch")
    assert (await post(body(world, 999999, seq=4)))[:2] == (404, "slot_not_found")


async def test_same_day_booking_refuses_a_slot_that_has_begun_with_its_own_code(client, db):
    freeze(MONDAY_10)
    world = await make_hall(rules={"book_from_days": 0})
    shown = await client.get(f"/api/v1/halls/{world.hall_id}/availability",
                             params={"service_id": world.service_id, "from": "2026-03-09", "to": "2026-03-09"})
    first = shown.json()["days"][0]["slots"][0]
    assert (first["start"], first["bookable"], first["reason"]) == ("2026-03-09T01:00:00Z", False, "slot_started")
    me = await client.login_dev()
    refused = await client.post("/api/v1/bookings", json=body(world, first["id"]), headers=me)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "slot_started"
    assert refused.json()["error"]["details"] == {"start": "2026-03-09T09:00:00+08:00"}


async def test_a_blocked_person_is_told_until_when(client, world):
    me = await client.login_dev()
    for day in (10, 11):
        response = await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, day, 9)),
                                                                    seq=9), headers=me)
        assert response.status_code == 201
    freeze(local(3, 11, 9, 30))
    me = await client.login_dev()
    response = await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, 12, 9)), seq=9),
                                 headers=me)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "booking_blocked"
    assert error["details"] == {"until": "2026-06-09T09:00:00+08:00"}
    assert "2026年06月09日" in error["message"]


async def test_idempotency_key_header(client, world):
    me = await client.login_dev()
    payload = body(world, await slot_at(world, local(3, 10, 9)), seq=11)
    first = await client.post("/api/v1/bookings", json=payload, headers={**me, "Idempotency-Key": "abc-1"})
    second = await client.post("/api/v1/bookings", json=payload, headers={**me, "Idempotency-Key": "abc-1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    bad = await client.post("/api/v1/bookings", json=payload, headers={**me, "Idempotency-Key": "has space"})
    assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["in"] == "header"
    other = await client.post("/api/v1/bookings", json={**payload, "id_number": make_id_number(seq=12)},
                              headers={**me, "Idempotency-Key": "abc-1"})
    assert (other.status_code, other.json()["error"]["code"]) == (422, "idempotency_key_reused")


async def test_cancel_and_reschedule_over_http(client, world):
    me = await client.login_dev()
    made = (await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, 10, 9)), seq=21),
                              headers=me)).json()
    target = await slot_at(world, local(3, 11, 15))
    moved = await client.post(f"/api/v1/bookings/{made['id']}/reschedule", json={"slot_id": target}, headers=me)
    assert moved.status_code == 200 and moved.json()["slot"]["id"] == target
    cancelled = await client.post(f"/api/v1/bookings/{made['id']}/cancel", json={"reason": "不去了"}, headers=me)
    assert cancelled.json()["status"] == "cancelled"
    again = await client.post(f"/api/v1/bookings/{made['id']}/reschedule", json={"slot_id": target}, headers=me)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "booking_not_active")
    late = (await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, 10, 9)), seq=22),
                              headers=me)).json()
    freeze(local(3, 10, 8, 30))
    refused = await client.post(f"/api/v1/bookings/{late['id']}/cancel", json={}, headers=me)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "cancellation_closed")


async def test_the_qr_code_carries_a_signed_token_that_checks_in(client, world):
    me = await client.login_dev()
    made = (await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, 10, 9)), seq=31),
                              headers=me)).json()
    png = await client.get(f"/api/v1/bookings/{made['id']}/qr.png", headers=me)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    stranger = await client.login_dev()
    assert (await client.get(f"/api/v1/bookings/{made['id']}/qr.png", headers=stranger)).status_code == 404
    decoded = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png.content)))
    token = decoded[0].text
    assert str(made["id"]) != token and made["code"] not in token
    freeze(local(3, 10, 8, 40))
    clerk = await client.login_staff(halls=[world.hall_id])
    checked = await client.post("/api/v1/staff/checkin", json={"token": token}, headers=clerk)
    assert checked.status_code == 200, checked.text
    assert checked.json()["ticket"]["label"] == "A001"
    assert checked.json()["booking"]["status"] == "checked_in"
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    tampered = await client.post("/api/v1/staff/checkin", json={"token": forged}, headers=clerk)
    assert (tampered.status_code, tampered.json()["error"]["code"]) == (422, "invalid_token")
    after = await client.get(f"/api/v1/bookings/{made['id']}/qr.png", headers=me)
    assert (after.status_code, after.json()["error"]["code"]) == (409, "booking_not_active")


async def test_rating_over_http(client, world):
    me = await client.login_dev()
    made = (await client.post("/api/v1/bookings", json=body(world, await slot_at(world, local(3, 10, 9)), seq=41),
                              headers=me)).json()
    freeze(local(3, 10, 8, 50))
    clerk = await client.login_staff(halls=[world.hall_id])
    ticket = (await client.post("/api/v1/staff/checkin", json={"code": made["code"]}, headers=clerk)).json()["ticket"]
    await client.post(f"/api/v1/staff/tickets/{ticket['id']}/call", json={"window": "3"}, headers=clerk)
    await client.post(f"/api/v1/staff/tickets/{ticket['id']}/complete", headers=clerk)
    bad = await client.post(f"/api/v1/bookings/{made['id']}/rating", json={"score": 6}, headers=me)
    assert bad.status_code == 422
    unrated = (await client.get(f"/api/v1/bookings/{made['id']}", headers=me)).json()
    assert (unrated["status"], unrated["rating"]) == ("completed", None)
    assert made["rating_until"] is None  # not completed yet: nothing to rate
    # The page can hide the form when the week is over (the server would answer rating_window_closed).
    until = dt.datetime.fromisoformat(unrated["rating_until"])
    assert until == dt.datetime.fromisoformat(unrated["completed_at"]) + dt.timedelta(days=7)
    rated = await client.post(f"/api/v1/bookings/{made['id']}/rating", json={"score": 1, "comment": "态度差"}, headers=me)
    assert rated.status_code == 201 and rated.json()["dissatisfied"] is True
    shown = (await client.get(f"/api/v1/bookings/{made['id']}", headers=me)).json()["rating"]
    assert shown == {"id": rated.json()["id"], "score": 1, "comment": "态度差", "created_at": shown["created_at"]}
    listed = (await client.get("/api/v1/bookings", headers=me)).json()
    assert [(b["id"], b["rating"]["score"]) for b in listed] == [(made["id"], 1)]
    twice = await client.post(f"/api/v1/bookings/{made['id']}/rating", json={"score": 5}, headers=me)
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "already_rated")


async def _today_slot(world) -> int:
    from appointments import service_slots

    await service_slots.generate_for_hall(world.hall_id, first=local(3, 9).date(), last=local(3, 9).date())
    return await slot_at(world, local(3, 9, 16))
