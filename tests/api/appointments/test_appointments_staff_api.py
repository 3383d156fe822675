"""Clerks through HTTP (both backends): scope, day sheet (CSV masked), schedules, slots, closures, queue."""

from __future__ import annotations

import csv
import io

import pytest

from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
    slot_at,
)


@pytest.fixture
async def halls(db):
    freeze(MONDAY_10)
    return await make_hall(), await make_hall("东门街道便民服务中心")


async def test_staff_of_one_hall_are_refused_at_another(client, halls):
    mine, theirs = halls
    clerk = await client.login_staff(halls=[mine.hall_id])
    booking = await book(theirs, local(3, 10, 9), person())
    slot = await slot_at(theirs, local(3, 10, 10))
    refused = [
        await client.get(f"/api/v1/staff/halls/{theirs.hall_id}/bookings", params={"date": "2026-03-10"},
                         headers=clerk),
        await client.get(f"/api/v1/staff/halls/{theirs.hall_id}/schedules/{theirs.service_id}", headers=clerk),
        await client.post(f"/api/v1/staff/halls/{theirs.hall_id}/slots/generate",
                          json={"from": "2026-03-10", "to": "2026-03-11"}, headers=clerk),
        await client.patch(f"/api/v1/staff/slots/{slot}", json={"capacity": 5}, headers=clerk),
        await client.post(f"/api/v1/staff/halls/{theirs.hall_id}/closures",
                          json={"date": "2026-03-11", "reason": "检修"}, headers=clerk),
        await client.post(f"/api/v1/staff/halls/{theirs.hall_id}/walkins", json={}, headers=clerk),
        await client.post("/api/v1/staff/checkin", json={"code": booking["code"]}, headers=clerk),
        await client.get(f"/api/v1/staff/halls/{theirs.hall_id}/stats",
                         params={"from": "2026-03-10", "to": "2026-03-11"}, headers=clerk),
        await client.post(f"/api/v1/staff/bookings/{booking['id']}/no-show", headers=clerk),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert {r.json()["error"]["code"] for r in refused} == {"forbidden"}
    resident = await client.login_dev()
    as_resident = await client.get(f"/api/v1/staff/halls/{mine.hall_id}/bookings", params={"date": "2026-03-10"},
                                   headers=resident)
    assert as_resident.status_code == 403
    admin = await client.login_staff(role="admin")
    assert (await client.get(f"/api/v1/staff/halls/{theirs.hall_id}/bookings", params={"date": "2026-03-10"},
                             headers=admin)).status_code == 200


async def test_the_day_sheet_as_json_and_as_excel_ready_csv_is_masked(client, halls):
    world, _ = halls
    who = person(name="司马光", phone="13987654321")
    booking = await book(world, local(3, 10, 9), who)
    clerk = await client.login_staff(halls=[world.hall_id])
    sheet = await client.get(f"/api/v1/staff/halls/{world.hall_id}/bookings", params={"date": "2026-03-10"},
                             headers=clerk)
    row = sheet.json()[0]
    assert row["person"] == {"name": "司马*", "id_number": who.id_number[:4] + "**********" + who.id_number[-4:],
                             "phone": "139****4321"}
    assert row["time"] == "09:00-10:00" and row["code"] == booking["code"]
    exported = await client.get(f"/api/v1/staff/halls/{world.hall_id}/bookings",
                                params={"date": "2026-03-10", "format": "csv"}, headers=clerk)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")
    text = exported.content.decode("utf-8-sig")
    assert who.id_number not in text and "13987654321" not in text and "司马光" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["日期", "大厅", "时段", "事项", "姓名", "身份证号", "手机号", "预约码", "状态", "签到时间", "票号",
                       "窗口"]
    assert rows[1] == ["2026-03-10", "罗湖区行政服务大厅", "09:00-10:00", "社保卡补办", "司马*",
                       who.id_number[:4] + "**********" + who.id_number[-4:], "139****4321", booking["code"], "已预约",
                       "", "", ""]


async def test_the_day_sheet_defaults_to_today_and_says_when_and_where_each_person_was_seen(client, halls):
    world, _ = halls
    seen = await book(world, local(3, 10, 9), person())
    await book(world, local(3, 10, 10), person())
    await book(world, local(3, 11, 9), person())
    freeze(local(3, 10, 8, 47))
    clerk = await client.login_staff(halls=[world.hall_id])
    ticket = (await client.post("/api/v1/staff/checkin", json={"code": seen["code"]}, headers=clerk)).json()["ticket"]
    await client.post(f"/api/v1/staff/tickets/{ticket['id']}/call", json={"window": 12}, headers=clerk)
    url = f"/api/v1/staff/halls/{world.hall_id}/bookings"
    today = (await client.get(url, headers=clerk)).json()
    assert [(r["date"], r["time"], r["ticket"], r["window"]) for r in today] == [
        ("2026-03-10", "09:00-10:00", "A001", "12"), ("2026-03-10", "10:00-11:00", None, None)]
    assert today[0]["hall"] == {"id": world.hall_id, "name": "罗湖区行政服务大厅", "timezone": "Asia/Shanghai"}
    exported = await client.get(url, params={"format": "csv"}, headers=clerk)
    assert f'filename="bookings-{world.hall_id}-2026-03-10.csv"' in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r[0], r[1], r[2], r[8], r[9], r[10], r[11]) for r in rows[1:]] == [
        ("2026-03-10", "罗湖区行政服务大厅", "09:00-10:00", "办理中", "08:47", "A001", "12"),
        ("2026-03-10", "罗湖区行政服务大厅", "10:00-11:00", "已预约", "", "", "")]


