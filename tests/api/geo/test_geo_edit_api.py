"""Editing the map (admin): create, patch, close, import twice; everyone else is refused (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.geo.geo_support import ORIGIN, feature

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"
POIS = "/api/v1/map/pois"


@pytest.fixture
async def admin(client):
    return await client.login_staff(role="admin")


async def test_residents_staff_and_strangers_cannot_edit(client):
    body = feature("社区工作站", ORIGIN, "hall.community")
    resident = await client.login_dev()
    staff = await client.login_staff(role="staff")
    for headers in (resident, staff):
        for method, path, payload in (("POST", POIS, body), ("PATCH", f"{POIS}/1", body), ("DELETE", f"{POIS}/1", None),
                                      ("POST", "/api/v1/map/import", {"type": "FeatureCollection", "features": []})):
            response = await client.request(method, path, json=payload, headers=headers)
            assert response.status_code == 403, (method, path)
            assert response.json()["error"]["code"] == "forbidden"
    anonymous = await client.post(POIS, json=body)
    assert anonymous.status_code == 401


async def test_admin_creates_changes_and_closes_a_point_and_lists_follow(client, admin):
    created = await client.post(POIS, json=feature("翠竹社区长者饭堂", ORIGIN, "elderly.canteen",
                                                   address="翠竹路1号", source_id="t:canteen"), headers=admin)
    assert created.status_code == 201, created.text
    poi_id = created.json()["id"]
    near = {"lon": ORIGIN[0], "lat": ORIGIN[1], "radius": 100}
    assert [f["id"] for f in (await client.get(POIS, params=near)).json()["features"]] == [poi_id]

    moved = (ORIGIN[0] + 0.01, ORIGIN[1])
    patch = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(moved)},
             "properties": {"name": "木头龙社区长者饭堂", "opening_hours": {"weekly": {"mon": [["11:00", "13:00"]]}}}}
    changed = await client.patch(f"{POIS}/{poi_id}", json=patch, headers=admin)
    assert changed.status_code == 200, changed.text
    props = changed.json()["properties"]
    assert props["name"] == "木头龙社区长者饭堂" and props["address"] == "翠竹路1号"
    assert props["opening_hours"] == {"weekly": {"mon": [["11:00", "13:00"]]}, "exceptions": []}
    assert (await client.get(POIS, params=near)).json()["features"] == []
    found = (await client.get(POIS, params={"q": "mtl"})).json()["features"]
    assert [f["id"] for f in found] == [poi_id] and found[0]["geometry"]["coordinates"] == list(moved)

    closed = await client.delete(f"{POIS}/{poi_id}", headers=admin)
    assert closed.status_code == 200 and closed.json()["properties"]["status"] == "closed"
    assert (await client.get(POIS, params={"q": "mtl"})).json()["features"] == []
    assert (await client.get(f"{POIS}/{poi_id}")).json()["properties"]["status"] == "closed"


async def test_bad_edits_are_refused_with_reasons(client, admin):
    unknown = await client.post(POIS, json=feature("某地", ORIGIN, "pets.shop"), headers=admin)
    assert unknown.status_code == 422
    assert {f["field"] for f in unknown.json()["error"]["details"]["fields"]} == {"properties.category"}
    backwards = {"weekly": {"mon": [["14:00", "12:00"]]}}
    hours = await client.post(POIS, json=feature("某地", ORIGIN, opening_hours=backwards), headers=admin)
    assert hours.status_code == 422 and "weekly.mon[0]" in json.dumps(hours.json(), ensure_ascii=False)
    swapped = await client.post(POIS, json=feature("某地", (ORIGIN[1], ORIGIN[0])), headers=admin)
    assert swapped.status_code == 422
    assert swapped.json()["error"]["details"]["fields"][0]["field"] == "geometry.coordinates"
    await client.post(POIS, json=feature("甲", ORIGIN, source_id="dup"), headers=admin)
    taken = await client.post(POIS, json=feature("乙", ORIGIN, source_id="dup"), headers=admin)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "source_id_taken"
    rename = {"type": "Feature", "properties": {"name": "x"}}
    missing = await client.patch(f"{POIS}/999999", json=rename, headers=admin)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "poi_not_found"
    assert (await client.delete(f"{POIS}/999999", headers=admin)).status_code == 404


async def test_import_lands_the_good_features_rejects_each_bad_one_and_is_idempotent(client, admin):
    collection = json.loads((DATA / "import_mixed.geojson").read_text())
    first = await client.post("/api/v1/map/import", json=collection, headers=admin)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (4, 0, 0)
    assert [(r["index"], r["field"]) for r in report["rejected"]] == [
        (1, "geometry"), (3, "geometry.coordinates"), (4, "properties.category"), (5, "properties.name"),
        (7, "geometry.type"), (8, "properties.source_id")]
    assert all(r["reason"] for r in report["rejected"])
    listed = (await client.get(POIS)).json()
    assert listed["total"] == 4

    second = (await client.post("/api/v1/map/import", json=collection, headers=admin)).json()
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 4)
    assert len(second["rejected"]) == 6
    assert (await client.get(POIS, headers={"If-None-Match": (await client.get(POIS)).headers["etag"]})).status_code == 304

    collection["features"][0]["properties"]["phone"] = "0755-22222222"
    third = (await client.post("/api/v1/map/import", json=collection, headers=admin)).json()
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 3)
    assert (await client.get(POIS, params={"q": "sqjk"})).json()["features"][0]["properties"]["phone"] == "0755-22222222"


async def test_import_body_must_be_a_feature_collection(client, admin):
    response = await client.post("/api/v1/map/import", json={"type": "Feature"}, headers=admin)
    assert response.status_code == 422
