"""The radius query's shortcuts against brute force.

The query counts cells wholly inside the circle without measuring their points, skips cells the
circle misses, and stops its ring walk early. Each shortcut is exact only if its geometry is
right, so these tests throw many circles at it (tiny to city-wide, on cell corners and edges, off
the data, with filters of every layout, paged by cursors) and compare every answer with an
independent haversine scan.
"""

import numpy as np
import pytest

from geo.grid import PointGrid
from tests.support.geodesy import haversine


@pytest.fixture(scope="module")
def town():
    """6 000 points: dense clusters, a sparse spread, a grid of exact cell corners, stacked duplicates."""
    rng = np.random.default_rng(4242)
    centres = np.column_stack((rng.uniform(113.9, 114.2, 8), rng.uniform(22.45, 22.7, 8)))
    pick = rng.integers(0, len(centres), 4000)
    lons = np.concatenate((centres[pick, 0] + rng.normal(0, 0.01, 4000), rng.uniform(113.85, 114.25, 1700)))
    lats = np.concatenate((centres[pick, 1] + rng.normal(0, 0.009, 4000), rng.uniform(22.4, 22.75, 1700)))
    grid_lon, grid_lat = np.meshgrid(np.linspace(114.0, 114.02, 15), np.linspace(22.5, 22.52, 15))
    lons = np.concatenate((lons, grid_lon.ravel(), np.full(75, 114.05)))
    lats = np.concatenate((lats, grid_lat.ravel(), np.full(75, 22.55)))
    ids = rng.permutation(len(lons)) + 1
    index = PointGrid(ids=ids, lons=lons, lats=lats, cell_m=250.0)
    return ids, lons, lats, index


@pytest.fixture(params=["edge cells", "whole box"], autouse=True)
def query_path(request, monkeypatch):
    """Run every test through both ways a query can go: counting whole cells and measuring the circle's
    edge cells (big boxes), or measuring every point under the box (small ones)."""
    import geo.grid

    monkeypatch.setattr(geo.grid, "_SMALL_BOX", 0 if request.param == "edge cells" else 10**9)
    return request.param


def brute(town, lon, lat, radius, mask=None):
    ids, lons, lats, _ = town
    d = haversine(lon, lat, lons, lats)
    inside = np.flatnonzero((d <= radius) & (True if mask is None else mask))
    return inside[np.lexsort((ids[inside], d[inside]))], d


def circles(index: PointGrid, seed: int, count: int):
    rng = np.random.default_rng(seed)
    radii = (1.0, 20.0, 180.0, 600.0, 1500.0, 3000.0, 9000.0, 20_000.0)
    for k in range(count):
        if k % 5 == 0:  # on a point of the regular grid: exact ties all around
            lon, lat = 114.0 + 0.02 * rng.integers(0, 15) / 14, 22.5 + 0.02 * rng.integers(0, 15) / 14
        elif k % 5 == 1:  # on a corner of the index's cells
            lon = index._lon0 + index._dlon * rng.integers(10, 100)
            lat = index._lat0 + index._dlat * rng.integers(10, 100)
        else:
            lon, lat = rng.uniform(113.8, 114.3), rng.uniform(22.35, 22.8)
        yield float(lon), float(lat), radii[k % len(radii)]


@pytest.mark.parametrize("layout", ["none", "prepared", "raw"])
def test_totals_and_first_pages_match_brute_force(town, layout):
    ids, _, _, index = town
    keep = np.random.default_rng(7).random(len(ids)) < 0.4
    mask = {"none": None, "prepared": index.prepare_mask(keep), "raw": keep}[layout]
    for lon, lat, radius in circles(index, 99, 160):
        want, d = brute(town, lon, lat, radius, None if layout == "none" else keep)
        page = index.nearby(lon, lat, radius, mask=mask, limit=20)
        assert page.total == len(want), (lon, lat, radius)
        assert page.has_more == (len(want) > 20)
        assert_same_page(page, want[:20], d, ids)


def assert_same_page(page, want, d, ids):
    """The page holds the nearest points, each at its haversine distance, by (distance, id).

    Points at the same true distance (the regular grid's neighbours) may differ in the last bit
    of their computed distance, so the comparison with brute force rounds distances to 1 um.
    """
    np.testing.assert_allclose(page.distances_m, d[page.positions], rtol=1e-9, atol=1e-6)
    got = sorted(zip(np.round(d[page.positions], 6).tolist(), ids[page.positions].tolist()))
    expected = sorted(zip(np.round(d[want], 6).tolist(), ids[want].tolist()))
    if got != expected:  # a tie straddling the page's end: same distances, any of the tied ids
        assert [g[0] for g in got] == [e[0] for e in expected]
        assert [g for g in got if g[0] < expected[-1][0]] == [e for e in expected if e[0] < expected[-1][0]]
    keys = list(zip(page.distances_m.tolist(), ids[page.positions].tolist()))
    assert keys == sorted(keys)


