"""Redis down (a port where nothing listens): logins, reads and bookings keep working, /readyz says so,
and no route answers 500 (both backends)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import schemathesis

from server import accounts
from tests.api.console.conftest import Browser, make_user
from tests.api.fuzz_support import build_world, persona_for, request_of
from tests.api.test_fuzz_openapi import examples, roles_by_operation
from tests.integration.appointments.booking_support import MONDAY_10, freeze, make_hall
from tests.support.ids import make_id_number
from tests.support.outage import redis_down

WECHAT_DOWN = {"wechat_unavailable", "wxacode_unavailable"}


async def test_staff_login_and_its_lock_out_work_without_redis(client):
    await accounts.create_user(username="clerk.feng", password="right password", role="staff")
    async with redis_down():
        ok = await client.post("/api/v1/auth/staff", json={"username": "clerk.feng", "password": "right password"})
        assert ok.status_code == 200, ok.text
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {ok.json()['token']}"})
        assert me.status_code == 200 and me.json()["role"] == "staff"
        for _ in range(5):
            wrong = await client.post("/api/v1/auth/staff", json={"username": "clerk.feng", "password": "nope"})
            assert wrong.status_code == 401
        locked = await client.post("/api/v1/auth/staff", json={"username": "clerk.feng", "password": "right password"})
        assert locked.status_code == 429 and locked.json()["error"]["code"] == "too_many_attempts"
    # the lock was kept in the database: Redis coming back does not lift it
    again = await client.post("/api/v1/auth/staff", json={"username": "clerk.feng", "password": "right password"})
    assert again.status_code == 429


async def test_a_staff_member_with_a_second_factor_logs_in_without_redis(client):
    import pyotp

    from server import clock, totp

    user = await accounts.create_user(username="admin.he", password="right password", role="staff")
    secret = (await totp.start_enrolment(user.id))["secret"]
    clock.freeze(clock.now())
    await totp.confirm_enrolment(user.id, pyotp.TOTP(secret, interval=totp.STEP_S).at(clock.timestamp()))
    clock.advance(timedelta(seconds=totp.STEP_S))
    code = pyotp.TOTP(secret, interval=totp.STEP_S).at(clock.timestamp())
    async with redis_down():
        login = await client.post("/api/v1/auth/staff",
                                  json={"username": "admin.he", "password": "right password", "otp": code})
        assert login.status_code == 200, login.text


async def test_the_console_logs_in_and_serves_its_pages_without_redis(app, db):
    freeze(MONDAY_10)
    hall = (await make_hall()).hall_id
    clerk, editor = await make_user("staff", halls=[hall]), await make_user("editor")
    pages = {clerk: ["/console/", "/console/halls", *(f"/console/hall/{hall}/{page}" for page in
                     ("day", "day.csv", "queue", "checkin", "ratings", "stats", "closures", "slots")),
                     f"/console/display/{hall}", f"/console/display/{hall}/board", "/console/password"],
             editor: ["/console/editor/documents", "/console/editor/documents/new"]}
    for (username, password), paths in pages.items():
        async with Browser(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
                           base_url="https://testserver") as browser, redis_down():
            response = await browser.log_in(username, password)
            assert response.status_code == 303, response.text
            for path in paths:
                page = await browser.get(path)
                assert page.status_code == 200, f"{path}: {page.status_code} {page.text[:300]}"


async def test_wechat_login_works_without_redis_and_needs_no_access_token(client, wx):
    async with redis_down():
        login = await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid="oNoRedis")})
        assert login.status_code == 200, login.text
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.json()['token']}"})
        assert me.status_code == 200
        # getuserphonenumber needs the shared access token, which lives in Redis: 503, not 500
        phone = await client.post("/api/v1/auth/phone", json={"code": wx.phone_code("13800138000")},
                                  headers={"Authorization": f"Bearer {login.json()['token']}"})
        assert phone.status_code == 503 and phone.json()["error"]["code"] == "wechat_unavailable"
    assert wx.state.token_fetches == 0


async def test_readyz_says_redis_is_down_while_healthz_and_reads_answer(client):
    async with redis_down():
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"]["details"]["down"] == ["redis"]
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/api/v1/halls")).status_code == 200
    assert (await client.get("/readyz")).status_code == 200


async def test_booking_works_without_redis(client, db):
    freeze(MONDAY_10)
    hall = await make_hall()
    me = await client.login_dev()
    async with redis_down():
        days = await client.get(f"/api/v1/halls/{hall.hall_id}/availability",
                                params={"service_id": hall.service_id, "from": "2026-03-10", "to": "2026-03-10"})
        assert days.status_code == 200, days.text
        slot = days.json()["days"][0]["slots"][0]
        made = await client.post("/api/v1/bookings", headers=me, json={
            "slot_id": slot["id"], "service_id": hall.service_id, "name": "李娜",
            "id_number": make_id_number(seq=3), "phone": "13712345678"})
        assert made.status_code == 201, made.text
        mine = await client.get("/api/v1/bookings", headers=me)
        assert [b["id"] for b in mine.json()] == [made.json()["id"]]


async def test_no_route_answers_500_while_redis_is_down(client, app):
    """Every operation of /openapi.json, with two examples that fit its schema (naming rows that exist),
    as the roles it admits. Only WeChat calls that need the shared access token may answer 503."""
    world = await build_world()
    document = (await client.get("/openapi.json")).json()
    roles = roles_by_operation(app)
    operations = [result.ok() for result in schemathesis.openapi.from_dict(document).get_all_operations()]
    failures = []
    async with redis_down():
        for operation in operations:
            method = operation.method.upper()
            for index, case in enumerate(examples(operation, schemathesis.GenerationMode.POSITIVE)[:2]):
                for name in list(case.path_parameters or {}):
                    known = world.known(name)
                    if known is not None:
                        case.path_parameters[name] = known
                persona = persona_for(method, operation.path, roles.get((method, operation.path)), index)
                headers = await world.headers(persona)
                response = await client.request(**request_of(case.as_transport_kwargs(base_url=""), headers))
                unavailable = response.status_code == 503 and response.json()["error"]["code"] in WECHAT_DOWN
                if response.status_code >= 500 and not unavailable:
                    failures.append(f"{method} {operation.path} as {persona} -> {response.status_code}: "
                                    f"{response.text[:300]}")
    assert not failures, "\n".join(failures)
