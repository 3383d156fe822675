"""GET /api/v1/map/pois: nearby by distance, bbox, filters, pages, ETags (both backends)."""

from __future__ import annotations

import random

import geojson

from tests.integration.geo.geo_support import ORIGIN, add_pois, feature, haversine, north_of, offset

URL = "/api/v1/map/pois"


def near(point, radius, **params):
    return {"lon": point[0], "lat": point[1], "radius": radius, **params}


def valid_geojson(response):
    parsed = geojson.loads(response.text)
    assert parsed.is_valid, parsed.errors()
    assert parsed["type"] == "FeatureCollection"
    return response.json()


async def test_nearby_is_sorted_by_distance_matching_an_independent_haversine(client):
    rng = random.Random(7)
    points = [offset(ORIGIN, rng.uniform(-2500, 2500), rng.uniform(-2500, 2500)) for _ in range(15)]
    far = offset(ORIGIN, 25_000, 0)
    ids = await add_pois(*(feature(f"服务点{i}", p) for i, p in enumerate(points)), feature("远处", far))
    body = valid_geojson(await client.get(URL, params=near(ORIGIN, 5000, limit=50)))
    expected = sorted((haversine(ORIGIN, p), ids[i]) for i, p in enumerate(points) if haversine(ORIGIN, p) <= 5000)
    assert [f["id"] for f in body["features"]] == [poi_id for _, poi_id in expected]
    for feat, (metres, _) in zip(body["features"], expected):
        assert isinstance(feat["properties"]["distance_m"], int)
        assert abs(feat["properties"]["distance_m"] - metres) <= 0.5 + 1e-6
        assert feat["geometry"]["coordinates"] == list(points[ids.index(feat["id"])])
    assert body["total"] == len(expected) and body["next_cursor"] is None and body["coord"] == "wgs84"
    assert ids[-1] not in [f["id"] for f in body["features"]]


async def test_radius_is_inclusive_and_a_metre_further_is_out(client):
    inside, outside = north_of(ORIGIN, 999.0), north_of(ORIGIN, 1001.0)
    ids = await add_pois(feature("内", inside), feature("外", outside))
    body = (await client.get(URL, params=near(ORIGIN, 1000))).json()
    assert [f["id"] for f in body["features"]] == [ids[0]]
    assert body["features"][0]["properties"]["distance_m"] == 999
    wider = (await client.get(URL, params=near(ORIGIN, 1002))).json()
    assert [f["id"] for f in wider["features"]] == ids


async def test_a_nearby_query_without_radius_searches_3000_metres_as_the_schema_says(client):
    ids = await add_pois(feature("近", north_of(ORIGIN, 2999.0)), feature("远", north_of(ORIGIN, 3001.0)))
    response = await client.get(URL, params={"lon": ORIGIN[0], "lat": ORIGIN[1]})
    assert response.status_code == 200, response.text
    assert [f["id"] for f in response.json()["features"]] == [ids[0]]
    documented = (await client.get("/openapi.json")).json()["paths"]["/api/v1/map/pois"]["get"]["parameters"]
    radius = next(p for p in documented if p["name"] == "radius")
    assert radius["required"] is False and radius["schema"]["default"] == 3000


async def test_pages_of_a_nearby_query_without_radius_follow_each_other(client):
    ids = await add_pois(*(feature(f"点{k}", north_of(ORIGIN, 500.0 * k)) for k in (1, 2, 3)),
                         feature("远", north_of(ORIGIN, 3500.0)))
    here = {"lon": ORIGIN[0], "lat": ORIGIN[1], "limit": 2}
    first = (await client.get(URL, params=here)).json()
    assert [f["id"] for f in first["features"]] == ids[:2] and first["total"] == 3
    # The cursor names the query it belongs to: the default radius and radius=3000 are the same query.
    second = await client.get(URL, params={**here, "radius": 3000, "cursor": first["next_cursor"]})
    assert second.status_code == 200, second.text
    assert [f["id"] for f in second.json()["features"]] == ids[2:3] and second.json()["next_cursor"] is None


