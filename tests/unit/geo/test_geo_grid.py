"""The in-memory spatial index against brute force with an independent haversine."""

import numpy as np
import pytest

from geo.grid import PointGrid, codes_mask, combine_masks
from tests.support.geodesy import haversine

FUTIAN = (114.0550, 22.5410)


@pytest.fixture(scope="module")
def city():
    """3 000 POIs over about 12 km x 12 km of Futian, ids shuffled, a few stacked on one spot."""
    rng = np.random.default_rng(2026)
    n = 3000
    lons = FUTIAN[0] - 0.06 + rng.random(n) * 0.12
    lats = FUTIAN[1] - 0.055 + rng.random(n) * 0.11
    lons[:6], lats[:6] = 114.0600, 22.5400  # a building with six services in it
    ids = rng.permutation(np.arange(10_000, 10_000 + n))
    categories = rng.integers(0, 19, n)
    return ids, lons, lats, categories, PointGrid(ids=ids, lons=lons, lats=lats)


def expected_nearby(city, lon, lat, radius, mask=None):
    ids, lons, lats, _, _ = city
    d = haversine(lon, lat, lons, lats)
    inside = np.flatnonzero((d <= radius) & (True if mask is None else mask))
    return inside[np.lexsort((ids[inside], d[inside]))], d


@pytest.mark.parametrize(
    ("lon", "lat", "radius"),
    [
        (*FUTIAN, 1000),
        (*FUTIAN, 3000),
        (114.0600, 22.5400, 50),
        (114.0100, 22.4900, 2500),  # near the corner of the data
        (113.9000, 22.5400, 20_000),  # centre far outside the data, huge radius
        (114.3000, 22.9000, 500),  # nothing there
    ],
)
def test_nearby_matches_brute_force(city, lon, lat, radius):
    index = city[4]
    want, d = expected_nearby(city, lon, lat, radius)
    page = index.nearby(lon, lat, radius, limit=50)
    assert page.total == len(want)
    assert page.positions.tolist() == want[:50].tolist()
    np.testing.assert_allclose(page.distances_m, d[want[:50]], rtol=1e-9, atol=1e-6)
    assert page.has_more == (len(want) > 50)


def test_distances_are_sorted_and_ties_broken_by_id(city):
    ids, _, _, _, index = city
    page = index.nearby(114.0600, 22.5400, 300, limit=10)
    stacked = page.positions[:6]
    assert page.distances_m[:6].tolist() == [0.0] * 6
    assert ids[stacked].tolist() == sorted(ids[:6].tolist())
    assert np.all(np.diff(page.distances_m) >= 0)


def test_keyset_pagination_walks_every_result_once(city):
    ids, _, _, _, index = city
    want, _ = expected_nearby(city, 114.0600, 22.5400, 1200)
    seen, after = [], None
    while True:
        # Pages of 4 cut through the six tied points at distance 0.
        page = index.nearby(114.0600, 22.5400, 1200, limit=4, after=after)
        assert page.total == len(want)
        seen.extend(page.positions.tolist())
        if not page.has_more:
            break
        after = (float(page.distances_m[-1]), int(ids[page.positions[-1]]))
    assert seen == want.tolist()


def test_nearby_with_category_and_status_masks(city):
    _, _, _, categories, index = city
    status = np.arange(len(categories)) % 3  # open, temporarily closed, closed
    mask = combine_masks(codes_mask(categories, [5, 6, 7, 8, 9]), codes_mask(status, [0]))
    want, _ = expected_nearby(city, *FUTIAN, 3000, mask=mask)
    page = index.nearby(*FUTIAN, 3000, mask=mask, limit=20)
    assert page.total == len(want) > 20
    assert page.positions.tolist() == want[:20].tolist()
    assert combine_masks(None, None) is None


def test_limit_zero_still_counts(city):
    page = city[4].nearby(*FUTIAN, 1000, limit=0)
    assert len(page.positions) == 0
    assert page.total == len(expected_nearby(city, *FUTIAN, 1000)[0]) > 0


@pytest.mark.parametrize("radius", [0, -5, float("nan")])
def test_radius_must_be_positive(city, radius):
    with pytest.raises(ValueError):
        city[4].nearby(*FUTIAN, radius)


def test_distances_agree_with_haversine_within_half_a_percent(city):
    _, lons, lats, _, index = city
    page = index.nearby(*FUTIAN, 8000, limit=200)
    want = haversine(*FUTIAN, lons[page.positions], lats[page.positions])
    assert np.all(np.abs(page.distances_m - want) <= 0.005 * want + 1e-9)


def expected_bbox(city, bbox, mask=None):
    ids, lons, lats, _, _ = city
    west, south, east, north = bbox
    keep = (lons >= west) & (lons <= east) & (lats >= south) & (lats <= north)
    if mask is not None:
        keep &= mask
    inside = np.flatnonzero(keep)
    return inside[np.argsort(ids[inside])]


@pytest.mark.parametrize(
    "bbox",
    [
        (114.03, 22.52, 114.07, 22.55),
        (113.90, 22.40, 114.30, 22.70),  # everything
        (114.0600, 22.5400, 114.0600, 22.5400),  # a point: the stacked six, edges included
        (113.00, 22.00, 113.10, 22.10),  # nothing
    ],
)
def test_bbox_matches_brute_force_in_id_order(city, bbox):
    index = city[4]
    want = expected_bbox(city, bbox)
    page = index.within_bbox(*bbox, limit=100)
    assert page.total == len(want)
    assert page.positions.tolist() == want[:100].tolist()
    assert page.has_more == (len(want) > 100)


def test_bbox_pagination_with_mask(city):
    ids, _, _, categories, index = city
    bbox = (114.02, 22.51, 114.09, 22.57)
    mask = codes_mask(categories, [1, 2])
    want = expected_bbox(city, bbox, mask)
    seen, after = [], None
    while True:
        page = index.within_bbox(*bbox, mask=mask, limit=7, after=after)
        assert page.total == len(want)
        seen.extend(page.positions.tolist())
        if not page.has_more:
            break
        after = int(ids[page.positions[-1]])
    assert seen == want.tolist()


def test_inverted_bbox_is_refused(city):
    with pytest.raises(ValueError):
        city[4].within_bbox(114.1, 22.5, 114.0, 22.6)


def test_index_refuses_duplicate_ids_and_handles_no_points():
    with pytest.raises(ValueError):
        PointGrid(ids=[1, 1], lons=[114.0, 114.1], lats=[22.5, 22.6])
    empty = PointGrid(ids=[], lons=[], lats=[])
    assert empty.nearby(*FUTIAN, 1000).total == 0
    assert empty.within_bbox(113, 22, 115, 23).total == 0


def test_points_spread_over_china_still_index():
    # Far-apart points force the grid to coarsen; answers stay exact.
    lons = np.array([75.99, 87.62, 116.40, 126.53, 109.51, 114.06, 114.0601])
    lats = np.array([39.47, 43.83, 39.90, 45.80, 18.25, 22.54, 22.5401])
    index = PointGrid(ids=np.arange(7), lons=lons, lats=lats)
    page = index.nearby(114.06, 22.54, 20)
    assert page.positions.tolist() == [5, 6]
    assert page.total == 2
    assert index.within_bbox(73, 18, 135, 54).total == 7
