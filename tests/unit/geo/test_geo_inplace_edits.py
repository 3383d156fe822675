"""Edits written in place (issue 15): the grid, the cluster order, the pre-rendered parts and the search keys
updated for a few changed or added points must answer exactly as the same structures built afresh."""

from __future__ import annotations

import numpy as np
import pytest

from geo.clusters import ClusterIndex
from geo.feature_store import Parts, features_page
from geo.grid import PointGrid, splice
from geo.textmatch import SearchKeys, search_record

CENTRE = (114.12, 22.55)


def scattered(rng: np.random.Generator, n: int, spread: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    lons = CENTRE[0] + rng.uniform(-spread, spread, n)
    lats = CENTRE[1] + rng.uniform(-spread, spread, n)
    # A few points on top of each other and on cell edges: ties the orders must break the same way.
    lons[:6], lats[:6] = CENTRE[0], CENTRE[1]
    return lons, lats


def edited(rng: np.random.Generator, lons: np.ndarray, lats: np.ndarray, moves: int, adds: int):
    """Caller positions moved or added (added ones after the last), and every point's new coordinates."""
    n = len(lons)
    moved = rng.choice(n, size=moves, replace=False)
    at = np.concatenate((moved, np.arange(n, n + adds)))
    new_lons = np.concatenate((lons, np.zeros(adds)))
    new_lats = np.concatenate((lats, np.zeros(adds)))
    new_lons[at] = CENTRE[0] + rng.uniform(-0.045, 0.045, len(at))
    new_lats[at] = CENTRE[1] + rng.uniform(-0.045, 0.045, len(at))
    new_lons[at[:2]], new_lats[at[:2]] = CENTRE  # two join the pile in the centre
    return at, new_lons, new_lats


def test_splice_equals_numpys_delete_then_insert():
    rng = np.random.default_rng(9)
    for rows in (0, 1, 5, 300):
        for edits in (0, 1, 3, 40):  # 40 + 40 takes numpy's own path
            array = rng.random((rows, 3)) if edits % 2 else rng.integers(0, 99, rows)
            leaving = np.sort(rng.choice(rows, size=min(edits, rows), replace=False))
            into = np.sort(rng.integers(0, rows - len(leaving) + 1, edits))
            values = rng.random((edits, 3)) if edits % 2 else rng.integers(100, 199, edits)
            want = np.insert(np.delete(array, leaving, axis=0), into, values, axis=0)
            assert splice(array, leaving, into, values).tolist() == want.tolist()


@pytest.mark.parametrize(("seed", "moves", "adds"), [(1, 40, 15), (2, 3, 2), (3, 1, 0), (4, 0, 1)])
def test_a_grid_with_points_moved_and_added_answers_as_one_built_afresh(seed, moves, adds):
    rng = np.random.default_rng(seed)
    lons, lats = scattered(rng, 3000)
    ids = np.arange(1, 3001, dtype=np.int64) * 3
    grid = PointGrid(ids=ids, lons=lons, lats=lats)
    at, new_lons, new_lats = edited(rng, lons, lats, moves=moves, adds=adds)
    new_ids = np.concatenate((ids, ids[-1] + 1 + np.arange(adds)))
    updated = grid.with_points(at, new_ids[at], new_lons[at], new_lats[at])
    assert updated is not None and len(updated) == 3000 + adds and len(grid) == 3000
    fresh = PointGrid(ids=new_ids, lons=new_lons, lats=new_lats, cell_m=None)
    mask = rng.random(3000 + adds) < 0.6
    prepared = updated.prepare_mask(mask), fresh.prepare_mask(mask)
    for k in range(40):
        lon, lat = CENTRE[0] + rng.uniform(-0.05, 0.05), CENTRE[1] + rng.uniform(-0.05, 0.05)
        radius = float(rng.choice([300.0, 1500.0, 6000.0, 20000.0]))
        for mine, theirs in ((None, None), (mask, mask), prepared):
            one = updated.nearby(lon, lat, radius, mask=mine, limit=25)
            two = fresh.nearby(lon, lat, radius, mask=theirs, limit=25)
            assert one.positions.tolist() == two.positions.tolist() and one.total == two.total
            assert one.distances_m.tolist() == two.distances_m.tolist() and one.has_more == two.has_more
            if one.has_more:  # the next page from the same cursor
                after = (one.last_m, one.last_id)
                assert (updated.nearby(lon, lat, radius, mask=mine, limit=25, after=after).positions.tolist()
                        == fresh.nearby(lon, lat, radius, mask=theirs, limit=25, after=after).positions.tolist())
        box = (lon - 0.01 * (k % 4), lat - 0.01, lon + 0.01, lat + 0.01 * (k % 3))
        one, two = updated.within_bbox(*box, mask=mask, limit=30), fresh.within_bbox(*box, mask=mask, limit=30)
        assert (one.positions.tolist(), one.total, one.has_more) == (two.positions.tolist(), two.total, two.has_more)
    # The grid it came from still answers for the old points.
    old = grid.nearby(*CENTRE, 20000.0, limit=3000)
    assert old.total == 3000 and sorted(old.positions.tolist()) == list(range(3000))


def test_a_point_beyond_the_grid_asks_for_a_new_grid():
    rng = np.random.default_rng(4)
    lons, lats = scattered(rng, 200)
    grid = PointGrid(ids=np.arange(200), lons=lons, lats=lats)
    assert grid.with_points([200], [500], [CENTRE[0] + 0.2], [CENTRE[1]]) is None
    assert grid.with_points([3], [3], [CENTRE[0]], [CENTRE[1] - 0.2]) is None
    empty = PointGrid(ids=[], lons=[], lats=[])
    assert empty.with_points([0], [1], [CENTRE[0]], [CENTRE[1]]) is None


@pytest.mark.parametrize(("seed", "moves", "adds"), [(5, 30, 10), (6, 2, 1)])
def test_a_cluster_order_with_points_moved_and_added_equals_one_built_afresh(seed, moves, adds):
    rng = np.random.default_rng(seed)
    lons, lats = scattered(rng, 2000)
    index = ClusterIndex(lons=lons, lats=lats)
    at, new_lons, new_lats = edited(rng, lons, lats, moves=moves, adds=adds)
    updated = index.with_points(at, new_lons, new_lats)
    fresh = ClusterIndex(lons=new_lons, lats=new_lats)
    assert updated._order.tolist() == fresh._order.tolist() and updated._codes.tolist() == fresh._codes.tolist()
    mask = rng.random(2000 + adds) < 0.5
    bbox = (CENTRE[0] - 0.06, CENTRE[1] - 0.06, CENTRE[0] + 0.06, CENTRE[1] + 0.03)
    for zoom in (10, 13, 16, 20):
        for keep in (None, mask):
            assert updated.cluster(*bbox, zoom=zoom, mask=keep) == fresh.cluster(*bbox, zoom=zoom, mask=keep)
    assert len(index) == 2000 and index.cluster(113.0, 22.0, 115.0, 23.0, zoom=12).total == 2000


def test_parts_with_items_replace_and_add_without_copying_the_buffer():
    base = Parts.of([b"a0", b"b1", "三二".encode(), b"d3"])
    edited_parts = base.with_items({1: b"BB", 4: b"e4", 5: b"f5"}, 6)
    assert edited_parts.data is base.data and list(base) == [b"a0", b"b1", "三二".encode(), b"d3"]
    expected = [b"a0", b"BB", "三二".encode(), b"d3", b"e4", b"f5"]
    assert list(edited_parts) == expected and [edited_parts[i] for i in range(6)] == expected
    assert edited_parts.pick(np.array([5, 1, 0])) == [b"f5", b"BB", b"a0"]
    assert list(edited_parts.take(np.array([4, 1, 2]))) == [b"e4", b"BB", "三二".encode()]
    assert list(Parts.concat(edited_parts, Parts.of([b"z"]))) == [*expected, b"z"]
    assert list(edited_parts.with_items({0: b"A"}, 6)) == [b"A", *expected[1:]]
    with pytest.raises(IndexError):
        base.with_items({5: b"gap"}, 6)  # position 4 would be missing
    with pytest.raises(IndexError):
        edited_parts.pick(np.array([6]))
    page = features_page(edited_parts, edited_parts, np.array([1, 4]), np.array([True] * 6))
    assert page == b'BBBB,"open_now":true}},e4e4,"open_now":true}}'


def test_search_keys_find_edited_and_added_keys_and_forget_the_old_ones():
    keys = ["东门诊所", "翠竹药店", "东门小学"]
    records = Parts.of(search_record(k) for k in keys)
    edited_records = records.with_items({0: search_record("莲塘诊所"), 3: search_record("东门长者饭堂")}, 4)
    mine = SearchKeys.of_records(edited_records)
    fresh = SearchKeys(["莲塘诊所", "翠竹药店", "东门小学", "东门长者饭堂"])
    for text in ("东门", "诊所", "莲塘", "药", "x", ""):
        assert mine.mask(text).tolist() == fresh.mask(text).tolist(), text
    assert SearchKeys.of_records(records).mask("东门").tolist() == [True, False, True]