def test_cursor_pages_cover_every_match_once_in_order(town):
    ids, _, _, index = town
    keep = np.random.default_rng(8).random(len(ids)) < 0.7
    prepared = index.prepare_mask(keep)
    for lon, lat, radius in [(114.05, 22.55, 400.0), (114.01, 22.51, 900.0), (114.1, 22.6, 1200.0)]:
        want, _ = brute(town, lon, lat, radius, keep)
        walked, after = [], None
        while True:
            page = index.nearby(lon, lat, radius, mask=prepared, limit=9, after=after)
            assert page.total == len(want)
            walked += page.positions.tolist()
            if not page.has_more:
                break
            after = (float(page.distances_m[-1]), int(ids[page.positions[-1]]))
        assert walked == want.tolist()


def test_a_cursor_inside_a_tie_resumes_after_the_right_id(town):
    ids, _, _, index = town
    # 75 points stacked on one spot: pages of 10 cut through the tie at 0 m; ids decide.
    first = index.nearby(114.05, 22.55, 5, limit=10)
    assert first.distances_m.tolist() == [0.0] * 10
    second = index.nearby(114.05, 22.55, 5, limit=10, after=(0.0, int(ids[first.positions[-1]])))
    assert ids[second.positions].min() > ids[first.positions].max()
    assert first.total == second.total == len(brute(town, 114.05, 22.55, 5)[0]) >= 75


def test_a_circle_off_the_data_finds_nothing_and_counts_nothing(town):
    index = town[3]
    for lon, lat in [(116.4, 39.9), (113.0, 22.5), (114.1, 23.5)]:
        page = index.nearby(lon, lat, 5000, limit=20)
        assert (page.total, len(page.positions), page.has_more) == (0, 0, False)


def test_a_circle_wider_than_the_data_counts_everything(town):
    ids, _, _, index = town
    page = index.nearby(114.05, 22.57, 100_000, limit=5)
    assert page.total == len(ids)
    assert page.positions.tolist() == brute(town, 114.05, 22.57, 100_000)[0][:5].tolist()


def test_rendered_pages_equal_the_query_then_the_rendering(town):
    # The map's list endpoint finds and renders a page in one call (PointGrid.nearby_rendered);
    # it must give exactly what the separate steps give, for points in WGS-84 and in GCJ-02.
    from geo import coords
    from geo.feature_store import Parts, features_page

    ids, _, _, index = town
    rng = np.random.default_rng(99)
    heads = Parts.of(b'{"id":%d,' % i for i in ids.tolist())
    bodies = Parts.of(b'"properties":{"n":%d' % k for k in range(len(ids)))
    opens = rng.random(len(ids)) < 0.6
    keep = rng.random(len(ids)) < 0.7
    for trial in range(120):
        lon, lat = float(rng.uniform(113.9, 114.2)), float(rng.uniform(22.45, 22.7))
        mask = (None, keep, index.prepare_mask(keep))[trial % 3]
        radius, limit = float(rng.choice([50.0, 800.0, 3000.0, 20_000.0])), int(rng.choice([0, 1, 20]))
        first = index.nearby(lon, lat, radius, mask=mask, limit=max(limit, 1))
        after = (float(first.distances_m[0]), int(ids[first.positions[0]])) if trial % 4 == 0 and first.total else None
        src = trial % 2
        given = coords.convert((lon, lat), "wgs84", "gcj02") if src else (lon, lat)
        wgs = coords.convert(given, "gcj02", "wgs84") if src else given
        plain = index.nearby(*wgs, radius, mask=mask, limit=limit, after=after)
        rendered = index.nearby_rendered(*given, radius, parts=(heads, bodies), opens=opens, src=src, mask=mask,
                                         limit=limit, after=after)
        assert bytes(rendered.features) == features_page(heads, bodies, plain.positions, opens,
                                                         distances_m=plain.distances_m)
        assert (rendered.total, rendered.has_more) == (plain.total, plain.has_more)
        if len(plain.positions):
            assert (rendered.last_id, rendered.last_m) == (int(ids[plain.positions[-1]]), float(plain.distances_m[-1]))


def test_rendered_pages_refuse_parts_of_another_index(town):
    from geo.feature_store import Parts

    ids, _, _, index = town
    short = Parts.of([b"{"] * (len(ids) - 1))
    with pytest.raises(ValueError):
        index.nearby_rendered(114.0, 22.5, 100.0, parts=(short, short), opens=np.ones(len(ids), bool))