async def test_schedules_generation_slots_and_closures(client, halls):
    world, _ = halls
    clerk = await client.login_staff(halls=[world.hall_id])
    url = f"/api/v1/staff/halls/{world.hall_id}/schedules/{world.service_id}"
    read = await client.get(url, headers=clerk)
    assert read.json()["schedule"]["slot_minutes"] == 60
    bad = await client.put(url, json={"periods": {"mon": [["09:00", "08:00"]]}, "slot_minutes": 60, "capacity": 2},
                           headers=clerk)
    assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == "periods.mon[0]"
    generated = await client.post(f"/api/v1/staff/halls/{world.hall_id}/slots/generate",
                                  json={"from": "2026-03-17", "to": "2026-03-17"}, headers=clerk)
    assert generated.json() == {"created": 6, "closed": 0, "kept": 0}
    slot = await slot_at(world, local(3, 10, 9))
    await book(world, local(3, 10, 9), person())
    await book(world, local(3, 10, 9), person())
    below = await client.patch(f"/api/v1/staff/slots/{slot}", json={"capacity": 1}, headers=clerk)
    assert (below.status_code, below.json()["error"]["code"]) == (409, "capacity_below_booked")
    closed = await client.patch(f"/api/v1/staff/slots/{slot}", json={"status": "closed", "reason": "系统维护"},
                                headers=clerk)
    assert (closed.json()["status"], closed.json()["booked"]) == ("closed", 0)
    closure = await client.post(f"/api/v1/staff/halls/{world.hall_id}/closures",
                                json={"date": "2026-03-11", "from": "14:00", "reason": "消防演练"}, headers=clerk)
    assert closure.status_code == 201
    assert (closure.json()["from"], closure.json()["to"], closure.json()["slots_closed"]) == ("14:00:00", None, 3)


