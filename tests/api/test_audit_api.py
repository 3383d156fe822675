"""The operation log through the API: staff writes are recorded by the endpoint, failures too, residents'
are not; admins search, page and export it; nobody else reads it."""

from __future__ import annotations

import csv
import io

from server.tables import OperationLog


async def entries(action: str) -> list[OperationLog]:
    return await OperationLog.filter(action=action).order_by("id")


async def test_a_staff_write_is_recorded_with_route_target_fields_and_result(client):
    admin = await client.login_staff(role="admin")
    body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [113.93, 22.53]},
            "properties": {"name": "南山政务服务中心", "category": "hall.community", "phone": "0755-12345678"}}
    created = await client.post("/api/v1/map/pois", json=body, headers={**admin, "User-Agent": "pytest"})
    assert created.status_code == 201, created.text
    poi_id = created.json()["id"]
    missing = await client.patch("/api/v1/map/pois/999999", json={"type": "Feature", "properties": {"name": "无"}},
                                 headers=admin)
    assert missing.status_code == 404
    closed = await client.delete(f"/api/v1/map/pois/{poi_id}", headers=admin)
    assert closed.status_code == 200

    [create] = await entries("geo.create_poi")
    assert (create.kind, create.method, create.route, create.status, create.result) == (
        "write", "POST", "/api/v1/map/pois", 201, "ok")
    assert create.actor_role == "admin" and create.ip == "127.0.0.1"
    assert create.after["properties"]["name"] == "南山政务服务中心"
    [failed] = await entries("geo.update_poi")
    assert (failed.target, failed.status, failed.result) == ("poi_id=999999", 404, "poi_not_found")
    [close] = await entries("geo.close_poi")
    assert close.target == f"poi_id={poi_id}" and close.route == "/api/v1/map/pois/<poi_id:int>"


async def test_a_rejected_body_is_recorded_and_secrets_never_are(client):
    staff = await client.login_staff(role="staff")
    bad = await client.patch("/api/v1/me", json={"nickname": "", "password": "Secret-123"}, headers=staff)
    assert bad.status_code == 422
    [entry] = await entries("server.update_me")
    assert entry.result == "validation_error" and entry.after is None
    assert "Secret-123" not in str(await OperationLog.all().values())


async def test_residents_writes_and_everyones_reads_are_not_recorded(client):
    resident = await client.login_dev()
    assert (await client.patch("/api/v1/me", json={"nickname": "小王"}, headers=resident)).status_code == 200
    staff = await client.login_staff(role="staff")
    assert (await client.get("/api/v1/me", headers=staff)).status_code == 200
    assert await OperationLog.all().count() == 0


async def test_admins_search_page_and_export_the_log(client):
    staff = await client.login_staff(role="staff")
    for name in ("甲", "乙", "丙"):
        await client.patch("/api/v1/me", json={"nickname": f"=1+{name}"}, headers=staff)
    admin = await client.login_staff(role="admin")
    first = await client.get("/api/v1/admin/audit", params={"action": "server.update_me", "limit": 2}, headers=admin)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [e["after"]["nickname"] for e in page["items"]] == ["=1+丙", "=1+乙"]  # newest first
    rest = await client.get("/api/v1/admin/audit", headers=admin,
                            params={"action": "server.update_me", "limit": 2, "cursor": page["next_cursor"]})
    assert [e["after"]["nickname"] for e in rest.json()["items"]] == ["=1+甲"] and rest.json()["next_cursor"] is None
    exported = await client.get("/api/v1/admin/audit", params={"format": "csv", "action": "server"}, headers=admin)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "时间", "类型"] and len(rows) == 4
    assert all(row[11].startswith("'{") or row[11].startswith("{") for row in rows[1:])
    assert (await client.get("/api/v1/admin/audit", params={"since": "2026-01-01T00:00:00"},
                             headers=admin)).status_code == 422  # an instant needs its offset
    logins_cursor = (await client.get("/api/v1/admin/logins", params={"cursor": rest.json()["next_cursor"] or page[
        "next_cursor"]}, headers=admin)).json()
    assert logins_cursor["error"]["code"] == "invalid_cursor"  # a cursor of one log means nothing in the other


async def test_only_admins_read_the_logs(client):
    for role in ("staff", "editor"):
        headers = await client.login_staff(role=role)
        for path in ("/api/v1/admin/audit", "/api/v1/admin/logins"):
            assert (await client.get(path, headers=headers)).status_code == 403
    assert (await client.get("/api/v1/admin/logins")).status_code == 401
