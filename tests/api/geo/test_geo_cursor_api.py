"""A page cursor belongs to the query that issued it: reused with another point or filter it is a 422."""

from __future__ import annotations

from tests.integration.geo.geo_support import ORIGIN, add_pois, feature, offset

URL = "/api/v1/map/pois"


def near(point, radius, **params):
    return {"lon": point[0], "lat": point[1], "radius": radius, **params}


async def test_a_cursor_reused_with_another_query_is_refused(client):
    await add_pois(*(feature(f"点{k}", offset(ORIGIN, 60.0 * (k + 1), 0.0)) for k in range(6)))
    first = (await client.get(URL, params=near(ORIGIN, 1000, limit=2))).json()
    cursor = first["next_cursor"]
    assert cursor
    same = await client.get(URL, params=near(ORIGIN, 1000, limit=3, cursor=cursor))
    assert same.status_code == 200  # the page size may change between pages
    elsewhere = offset(ORIGIN, 0.0, 500.0)
    for params in (near(elsewhere, 1000, limit=2, cursor=cursor), near(ORIGIN, 900, limit=2, cursor=cursor),
                   near(ORIGIN, 1000, limit=2, cursor=cursor, category="health"),
                   near(ORIGIN, 1000, limit=2, cursor=cursor, coord="gcj02"),
                   near(ORIGIN, 1000, limit=2, cursor=cursor, q="点")):
        refused = await client.get(URL, params=params)
        assert refused.status_code == 422, params
        error = refused.json()["error"]
        assert error["code"] == "validation_error" and error["details"]["fields"][0]["field"] == "cursor"
    bbox = "114.0,22.4,114.3,22.7"
    listing = (await client.get(URL, params={"bbox": bbox, "limit": 2})).json()
    assert (await client.get(URL, params={"bbox": bbox, "limit": 2, "cursor": listing["next_cursor"]})).status_code == 200
    moved = await client.get(URL, params={"bbox": "114.0,22.4,114.3,22.8", "limit": 2, "cursor": listing["next_cursor"]})
    assert moved.status_code == 422