async def test_desk_walk_ins_calls_queue_ratings_and_stats(client, halls):
    world, _ = halls
    booking = await book(world, local(3, 10, 9), person())
    freeze(local(3, 10, 8, 40))
    clerk = await client.login_staff(halls=[world.hall_id])
    checked = await client.post("/api/v1/staff/checkin", json={"code": booking["code"]}, headers=clerk)
    ticket = checked.json()["ticket"]
    walk = await client.post(f"/api/v1/staff/halls/{world.hall_id}/walkins", json={"service_id": world.service_id},
                             headers=clerk)
    assert walk.status_code == 201 and walk.json()["label"] == "W001"
    await client.post(f"/api/v1/staff/tickets/{ticket['id']}/call", json={"window": "5"}, headers=clerk)
    queue = (await client.get(f"/api/v1/halls/{world.hall_id}/queue")).json()
    assert queue["serving"] == [{"window": "5", "ticket": "A001"}]
    assert (queue["waiting"], queue["next"]) == (1, ["W001"])
    waiting = await client.get(f"/api/v1/staff/halls/{world.hall_id}/tickets", params={"status": "waiting"},
                               headers=clerk)
    assert [t["label"] for t in waiting.json()] == ["W001"]
    done = await client.post(f"/api/v1/staff/tickets/{ticket['id']}/complete", headers=clerk)
    assert done.json()["status"] == "completed"
    twice = await client.post(f"/api/v1/staff/tickets/{ticket['id']}/complete", headers=clerk)
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "invalid_ticket_state")
    gone = await client.post(f"/api/v1/staff/tickets/{walk.json()['id']}/no-show", headers=clerk)
    assert gone.json()["status"] == "no_show"
    stats_url = f"/api/v1/staff/halls/{world.hall_id}/stats"
    stats = await client.get(stats_url, params={"from": "2026-03-10", "to": "2026-03-10"}, headers=clerk)
    assert stats.json()["days"][0] | {"date": None} == {"date": None, "booked": 1, "checked_in": 1, "no_shows": 0,
                                                        "cancellations": 0, "walk_ins": 1, "ratings": 0,
                                                        "average_rating": None}
    assert stats.json()["from"] == "2026-03-10"
    too_long = await client.get(stats_url, params={"from": "2026-01-01", "to": "2026-12-31"}, headers=clerk)
    assert too_long.status_code == 422


async def test_a_late_check_in_is_too_late_before_and_after_the_no_show_job(client, halls):
    from appointments import service_checkin, service_tickets
    from appointments.tables import Booking

    world, _ = halls
    late = await book(world, local(3, 10, 9), person())
    qr_token = service_checkin.checkin_token(await Booking.get(id=late["id"]))  # what its QR code carries
    freeze(local(3, 10, 9, 16))  # the deadline was 09:15
    clerk = await client.login_staff(halls=[world.hall_id])

    async def check_in(**sent: str) -> tuple[int, str, dict]:
        answer = await client.post("/api/v1/staff/checkin", json=sent, headers=clerk)
        return answer.status_code, answer.json()["error"]["code"], answer.json()["error"]["details"]

    deadline = {"deadline": "2026-03-10T01:15:00+00:00"}
    assert await check_in(code=late["code"]) == (409, "too_late", deadline)
    assert await service_tickets.mark_no_shows() == 1  # the worker's five-minute job
    assert await check_in(code=late["code"]) == (409, "too_late", deadline)
    assert await check_in(token=qr_token) == (409, "too_late", deadline)  # its QR code says the same
    other_clerk = await client.login_staff(halls=[world.hall_id + 1000])
    scanned = await client.post("/api/v1/staff/checkin", json={"token": qr_token}, headers=other_clerk)
    assert (scanned.status_code, scanned.json()["error"]["details"]) == (403, {"hall_id": world.hall_id})  # not "late"
    shown = await client.get(f"/api/v1/bookings/{late['id']}", headers=clerk)
    assert (shown.json()["status"], shown.json()["ticket"]) == ("no_show", None)


