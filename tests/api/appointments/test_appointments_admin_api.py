"""Admins through HTTP (both backends): halls, rules, service items, hall staff, the calendar, OpenAPI."""

from __future__ import annotations

from tests.integration.appointments.booking_support import MONDAY_10, freeze


async def test_admins_create_halls_and_services_and_assign_staff(client, db):
    freeze(MONDAY_10)
    admin = await client.login_staff(role="admin")
    created = await client.post("/api/v1/admin/halls", json={"name": "黄贝街道便民服务中心", "address": "黄贝路1号",
                                                             "poi_id": 12, "rules": {"max_per_week": 3}}, headers=admin)
    assert created.status_code == 201, created.text
    hall = created.json()
    assert (hall["poi_id"], hall["timezone"], hall["rules"]["max_per_week"], hall["rules"]["max_per_month"]) == (
        12, "Asia/Shanghai", 3, 6)
    taken = await client.post("/api/v1/admin/halls", json={"name": "黄贝街道便民服务中心"}, headers=admin)
    assert (taken.status_code, taken.json()["error"]["code"]) == (409, "hall_name_taken")
    bad_rule = await client.patch(f"/api/v1/admin/halls/{hall['id']}", json={"rules": {"max_per_week": 9}},
                                  headers=admin)
    assert bad_rule.status_code == 422
    assert bad_rule.json()["error"]["details"]["fields"][0]["field"] == "rules.max_per_week"
    patched = await client.patch(f"/api/v1/admin/halls/{hall['id']}", json={"rules": {"cancel_before_minutes": 120}},
                                 headers=admin)
    assert patched.json()["rules"]["cancel_before_minutes"] == 120 and patched.json()["rules"]["max_per_week"] == 3
    service = await client.post(f"/api/v1/admin/halls/{hall['id']}/services",
                                json={"name": "公租房申请", "department": "区住房和建设局", "materials": ["身份证"]},
                                headers=admin)
    assert service.status_code == 201
    renamed = await client.patch(f"/api/v1/admin/services/{service.json()['id']}", json={"average_minutes": 30},
                                 headers=admin)
    assert renamed.json()["average_minutes"] == 30
    from server import accounts

    clerk_user = await accounts.create_user(username="clerk-hb", password="pw-12345678", role="staff")
    login = await client.post("/api/v1/auth/staff", json={"username": "clerk-hb", "password": "pw-12345678"})
    clerk = {"Authorization": f"Bearer {login.json()['token']}"}
    sheet = f"/api/v1/staff/halls/{hall['id']}/bookings"
    assert (await client.get(sheet, params={"date": "2026-03-10"}, headers=clerk)).status_code == 403
    assigned = await client.put(f"/api/v1/admin/halls/{hall['id']}/staff", json={"user_ids": [clerk_user.id]},
                                headers=admin)
    assert [s["username"] for s in assigned.json()] == ["clerk-hb"]
    assert (await client.get(sheet, params={"date": "2026-03-10"}, headers=clerk)).status_code == 401  # logged out
    login = await client.post("/api/v1/auth/staff", json={"username": "clerk-hb", "password": "pw-12345678"})
    clerk = {"Authorization": f"Bearer {login.json()['token']}"}
    assert (await client.get(sheet, params={"date": "2026-03-10"}, headers=clerk)).status_code == 200
    await client.put(f"/api/v1/admin/halls/{hall['id']}/staff", json={"user_ids": []}, headers=admin)
    assert (await client.get(sheet, params={"date": "2026-03-10"}, headers=clerk)).status_code == 401
    login = await client.post("/api/v1/auth/staff", json={"username": "clerk-hb", "password": "pw-12345678"})
    clerk = {"Authorization": f"Bearer {login.json()['token']}"}
    assert (await client.get(sheet, params={"date": "2026-03-10"}, headers=clerk)).status_code == 403


async def test_only_admins_reach_admin_endpoints(client, db):
    resident = await client.login_dev()
    clerk = await client.login_staff()
    for headers in (resident, clerk):
        response = await client.post("/api/v1/admin/halls", json={"name": "x"}, headers=headers)
        assert response.status_code == 403
        assert (await client.get("/api/v1/admin/calendar/2026", headers=headers)).status_code == 403
    assert (await client.get("/api/v1/admin/calendar/2026")).status_code == 401


async def test_the_calendar_over_http(client, db):
    admin = await client.login_staff(role="admin")
    unknown = await client.get("/api/v1/admin/calendar/2027", headers=admin)
    assert unknown.json() == {"year": 2027, "confirmed": False, "source": "weekdays", "entries": []}
    entries = [{"date": "2027-02-06", "kind": "holiday", "name": "春节"},
               {"date": "2027-02-13", "kind": "workday", "name": "春节调休", "stands_in_for": "fri"}]
    put = await client.put("/api/v1/admin/calendar/2027", json={"entries": entries}, headers=admin)
    assert put.status_code == 200
    assert put.json() == {"year": 2027, "confirmed": True, "source": "admin",
                          "entries": [{**entries[0], "stands_in_for": None}, entries[1]]}
    bad = await client.put("/api/v1/admin/calendar/2027", json={"entries": [{"date": "2027-02-30", "kind": "holiday"}]},
                           headers=admin)
    assert bad.status_code == 422


async def test_one_day_of_the_calendar_over_http(client, db):
    admin = await client.login_staff(role="admin")
    url = "/api/v1/admin/calendar/2027/day"
    await client.put(url, json={"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}, headers=admin)
    put = await client.put(url, json={"date": "2027-10-09", "kind": "workday", "stands_in_for": "fri"}, headers=admin)
    assert put.status_code == 200 and put.json()["source"] == "admin"
    assert [(e["date"], e["kind"]) for e in put.json()["entries"]] == [("2027-10-01", "holiday"), ("2027-10-09", "workday")]
    cleared = await client.put(url, json={"date": "2027-10-01", "kind": "default"}, headers=admin)
    assert [e["date"] for e in cleared.json()["entries"]] == ["2027-10-09"]
    for wrong, field in (({"date": "2028-01-01", "kind": "holiday"}, "date"),
                         ({"date": "2027-03-01", "kind": "holiday", "stands_in_for": "mon"}, "stands_in_for")):
        bad = await client.put(url, json=wrong, headers=admin)
        assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == field
    assert (await client.put(url, json={"date": "2027-10-01", "kind": "holiday"},
                             headers=await client.login_staff())).status_code == 403


async def test_the_endpoints_are_in_openapi(client, db):
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path, method in [("/api/v1/bookings", "post"), ("/api/v1/halls/{hall_id}/availability", "get"),
                         ("/api/v1/staff/checkin", "post"), ("/api/v1/admin/calendar/{year}", "put"),
                         ("/api/v1/staff/halls/{hall_id}/bookings", "get"),
                         ("/api/v1/bookings/{booking_id}/qr.png", "get")]:
        assert method in paths[path], path
    params = {p["name"] for p in paths["/api/v1/halls/{hall_id}/availability"]["get"]["parameters"]}
    assert {"hall_id", "service_id", "from", "to"} <= params
