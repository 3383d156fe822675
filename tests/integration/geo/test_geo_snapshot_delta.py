"""After an edit, workers merge just the changed POIs into their snapshot (both backends).

Each write logs the ids it touched beside the version stamp; a worker that finds every stamp since
its own in the log reads only those rows. The merged snapshot must answer exactly as a snapshot
built from scratch, and anything the log cannot vouch for (a bulk import, divisions, a gap) must
make the worker read everything.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from geo import service, service_edit, snapshot_cache
from geo.schemas_edit import PoiFeature, PoiPatch
from geo.service_divisions import import_divisions
from geo.textmatch import normalize_query
from server import storage
from tests.integration.geo.geo_support import ORIGIN, add_pois, division, feature, offset, square

LUNCH = {"weekly": {"mon": [["08:00", "11:30"], ["13:30", "17:00"]]}}
MOMENTS = [datetime(2026, 11, 30, h, m, tzinfo=UTC) for h, m in ((1, 0), (4, 0), (6, 45), (10, 0))]


async def refreshed(holder: snapshot_cache.SnapshotHolder):
    return await holder.current()


def assert_same_answers(merged, built) -> None:
    assert merged.ids.tolist() == built.ids.tolist()
    for column in ("lons", "lats", "categories", "statuses"):
        assert getattr(merged, column).tolist() == getattr(built, column).tolist(), column
    for coord in ("wgs84", "gcj02"):
        assert list(merged.heads[coord]) == list(built.heads[coord])
    assert list(merged.bodies) == list(built.bodies)
    for at in MOMENTS:
        assert merged.open_mask(at, tz=UTC).tolist() == built.open_mask(at, tz=UTC).tolist()
    for text in ("东门", "dm", normalize_query("新店")):
        assert merged.search.mask(text).tolist() == built.search.mask(text).tolist()
    here = merged.grid.nearby(*ORIGIN, 5000.0, limit=50)
    there = built.grid.nearby(*ORIGIN, 5000.0, limit=50)
    assert (here.positions.tolist(), here.total) == (there.positions.tolist(), there.total)


async def test_edits_are_merged_into_another_workers_snapshot_as_if_built_afresh(db, caplog):
    ids = await add_pois(*(feature(f"东门{i}号", offset(ORIGIN, 200 * i, 100 * i), opening_hours=LUNCH)
                           for i in range(6)))
    other = snapshot_cache.SnapshotHolder()
    await other.current()

    created = await service_edit.create_poi(PoiFeature.model_validate(
        feature("新店", offset(ORIGIN, -300, 50), "elderly.canteen",
                opening_hours={"weekly": {"mon": [["06:30", "09:00"]]}})), coord="wgs84")
    await service_edit.update_poi(ids[1], PoiPatch.model_validate(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(offset(ORIGIN, 900, -900))},
         "properties": {"name": "翠竹站", "opening_hours": None}}), coord="wgs84")
    await service_edit.close_poi(ids[2], coord="wgs84")
    await service.link_hall(ids[3], 42)

    with caplog.at_level(logging.INFO, logger="bianmin.geo.snapshot_cache"):
        merged = await refreshed(other)
    assert "map snapshot updated (4 changed)" in caplog.text
    built = await snapshot_cache.build_snapshot(merged.version)
    assert_same_answers(merged, built)
    assert created["id"] in merged.ids.tolist() and len(merged) == 7
    assert b'"hall_id":42' in merged.bodies[merged.position_of(ids[3])]


async def test_a_row_gone_from_the_database_leaves_the_snapshot(db):
    ids = await add_pois(*(feature(f"点{i}", offset(ORIGIN, 100 * i, 0)) for i in range(3)))
    other = snapshot_cache.SnapshotHolder()
    await other.current()
    await storage.db().execute_query(f"DELETE FROM geo_pois WHERE id = {ids[1]}")
    await snapshot_cache.bump_version([ids[1]])
    merged = await refreshed(other)
    assert merged.ids.tolist() == [ids[0], ids[2]]
    assert_same_answers(merged, await snapshot_cache.build_snapshot(merged.version))


async def test_imports_are_merged_and_what_the_log_cannot_vouch_for_is_read_in_full(db, caplog):
    ids = await add_pois(feature("甲", ORIGIN), feature("乙", offset(ORIGIN, 500, 0)))
    other = snapshot_cache.SnapshotHolder()
    await other.current()

    # An import logs the points it created or changed (the unchanged one is not re-read).
    await add_pois(feature("甲", ORIGIN), feature("丙", offset(ORIGIN, 0, 500)))
    with caplog.at_level(logging.INFO, logger="bianmin.geo.snapshot_cache"):
        snap = await refreshed(other)
    assert "map snapshot updated (1 changed)" in caplog.text and len(snap) == 3
    assert_same_answers(snap, await snapshot_cache.build_snapshot(snap.version))

    # Divisions changed: logged as "*", every row is read again.
    await import_divisions([division("440303", "罗湖区", "district", square(ORIGIN, 3000))])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bianmin.geo.snapshot_cache"):
        snap = await refreshed(other)
    assert "map snapshot built" in caplog.text and [d.code for d in snap.divisions.containing(*ORIGIN)] == ["440303"]

    # The log lost (Redis restarted, or trimmed past this worker's stamp): read everything.
    await service.link_hall(ids[0], 5)
    await storage.redis().delete(storage.key("geo", "changes"))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bianmin.geo.snapshot_cache"):
        snap = await refreshed(other)
    assert "map snapshot built" in caplog.text
    assert b'"hall_id":5' in snap.bodies[snap.position_of(ids[0])]


async def test_the_change_log_answers_only_for_an_unbroken_run_of_stamps(db):
    await snapshot_cache.bump_version([3, 1])
    start = await snapshot_cache.read_stamp()
    await snapshot_cache.bump_version([2])
    await snapshot_cache.bump_version([1, 7])
    end = await snapshot_cache.read_stamp()
    assert await snapshot_cache.changes_between(start, end) == {1, 2, 7}
    assert await snapshot_cache.changes_between(end, end) is None  # nothing to merge: not a delta
    assert await snapshot_cache.changes_between(str(int(start) - 1), end) == {1, 2, 3, 7}
    assert await snapshot_cache.changes_between(str(int(start) - 2), end) is None  # a stamp before the log
    assert await snapshot_cache.changes_between(None, end) is None
    await snapshot_cache.bump_version(None)
    assert await snapshot_cache.changes_between(start, await snapshot_cache.read_stamp()) is None


async def test_the_first_point_of_an_empty_map_is_merged_too(db, caplog):
    other = snapshot_cache.SnapshotHolder()
    await snapshot_cache.bump_version([])  # a stamp to start from, as any earlier write leaves
    assert len(await other.current()) == 0
    created = await service_edit.create_poi(PoiFeature.model_validate(feature("首个", ORIGIN)), coord="wgs84")
    with caplog.at_level(logging.INFO, logger="bianmin.geo.snapshot_cache"):
        merged = await refreshed(other)
    assert "map snapshot updated (1 changed)" in caplog.text
    assert merged.ids.tolist() == [created["id"]]
    assert_same_answers(merged, await snapshot_cache.build_snapshot(merged.version))


async def test_an_edit_that_moves_no_point_keeps_the_grid_and_the_clusters_and_a_move_rebuilds_them(db):
    # Re-sorting the grid and the cluster order over a million points is most of a merge: an edit of
    # names, hours or status reuses them; an edit that moves a point must not.
    ids = await add_pois(*(feature(f"点{i}", offset(ORIGIN, 300 * i, 0)) for i in range(4)))
    other = snapshot_cache.SnapshotHolder()
    before = await other.current()
    await service_edit.update_poi(ids[1], PoiPatch.model_validate(
        {"type": "Feature", "properties": {"name": "改名站"}}), coord="wgs84")
    renamed = await refreshed(other)
    assert renamed.grid is before.grid and renamed.clusters is before.clusters
    assert_same_answers(renamed, await snapshot_cache.build_snapshot(renamed.version))
    await service_edit.update_poi(ids[2], PoiPatch.model_validate(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(offset(ORIGIN, -800, 600))}}),
        coord="wgs84")
    moved = await refreshed(other)
    assert moved.grid is not renamed.grid and moved.clusters is not renamed.clusters
    assert_same_answers(moved, await snapshot_cache.build_snapshot(moved.version))
