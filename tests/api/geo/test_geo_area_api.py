"""Who serves me (locate) and walking-distance coverage on hand-computed squares (both backends)."""

from __future__ import annotations

import math

import geojson
import pytest
from shapely.geometry import shape

from geo import service_divisions
from tests.integration.geo.geo_support import (
    ORIGIN,
    add_pois,
    division,
    feature,
    haversine,
    offset,
    square,
)

# A 64-gon circle (what the service buffers with) has (64 / 2pi) sin(2pi / 64) of the disc's area.
POLYGON_FACTOR = 64 / (2 * math.pi) * math.sin(2 * math.pi / 64)


async def load_divisions():
    report = await service_divisions.import_divisions([
        division("440303", "罗湖区", "district", square(ORIGIN, 5000)),
        division("440303003", "东门街道", "street", square(ORIGIN, 1000), "440303"),
        division("440303003001", "湖贝社区", "community", square(ORIGIN, 1000), "440303003"),
        division("440303002", "黄贝街道", "street", square(offset(ORIGIN, 3000, 0), 1000), "440303"),
    ])
    assert report.created == 4 and not report.rejected


async def test_locate_names_the_divisions_and_the_nearest_poi_in_service_per_category(client):
    await load_divisions()
    here = offset(ORIGIN, 100, 100)
    clinic, hospital = offset(here, 300, 0), offset(here, 0, -800)
    hall, canteen = offset(here, -2000, 0), offset(here, 50, 0)
    ids = await add_pois(feature("诊所", clinic, "health.clinic"), feature("医院", hospital, "health.hospital"),
                         feature("便民服务中心", hall, "hall.street"),
                         feature("暂停的长者饭堂", canteen, "elderly.canteen", status="temporarily_closed"),
                         feature("关闭的药店", here, "health.pharmacy", status="closed"))
    response = await client.get("/api/v1/map/locate", params={"lon": here[0], "lat": here[1]})
    body = response.json()
    assert [(d["code"], d["name"], d["level"]) for d in body["divisions"]] == [
        ("440303003001", "湖贝社区", "community"), ("440303003", "东门街道", "street"), ("440303", "罗湖区", "district")]
    nearest = body["nearest"]
    assert nearest["education"] is None and nearest["elderly"] is None
    assert nearest["health"]["id"] == ids[0] and nearest["health"]["name"] == "诊所"
    assert abs(nearest["health"]["distance_m"] - haversine(here, clinic)) <= 0.5
    assert nearest["hall"]["id"] == ids[2] and abs(nearest["hall"]["distance_m"] - haversine(here, hall)) <= 0.5
    assert (nearest["hall"]["category"], nearest["hall"]["category_name"]) == ("hall.street", "街道便民服务中心")
    elsewhere = (await client.get("/api/v1/map/locate", params={"lon": 113.0, "lat": 23.5})).json()
    assert elsewhere["divisions"] == []


async def test_the_nearest_health_service_is_a_doctor_and_a_pharmacy_only_when_asked(client):
    here = offset(ORIGIN, 100, 100)
    pharmacy, centre, clinic = offset(here, 20, 0), offset(here, 600, 0), offset(here, 900, 0)
    ids = await add_pois(feature("大药房", pharmacy, "health.pharmacy"),
                         feature("社区健康服务中心", centre, "health.community"),
                         feature("门诊部", clinic, "health.clinic"))
    located = (await client.get("/api/v1/map/locate", params={"lon": here[0], "lat": here[1]})).json()
    health = located["nearest"]["health"]
    assert (health["id"], health["category"], health["category_name"]) == (ids[1], "health.community", "社区健康服务中心")
    asked = await client.get("/api/v1/map/locate", params={"lon": here[0], "lat": here[1],
                                                           "category": "health.pharmacy,health.clinic,education"})
    nearest = asked.json()["nearest"]
    assert list(nearest) == ["health.pharmacy", "health.clinic", "education"]
    assert (nearest["health.pharmacy"]["id"], nearest["health.pharmacy"]["category_name"]) == (ids[0], "药店")
    assert nearest["health.clinic"]["id"] == ids[2] and nearest["education"] is None