async def test_a_window_is_a_number_or_a_name_and_every_ticket_names_its_service(client, halls):
    world, _ = halls
    booking = await book(world, local(3, 10, 9), person())
    freeze(local(3, 10, 8, 40))
    clerk = await client.login_staff(halls=[world.hall_id])
    checked = (await client.post("/api/v1/staff/checkin", json={"code": booking["code"]}, headers=clerk)).json()
    service = {"id": world.service_id, "name": "社保卡补办"}
    assert checked["ticket"]["service"] == checked["booking"]["ticket"]["service"] == service
    walk = (await client.post(f"/api/v1/staff/halls/{world.hall_id}/walkins", json={}, headers=clerk)).json()
    assert walk["service"] is None
    call = f"/api/v1/staff/tickets/{checked['ticket']['id']}/call"
    by_number = await client.post(call, json={"window": 12}, headers=clerk)
    assert (by_number.status_code, by_number.json()["window"], by_number.json()["service"]) == (200, "12", service)
    by_name = await client.post(call, json={"window": "综合窗口"}, headers=clerk)
    assert by_name.json()["window"] == "综合窗口"
    for bad in (0, -3, 2**31, True, 1.5, "", "x" * 17):
        refused = await client.post(call, json={"window": bad}, headers=clerk)
        assert (refused.status_code, refused.json()["error"]["details"]["fields"][0]["field"]) == (422, "window"), bad
    listed = (await client.get(f"/api/v1/staff/halls/{world.hall_id}/tickets", headers=clerk)).json()
    assert [(t["label"], t["service"]) for t in listed] == [("A001", service), ("W001", None)]
    document = (await client.get("/openapi.json")).json()
    body = document["paths"]["/api/v1/staff/tickets/{ticket_id}/call"]["post"]["requestBody"]
    schema = document["components"]["schemas"][body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]]
    assert schema["properties"]["window"]["anyOf"] == [  # the schema says what the call takes and refuses
        {"type": "string", "minLength": 1, "maxLength": 16}, {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}]


async def test_dissatisfied_ratings_and_their_follow_up(client, halls):
    from appointments import service_ratings
    from appointments.tables import Booking
    from server import clock

    world, _ = halls
    resident = await client.login_dev()
    me = (await client.get("/api/v1/me", headers=resident)).json()["id"]
    happy, unhappy = [await book(world, local(3, 10, 9), person(), account=me) for _ in range(2)]
    for booking in (happy, unhappy):
        await Booking.filter(id=booking["id"]).update(status="completed", completed_at=clock.now())
    await service_ratings.rate(happy["id"], user_id=me, score=5, comment="很好")
    await service_ratings.rate(unhappy["id"], user_id=me, score=2, comment="排队太久")
    clerk = await client.login_staff(halls=[world.hall_id])
    bad = await client.get(f"/api/v1/staff/halls/{world.hall_id}/ratings", params={"dissatisfied": "true"},
                           headers=clerk)
    assert [r["booking_id"] for r in bad.json()] == [unhappy["id"]]
    rating_id = bad.json()[0]["id"]
    url = f"/api/v1/staff/ratings/{rating_id}"
    followed = await client.patch(url, json={"follow_up_status": "contacted", "follow_up_note": "已电话回访"},
                                  headers=clerk)
    assert (followed.json()["follow_up_status"], followed.json()["follow_up_note"]) == ("contacted", "已电话回访")
    # One name in and out: "note", read once as well, is refused by name and changes nothing.
    for sent in ({"note": "已致歉"}, {"note": "已致歉", "follow_up_note": "已致歉"}):
        refused = await client.patch(url, json={"follow_up_status": "resolved", **sent}, headers=clerk)
        assert refused.status_code == 422
        assert refused.json()["error"]["details"]["fields"] == [
            {"field": "note", "in": "body", "code": "extra_forbidden", "message": "不允许的字段"}]
    kept = await client.patch(url, json={"follow_up_status": "resolved"}, headers=clerk)
    assert (kept.json()["follow_up_status"], kept.json()["follow_up_note"]) == ("resolved", "已电话回访")
    other = await client.login_staff(halls=[world.hall_id + 1])
    assert (await client.patch(f"/api/v1/staff/ratings/{rating_id}", json={"follow_up_status": "pending"},
                               headers=other)).status_code == 403
