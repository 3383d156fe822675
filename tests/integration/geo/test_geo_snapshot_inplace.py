"""An edit, an add and a close are written into the snapshot in place (issue 15), and the map's answers
follow them: the query sees them, cursor pages stay whole and in order, ETags change (both backends)."""

from __future__ import annotations

import logging

from geo import service_edit, snapshot_cache
from geo.schemas_edit import PoiFeature, PoiPatch
from tests.integration.geo.geo_support import ORIGIN, add_pois, feature, haversine, offset
from tests.integration.geo.test_geo_snapshot_delta import assert_same_answers

URL = "/api/v1/map/pois"
NEAR = {"lon": ORIGIN[0], "lat": ORIGIN[1], "radius": 5000}
# A 7 x 7 lattice 400 m apart around the origin: every edit below lands inside its extent.
LATTICE = [offset(ORIGIN, 400 * (i % 7 - 3), 400 * (i // 7 - 3)) for i in range(49)]


async def whole_list(client, **params) -> tuple[list[int], str]:
    response = await client.get(URL, params={**NEAR, "limit": 100, **params})
    assert response.status_code == 200
    return [f["id"] for f in response.json()["features"]], response.headers["etag"]


async def paged(client, limit: int) -> list[int]:
    seen, cursor = [], None
    while True:
        params = {**NEAR, "limit": limit, **({"cursor": cursor} if cursor else {})}
        body = (await client.get(URL, params=params)).json()
        seen += [f["id"] for f in body["features"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


async def test_an_edit_an_add_and_a_close_are_written_in_place_and_answer_as_built_afresh(db, caplog):
    ids = await add_pois(*(feature(f"点{i}", p) for i, p in enumerate(LATTICE)))
    other = snapshot_cache.SnapshotHolder()  # another worker's snapshot
    before = await other.current()

    moved_to = offset(ORIGIN, 50, -30)
    await service_edit.update_poi(ids[3], PoiPatch.model_validate(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(moved_to)},
         "properties": {"name": "翠竹站"}}), coord="wgs84")
    created = await service_edit.create_poi(PoiFeature.model_validate(
        feature("新店", offset(ORIGIN, -20, 10), "elderly.canteen")), coord="wgs84")
    await service_edit.close_poi(ids[24], coord="wgs84")  # the one at the origin
    with caplog.at_level(logging.INFO, logger="bianmin.geo.snapshot_cache"):
        after = await other.current()
    assert "map snapshot updated (3 changed)" in caplog.text

    # Written in place: the pre-rendered buffers are shared, the old snapshot still answers as before.
    assert after.bodies.data is before.bodies.data and after.rows.keys.data is before.rows.keys.data
    assert len(before) == 49 and len(after) == 50 and after.fingerprint != before.fingerprint
    assert before.grid.nearby(*ORIGIN, 100.0, limit=5).positions.tolist() == [24]
    assert_same_answers(after, await snapshot_cache.build_snapshot(after.version))
    nearest = after.grid.nearby(*ORIGIN, 100.0, limit=5)
    assert [int(after.ids[p]) for p in nearest.positions] == [ids[24], created["id"], ids[3]]
    assert b'"name":"\xe7\xbf\xa0\xe7\xab\xb9\xe7\xab\x99"' in after.bodies[after.position_of(ids[3])]


async def test_the_api_sees_each_change_with_a_new_etag_and_whole_cursor_pages(db, client):
    ids = await add_pois(*(feature(f"点{i}", p) for i, p in enumerate(LATTICE)))
    listed, tag = await whole_list(client)
    assert await paged(client, 7) == listed and len(listed) == 49
    assert (await client.get(URL, params={**NEAR, "limit": 100}, headers={"If-None-Match": tag})).status_code == 304

    moved_to = offset(ORIGIN, 0, 1)
    await service_edit.update_poi(ids[0], PoiPatch.model_validate(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(moved_to)}}), coord="wgs84")
    edited, edited_tag = await whole_list(client)
    assert edited[:2] == [ids[24], ids[0]] and edited_tag != tag

    created = await service_edit.create_poi(PoiFeature.model_validate(
        feature("新店", offset(ORIGIN, 2, 0), "elderly.canteen")), coord="wgs84")
    response = await client.get(URL, params={**NEAR, "limit": 3})
    added = response.json()["features"]
    assert [f["id"] for f in added] == [ids[24], ids[0], created["id"]] and response.headers["etag"] != edited_tag
    assert added[2]["properties"]["name"] == "新店" and added[2]["properties"]["distance_m"] == 2

    await service_edit.close_poi(ids[24], coord="wgs84")
    closed, closed_tag = await whole_list(client)
    assert closed[:2] == [ids[0], created["id"]] and ids[24] not in closed and len(closed) == 49
    assert closed_tag not in (tag, edited_tag, response.headers["etag"])
    assert await paged(client, 7) == closed  # pages after in-place edits: none lost, none twice
    assert await paged(client, 10) == closed
    points = {**dict(zip(ids, [moved_to, *LATTICE[1:]])), created["id"]: offset(ORIGIN, 2, 0)}
    del points[ids[24]]
    assert closed == [poi_id for _, poi_id in sorted((haversine(ORIGIN, p), i) for i, p in points.items())]
