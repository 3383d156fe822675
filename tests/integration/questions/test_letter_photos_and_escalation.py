"""A letter's photos are listed with it and readable only by its writer and those handling it; an
overdue letter tells its department's heads once per escalation."""

from __future__ import annotations

from datetime import timedelta

from questions import service_letter_jobs
from server import clock
from server.tables import OutboxMessage

LETTER = {"column": "mayor", "title": "东门路口路灯坏了", "body": "东门步行街北口的路灯已经坏了一周，晚上很黑，请尽快修复。",
          "category": "city", "phone": "13812345678", "publish_consent": True}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


async def _write(client, headers, **changes):
    answer = await client.post("/api/v1/questions/letters", json={**LETTER, **changes}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _photo(client, headers, data: bytes = PNG) -> int:
    answer = await client.post("/api/v1/questions/photos", files={"file": ("p.png", data)}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_the_letters_photos_are_shown_to_its_writer_and_handlers_only(client, district):
    resident = await client.login_dev()
    first, second = await _photo(client, resident), await _photo(client, resident, PNG + b"2")
    unsent = await _photo(client, resident, PNG + b"3")
    letter = await _write(client, resident, photos=[second, first])
    assert letter["photos"] == [first, second]
    mine = (await client.get(f"/api/v1/questions/me/letters/{letter['id']}", headers=resident)).json()
    assert mine["photos"] == [first, second]
    listed = (await client.get("/api/v1/questions/me/letters", headers=resident)).json()["items"]
    assert [(x["id"], x["photos"]) for x in listed] == [(letter["id"], [first, second])]

    async def status(photo_id: int, headers) -> int:
        return (await client.get(f"/api/v1/questions/photos/{photo_id}", headers=headers)).status_code

    fetched = await client.get(f"/api/v1/questions/photos/{first}", headers=resident)
    assert fetched.status_code == 200 and fetched.content == PNG and fetched.headers["content-type"] == "image/png"
    assert await status(first, await client.login_dev()) == 404
    assert await status(first, district.city_answerer) == 404  # not yet the city department's letter
    assert await status(first, district.dispatcher) == 200
    assert await status(unsent, district.dispatcher) == 404  # nobody handles a photo not sent with a letter
    assert await status(unsent, resident) == 200
    path = f"/api/v1/questions/letters/{letter['id']}"
    await client.post(f"{path}/assign", json={"department_id": district.city}, headers=district.dispatcher)
    staff = (await client.get(path, headers=district.city_answerer)).json()
    assert staff["photos"] == [first, second]
    queue = (await client.get("/api/v1/questions/handling/letters", headers=district.city_answerer)).json()["items"]
    assert [(x["id"], x["photos"]) for x in queue] == [(letter["id"], [first, second])]
    assert await status(second, district.city_answerer) == 200
    assert await status(second, district.housing_answerer) == 404


async def _overdue_pushes() -> list[dict]:
    payloads = await OutboxMessage.filter(topic="push").order_by("id").values_list("payload", flat=True)
    return [p for p in payloads if p["purpose"] == "letter_overdue"]


async def test_each_escalation_tells_the_department_head_once(client, district):
    resident = await client.login_dev()
    letter = await _write(client, resident, title="13812345678 家门口路灯坏了")
    path = f"/api/v1/questions/letters/{letter['id']}"
    await client.post(f"{path}/assign", json={"department_id": district.city}, headers=district.dispatcher)
    clock.advance(timedelta(days=4))  # Friday: one working day past the 3-day deadline
    assert await service_letter_jobs.mark_overdue() == 1
    assert await service_letter_jobs.mark_overdue() == 0
    pushes = await _overdue_pushes()
    assert [p["user_id"] for p in pushes] == [district.city_head_id]
    assert "13812345678" not in str(pushes[0]["data"]) and pushes[0]["data"]["date3"] == "2026年12月10日"
    await district.relogin(client)
    await client.post(f"{path}/reply", json={"reply": "已处理。"}, headers=district.city_answerer)
    reopened = await client.post(f"/api/v1/questions/me/letters/{letter['id']}/rating",
                                 json={"rating": "unsatisfied"}, headers=resident)
    assert reopened.json()["status"] == "assigned"
    assert await service_letter_jobs.mark_overdue() == 0  # a new deadline: not late yet
    clock.advance(timedelta(days=7))
    assert await service_letter_jobs.mark_overdue() == 1  # late again: a second escalation
    assert [p["user_id"] for p in await _overdue_pushes()] == [district.city_head_id] * 2
