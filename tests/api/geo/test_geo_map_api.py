"""Categories, one POI's details, open now, clusters and the streamed export (both backends)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import geojson

from geo import service
from server import clock
from tests.integration.geo.geo_support import (
    OFFICE_HOURS,
    ORIGIN,
    add_pois,
    division,
    feature,
    offset,
    square,
)

SH = ZoneInfo("Asia/Shanghai")


def node(tree, code):
    for item in tree:
        if item["code"] == code:
            return item
        found = node(item["children"], code)
        if found:
            return found
    return None


async def test_category_counts_include_descendants_and_skip_closed(client):
    await add_pois(feature("药店一", ORIGIN, "health.pharmacy"), feature("药店二", ORIGIN, "health.pharmacy"),
                   feature("医院", ORIGIN, "health.hospital"), feature("关了的诊所", ORIGIN, "health.clinic",
                                                                       status="closed"),
                   feature("长者饭堂", ORIGIN, "elderly.canteen"))
    response = await client.get("/api/v1/map/categories")
    tree = response.json()
    assert [item["code"] for item in tree] == ["education", "health", "elderly", "hall"]
    assert node(tree, "health")["count"] == 3 and node(tree, "health")["name"] == "医疗"
    assert node(tree, "health.pharmacy")["count"] == 2 and node(tree, "health.clinic")["count"] == 0
    assert node(tree, "elderly")["count"] == 1 and node(tree, "education")["count"] == 0
    cached = await client.get("/api/v1/map/categories", headers={"If-None-Match": response.headers["etag"]})
    assert cached.status_code == 304


async def test_open_now_follows_the_lunch_break_and_dated_exceptions(client):
    [hall, canteen] = await add_pois(feature("东门街道便民服务中心", ORIGIN, "hall.street", opening_hours=OFFICE_HOURS),
                                     feature("无时间的点", ORIGIN, "elderly.canteen"))
    params = {"lon": ORIGIN[0], "lat": ORIGIN[1], "radius": 100}

    async def at(local):
        clock.freeze(local)
        listed = (await client.get("/api/v1/map/pois", params=params)).json()["features"]
        open_ids = [f["id"] for f in (await client.get("/api/v1/map/pois",
                                                       params={**params, "open_now": "true"})).json()["features"]]
        detail = (await client.get(f"/api/v1/map/pois/{hall}")).json()["properties"]
        shown = {f["id"]: f["properties"]["open_now"] for f in listed}
        return open_ids, shown[hall], detail["open_now"], detail["next_change"]

    # 2026-09-28 is a Monday; 2026-10-01 (National Day) a Thursday with an exception: closed.
    assert await at(datetime(2026, 9, 28, 10, 0, tzinfo=SH)) == (
        [hall], True, True, {"at": "2026-09-28T12:00:00+08:00", "change": "closes"})
    assert await at(datetime(2026, 9, 28, 12, 30, tzinfo=SH)) == (
        [], False, False, {"at": "2026-09-28T14:00:00+08:00", "change": "opens"})
    assert (await at(datetime(2026, 9, 28, 14, 0, tzinfo=SH)))[:3] == ([hall], True, True)
    assert await at(datetime(2026, 10, 1, 10, 0, tzinfo=SH)) == (
        [], False, False, {"at": "2026-10-02T09:00:00+08:00", "change": "opens"})
    assert canteen not in (await at(datetime(2026, 9, 28, 11, 0, tzinfo=SH)))[0]


async def test_detail_has_every_property_its_divisions_and_the_hall(client):
    await _nested_divisions()
    [poi_id] = await add_pois(feature("罗湖区行政服务大厅", ORIGIN, "hall.district", address="文锦中路1008号",
                                      phone="0755-25666345", opening_hours=OFFICE_HOURS, tags=["demo"],
                                      accessibility={"wheelchair": True}, source_id="t:hall"))
    await service.link_hall(poi_id, 42)
    response = await client.get(f"/api/v1/map/pois/{poi_id}")
    assert response.status_code == 200
    body = response.json()
    assert geojson.loads(response.text).is_valid
    props = body["properties"]
    assert body["geometry"] == {"type": "Point", "coordinates": list(ORIGIN)}
    assert {k: props[k] for k in ("name", "category", "category_name", "address", "phone", "status", "hall_id",
                                  "bookable", "tags", "accessibility", "source_id")} == {
        "name": "罗湖区行政服务大厅", "category": "hall.district", "category_name": "区行政服务大厅",
        "address": "文锦中路1008号", "phone": "0755-25666345", "status": "open", "hall_id": 42, "bookable": True,
        "tags": ["demo"], "accessibility": {"wheelchair": True}, "source_id": "t:hall"}
    assert props["opening_hours"] == OFFICE_HOURS
    assert [d["name"] for d in props["divisions"]] == ["湖贝社区", "东门街道", "罗湖区"]
    assert [d["level"] for d in props["divisions"]] == ["community", "street", "district"]


async def _nested_divisions():
    from geo import service_divisions

    report = await service_divisions.import_divisions([
        division("440303", "罗湖区", "district", square(ORIGIN, 3000)),
        division("440303003", "东门街道", "street", square(ORIGIN, 1000), "440303"),
        division("440303003001", "湖贝社区", "community", square(ORIGIN, 300), "440303003"),
    ])
    assert report.created == 3 and not report.rejected


async def test_cluster_counts_add_up_to_the_points_in_the_viewport(client):
    grid = [offset(ORIGIN, 150.0 * i, 150.0 * j) for i in range(12) for j in range(10)]
    outside = offset(ORIGIN, -5000, 0)
    await add_pois(*(feature(f"点{k}", p, "elderly.canteen" if k % 3 else "health.clinic")
                     for k, p in enumerate(grid)), feature("视野外", outside))
    bbox = "114.11,22.54,114.14,22.57"
    response = await client.get("/api/v1/map/clusters", params={"bbox": bbox, "zoom": 12})
    assert geojson.loads(response.text).is_valid
    body = response.json()
    counts = [f["properties"].get("point_count", 1) for f in body["features"]]
    assert body["total"] == 120 and sum(counts) == 120
    clusters = [f for f in body["features"] if f["properties"]["cluster"]]
    assert clusters and all(f["properties"]["expansion_zoom"] > 12 for f in clusters)
    # Street level: 64 px cells are ~70 m, the points 150 m apart, so every one stands alone.
    (west, south), (east, north) = offset(ORIGIN, -10, -10), offset(ORIGIN, 460, 460)
    close = (await client.get("/api/v1/map/clusters", params={"bbox": f"{west},{south},{east},{north}",
                                                               "zoom": 17})).json()
    assert close["total"] == 16 and len(close["features"]) == 16
    assert not any(f["properties"]["cluster"] for f in close["features"])
    clinics = (await client.get("/api/v1/map/clusters", params={"bbox": bbox, "zoom": 12,
                                                                 "category": "health"})).json()
    assert clinics["total"] == 40 and sum(f["properties"].get("point_count", 1) for f in clinics["features"]) == 40
    gcj = await client.get("/api/v1/map/clusters", params={"bbox": bbox, "zoom": 12, "coord": "gcj02"})
    assert geojson.loads(gcj.text).is_valid and gcj.json()["coord"] == "gcj02"
    empty = (await client.get("/api/v1/map/clusters", params={"bbox": "100,30,100.1,30.1", "zoom": 12})).json()
    assert empty["total"] == 0 and empty["features"] == []
    tag = response.headers["etag"]
    again = await client.get("/api/v1/map/clusters", params={"bbox": bbox, "zoom": 12}, headers={"If-None-Match": tag})
    assert again.status_code == 304


async def test_the_export_streams_every_point_in_service_as_valid_geojson(client):
    await add_pois(*(feature(f"点{k}", offset(ORIGIN, 10.0 * k, 0), opening_hours=OFFICE_HOURS) for k in range(1201)),
                   feature("已关闭", ORIGIN, status="closed"))
    response = await client.get("/api/v1/map/pois.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    parsed = geojson.loads(response.text)
    assert parsed.is_valid and len(parsed["features"]) == 1201
    first = json.loads(response.text)["features"][0]
    assert first["properties"]["opening_hours"] == OFFICE_HOURS and first["geometry"]["coordinates"] == list(ORIGIN)
    assert "已关闭" not in response.text
    cached = await client.get("/api/v1/map/pois.geojson", headers={"If-None-Match": response.headers["etag"]})
    assert cached.status_code == 304


async def test_list_etags_follow_opening_and_closing_not_the_clock(client):
    # The ETag of a map page is derived from the data and from which POIs are open (not a hash of
    # the body): it must still change exactly when some POI's open_now does.
    await add_pois(feature("东门街道便民服务中心", ORIGIN, "hall.street", opening_hours=OFFICE_HOURS))
    params = {"lon": ORIGIN[0], "lat": ORIGIN[1], "radius": 100}

    async def page(local, **extra):
        clock.freeze(local)
        return await client.get("/api/v1/map/pois", params={**params, **extra})

    morning = await page(datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    later = await page(datetime(2026, 9, 28, 10, 7, tzinfo=SH))
    assert later.headers["etag"] == morning.headers["etag"]
    cached = await client.get("/api/v1/map/pois", params=params, headers={"If-None-Match": morning.headers["etag"]})
    assert cached.status_code == 304
    lunch = await page(datetime(2026, 9, 28, 12, 0, tzinfo=SH))
    assert lunch.headers["etag"] != morning.headers["etag"]
    assert lunch.json()["features"][0]["properties"]["open_now"] is False
    stale = await client.get("/api/v1/map/pois", params=params, headers={"If-None-Match": morning.headers["etag"]})
    assert stale.status_code == 200
    other_query = await page(datetime(2026, 9, 28, 12, 0, tzinfo=SH), limit=5)
    assert other_query.headers["etag"] != lunch.headers["etag"]
    clusters = {"bbox": "114.0,22.5,114.2,22.6", "zoom": 12}
    clock.freeze(datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    open_clusters = await client.get("/api/v1/map/clusters", params=clusters)
    clock.freeze(datetime(2026, 9, 28, 12, 0, tzinfo=SH))
    closed_clusters = await client.get("/api/v1/map/clusters", params=clusters)
    assert open_clusters.headers["etag"] != closed_clusters.headers["etag"]