async def test_divisions_are_listed_as_a_tree_a_picker_walks_down(client):
    await load_divisions()
    everything = (await client.get("/api/v1/map/divisions")).json()
    assert [(d["code"], d["name"], d["level"], d["parent_code"], d["children"]) for d in everything] == [
        ("440303", "罗湖区", "district", None, 2),
        ("440303002", "黄贝街道", "street", "440303", 0),
        ("440303003", "东门街道", "street", "440303", 1),
        ("440303003001", "湖贝社区", "community", "440303003", 0)]
    streets = (await client.get("/api/v1/map/divisions", params={"parent": "440303"})).json()
    assert [d["name"] for d in streets] == ["黄贝街道", "东门街道"]
    communities = (await client.get("/api/v1/map/divisions", params={"level": "community"})).json()
    assert [d["code"] for d in communities] == ["440303003001"]
    assert (await client.get("/api/v1/map/divisions", params={"parent": "440303002"})).json() == []
    unknown = await client.get("/api/v1/map/divisions", params={"parent": "999"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "division_not_found")


async def test_a_level_under_a_parent_is_every_division_of_that_level_below_it(client):
    # A community picker for a district skips the streets: parent + level reaches below the children.
    await load_divisions()
    below = (await client.get("/api/v1/map/divisions", params={"parent": "440303", "level": "community"})).json()
    assert [(d["code"], d["parent_code"]) for d in below] == [("440303003001", "440303003")]
    streets = (await client.get("/api/v1/map/divisions", params={"parent": "440303", "level": "street"})).json()
    assert [d["code"] for d in streets] == ["440303002", "440303003"]
    above = await client.get("/api/v1/map/divisions", params={"parent": "440303003", "level": "district"})
    assert above.status_code == 200 and above.json() == []
    # The 12-digit padded form (统计用区划代码 as many tables write it) names the same place, as in subscriptions.
    for padded, short in (("440303000000", "440303"), ("440303003000", "440303003")):
        listed = await client.get("/api/v1/map/divisions", params={"parent": padded})
        assert listed.status_code == 200
        assert listed.json() == (await client.get("/api/v1/map/divisions", params={"parent": short})).json() != []
    missing = await client.get("/api/v1/map/divisions", params={"parent": "440399000000"})
    assert missing.status_code == 404


async def test_the_divisions_endpoint_is_in_the_api_document_with_its_filters_and_404(client):
    operation = (await client.get("/openapi.json")).json()["paths"]["/api/v1/map/divisions"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["level"]["schema"]["enum"] == ["district", "street", "community"]
    assert "division_not_found" in parameters["parent"]["description"]
    assert operation["responses"]["404"]["description"] == "division_not_found"
    listed = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["type"] == "array" and listed["items"]["$ref"].endswith("/DivisionOut")


async def coverage(client, **params):
    response = await client.get("/api/v1/map/coverage", params={"division": "440303003", **params})
    assert response.status_code == 200, response.text
    assert geojson.GeoJSON.to_instance(response.json()["uncovered"]).is_valid
    return response.json()


@pytest.mark.parametrize(("where", "radius", "expected"), [
    # A disc of 500 m inside the 2 km square: pi 500^2 / 2000^2.
    ((0, 0), 500, math.pi * 500**2 / 2000**2 * POLYGON_FACTOR),
    # A corner: a quarter of a 1000 m disc.
    ((1000, 1000), 1000, math.pi * 1000**2 / 4 / 2000**2 * POLYGON_FACTOR),
    # 200 m outside the west edge, it still serves a segment of the square: r^2 acos(d/r) - d sqrt(r^2 - d^2).
    ((-1200, 0), 1000, (1000**2 * math.acos(0.2) - 200 * math.sqrt(1000**2 - 200**2)) / 2000**2),
])
async def test_coverage_of_a_square_matches_the_hand_computed_share(client, where, radius, expected):
    await load_divisions()
    await add_pois(feature("长者饭堂", offset(ORIGIN, *where), "elderly.canteen"))
    body = await coverage(client, category="elderly", radius_m=radius)
    assert body["coverage_ratio"] == pytest.approx(expected, abs=0.003)
    assert (body["category"], body["radius_m"], body["division"]) == ("elderly", radius, "440303003")
    uncovered = shape(body["uncovered"])
    square_area = shape({"type": "Polygon", "coordinates": [square(ORIGIN, 1000)]}).area
    assert uncovered.area / square_area == pytest.approx(1 - expected, abs=0.004)
    for polygon in getattr(uncovered, "geoms", [uncovered]):
        assert polygon.exterior.is_ccw and not any(ring.is_ccw for ring in polygon.interiors)  # RFC 7946


async def test_coverage_counts_only_open_points_of_the_category(client):
    await load_divisions()
    await add_pois(feature("关了的饭堂", ORIGIN, "elderly.canteen", status="closed"),
                   feature("诊所", ORIGIN, "health.clinic"),
                   feature("远处饭堂", offset(ORIGIN, 3000, 0), "elderly.canteen"))
    body = await coverage(client, category="elderly.canteen", radius_m=1000)
    assert body["coverage_ratio"] == 0.0
    assert shape(body["uncovered"]).area == pytest.approx(
        shape({"type": "Polygon", "coordinates": [square(ORIGIN, 1000)]}).area, rel=1e-6)


async def test_full_coverage_leaves_an_empty_multipolygon(client):
    await load_divisions()
    await add_pois(feature("养老院", ORIGIN, "elderly.nursing_home"))
    body = await coverage(client, category="elderly", radius_m=1500)  # half the diagonal is 1414 m
    assert body["coverage_ratio"] == 1.0
    assert body["uncovered"] == {"type": "MultiPolygon", "coordinates": []}