async def test_pages_follow_each_other_without_gaps_even_on_equal_distances(client):
    # Two points at each spot are exactly equally far: ties are broken by id, also across a page edge.
    points = [offset(ORIGIN, 100.0 * (k + 1), 50.0 * k) for k in range(6) for _ in range(2)]
    ids = await add_pois(*(feature(f"点{i}", p) for i, p in enumerate(points)))
    seen, cursor, pages = [], None, 0
    while True:
        params = near(ORIGIN, 2000, limit=5) | ({"cursor": cursor} if cursor else {})
        body = (await client.get(URL, params=params)).json()
        assert body["total"] == 12
        seen += [f["id"] for f in body["features"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    expected = sorted(range(12), key=lambda i: (haversine(ORIGIN, points[i]), ids[i]))
    assert seen == [ids[i] for i in expected]


async def test_bbox_includes_its_edges_and_lists_by_id(client):
    west, south, east, north = 114.10, 22.54, 114.14, 22.56
    ids = await add_pois(feature("西南角", (west, south)), feature("中间", (114.12, 22.55)),
                         feature("东北角", (east, north)), feature("外面", (114.1401, 22.55)))
    body = valid_geojson(await client.get(URL, params={"bbox": f"{west},{south},{east},{north}"}))
    assert [f["id"] for f in body["features"]] == ids[:3]
    assert "distance_m" not in body["features"][0]["properties"]
    first = (await client.get(URL, params={"bbox": f"{west},{south},{east},{north}", "limit": 2})).json()
    second = (await client.get(URL, params={"bbox": f"{west},{south},{east},{north}", "limit": 2,
                                            "cursor": first["next_cursor"]})).json()
    assert [f["id"] for f in first["features"] + second["features"]] == ids[:3]
    assert second["next_cursor"] is None and second["total"] == 3


async def test_category_filter_includes_descendants_and_takes_a_list(client):
    ids = await add_pois(feature("大参林药店", ORIGIN, "health.pharmacy"),
                         feature("罗湖区人民医院", ORIGIN, "health.hospital"),
                         feature("翠竹小学", ORIGIN, "education.primary"),
                         feature("东门街道便民服务中心", ORIGIN, "hall.street"))

    async def found(category):
        body = (await client.get(URL, params=near(ORIGIN, 100, category=category))).json()
        return sorted(f["id"] for f in body["features"])

    assert await found("health") == sorted(ids[:2])
    assert await found("health.pharmacy,education") == sorted([ids[0], ids[2]])
    assert await found("hall.street") == [ids[3]]


async def test_q_matches_chinese_name_address_and_pinyin_initials(client):
    ids = await add_pois(feature("罗湖区东门社区健康服务中心", ORIGIN, address="深圳市罗湖区东门中路1号"),
                         feature("翠竹社区长者饭堂", ORIGIN, "elderly.canteen", address="翠竹路2号"))

    async def found(q):
        return [f["id"] for f in (await client.get(URL, params={"q": q})).json()["features"]]

    assert await found("社区健康") == [ids[0]]
    assert await found("sqjk") == [ids[0]]
    assert await found("SQJK") == [ids[0]]
    assert await found("翠竹路") == [ids[1]]
    assert await found("社区") == ids
    assert await found("医院") == []


async def test_status_filter_hides_closed_points_by_default(client):
    ids = await add_pois(feature("营业", ORIGIN), feature("暂停", ORIGIN, status="temporarily_closed"),
                         feature("关闭", ORIGIN, status="closed"))
    default = (await client.get(URL, params=near(ORIGIN, 100))).json()
    assert sorted(f["id"] for f in default["features"]) == ids[:2]
    paused = next(f for f in default["features"] if f["id"] == ids[1])
    assert paused["properties"]["status"] == "temporarily_closed" and paused["properties"]["open_now"] is False
    closed = (await client.get(URL, params=near(ORIGIN, 100, status="closed"))).json()
    assert [f["id"] for f in closed["features"]] == [ids[2]]


async def test_list_answers_carry_an_etag_and_honour_if_none_match(client):
    await add_pois(feature("一", ORIGIN))
    first = await client.get(URL, params=near(ORIGIN, 500))
    tag = first.headers["etag"]
    again = await client.get(URL, params=near(ORIGIN, 500), headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    await add_pois(feature("二", offset(ORIGIN, 10, 0)))
    changed = await client.get(URL, params=near(ORIGIN, 500), headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag and changed.json()["total"] == 2
