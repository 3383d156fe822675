"""coord=gcj02|bd09 at the edge: inputs converted in, every output coordinate converted out (both backends).

Reference pairs: googollee/eviltransform (Shenzhen, WGS-84 -> GCJ-02) and wandergis/coordtransform
(GCJ-02 <-> BD-09 and WGS-84 -> GCJ-02 at 116.404, 39.915).
"""

from __future__ import annotations

from tests.integration.geo.geo_support import add_pois, feature, haversine

SHENZHEN_WGS = (113.912316, 22.543847)
SHENZHEN_GCJ = (113.9171764808363, 22.540796131694766)
BEIJING = (116.404, 39.915)
BEIJING_WGS_AS_GCJ = (116.41024449916938, 39.91640428150164)  # GCJ-02 of the WGS-84 point BEIJING
BEIJING_GCJ_AS_BD = (116.41036949371029, 39.92133699351021)  # BD-09 of the GCJ-02 point BEIJING
BEIJING_BD_AS_GCJ = (116.39762729119315, 39.90865673957631)  # GCJ-02 of the BD-09 point BEIJING


def coordinates(body):
    return tuple(body["features"][0]["geometry"]["coordinates"])


async def test_outputs_follow_coord_and_match_published_pairs(client):
    [poi_id] = await add_pois(feature("南山医院", SHENZHEN_WGS, "health.hospital"))
    bbox = "113.9,22.53,113.93,22.55"
    wgs = (await client.get("/api/v1/map/pois", params={"bbox": bbox})).json()
    assert coordinates(wgs) == SHENZHEN_WGS and wgs["coord"] == "wgs84"
    gcj = (await client.get("/api/v1/map/pois", params={"bbox": bbox, "coord": "gcj02"})).json()
    assert gcj["coord"] == "gcj02"
    assert haversine(coordinates(gcj), SHENZHEN_GCJ) < 0.05
    detail = (await client.get(f"/api/v1/map/pois/{poi_id}", params={"coord": "gcj02"})).json()
    assert haversine(tuple(detail["geometry"]["coordinates"]), SHENZHEN_GCJ) < 0.05


async def test_nearby_input_in_gcj02_finds_the_point_where_wechat_shows_it(client):
    await add_pois(feature("南山医院", SHENZHEN_WGS, "health.hospital"))
    params = {"lon": SHENZHEN_GCJ[0], "lat": SHENZHEN_GCJ[1], "radius": 50, "coord": "gcj02"}
    body = (await client.get("/api/v1/map/pois", params=params)).json()
    assert body["features"][0]["properties"]["distance_m"] == 0
    assert haversine(coordinates(body), SHENZHEN_GCJ) < 0.5
    # The same numbers read as WGS-84 are about 600 m off, outside a 50 m radius.
    plain = (await client.get("/api/v1/map/pois", params={**params, "coord": "wgs84"})).json()
    assert plain["features"] == []


async def test_bbox_in_gcj02_is_converted_before_searching(client):
    await add_pois(feature("南山医院", SHENZHEN_WGS, "health.hospital"))
    lon, lat = SHENZHEN_GCJ
    bbox = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    assert len((await client.get("/api/v1/map/pois", params={"bbox": bbox, "coord": "gcj02"})).json()["features"]) == 1
    assert (await client.get("/api/v1/map/pois", params={"bbox": bbox})).json()["features"] == []


async def test_points_posted_in_gcj02_and_bd09_round_trip_through_the_api(client):
    admin = await client.login_staff(role="admin")

    async def post(point, coord):
        body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
                "properties": {"name": f"测试点{coord}", "category": "hall.community"}}
        response = await client.post("/api/v1/map/pois", params={"coord": coord}, json=body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    async def shown(poi_id, coord):
        body = (await client.get(f"/api/v1/map/pois/{poi_id}", params={"coord": coord})).json()
        return tuple(body["geometry"]["coordinates"])

    from_gcj = await post(BEIJING_WGS_AS_GCJ, "gcj02")
    assert haversine(await shown(from_gcj, "wgs84"), BEIJING) < 0.5
    assert haversine(await shown(from_gcj, "gcj02"), BEIJING_WGS_AS_GCJ) < 0.01
    gcj_point = await post(BEIJING, "gcj02")
    assert haversine(await shown(gcj_point, "bd09"), BEIJING_GCJ_AS_BD) < 0.01
    bd_point = await post(BEIJING, "bd09")
    assert haversine(await shown(bd_point, "gcj02"), BEIJING_BD_AS_GCJ) < 0.01
    assert haversine(await shown(bd_point, "bd09"), BEIJING) < 0.5


async def test_no_offset_in_hong_kong(client):
    central = (114.1588, 22.2819)
    await add_pois(feature("香港中环", central, "hall.community"))
    body = (await client.get("/api/v1/map/pois", params={"bbox": "114.15,22.27,114.17,22.29", "coord": "gcj02"})).json()
    assert coordinates(body) == central
