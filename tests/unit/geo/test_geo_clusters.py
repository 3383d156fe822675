"""Viewport clustering: counts add up, clusters split where hand computation says."""

import math

import numpy as np
import pytest

from geo.clusters import MAX_ZOOM, Cluster, ClusterIndex, SinglePoint

FUTIAN = (114.0550, 22.5410)


def count(items):
    return sum(it.point_count if isinstance(it, Cluster) else 1 for it in items)


def in_bbox(lons, lats, bbox):
    west, south, east, north = bbox
    return (lons >= west) & (lons <= east) & (lats >= south) & (lats <= north)


def viewport(zoom, width_px=375, height_px=667, centre=FUTIAN):
    # A phone screen: degrees per pixel at a zoom in Web Mercator.
    deg_per_px = 360.0 / (256 * 2**zoom)
    half_w = width_px / 2 * deg_per_px
    half_h = height_px / 2 * deg_per_px * math.cos(math.radians(centre[1]))
    return (centre[0] - half_w, centre[1] - half_h, centre[0] + half_w, centre[1] + half_h)


@pytest.fixture(scope="module")
def city():
    rng = np.random.default_rng(7)
    n = 20_000
    lons = FUTIAN[0] - 0.15 + rng.random(n) * 0.3
    lats = FUTIAN[1] - 0.14 + rng.random(n) * 0.28
    categories = rng.integers(0, 19, n)
    return lons, lats, categories, ClusterIndex(lons=lons, lats=lats)


@pytest.mark.parametrize("zoom", [3, 8, 10, 11, 12, 13, 14, 16, 18, 20])
@pytest.mark.parametrize("masked", [False, True])
def test_counts_add_up_to_points_in_viewport(city, zoom, masked):
    lons, lats, categories, index = city
    bbox = viewport(zoom, centre=(FUTIAN[0] + 0.013, FUTIAN[1] - 0.007))
    mask = np.isin(categories, [5, 6, 7]) if masked else None
    want = in_bbox(lons, lats, bbox) & (True if mask is None else mask)
    result = index.cluster(*bbox, zoom=zoom, mask=mask)
    assert result.total == count(result.items) == int(want.sum())
    singles = [it.position for it in result.items if isinstance(it, SinglePoint)]
    assert all(want[p] for p in singles)


def test_a_big_screen_is_grouped_coarser_to_stay_under_256_features(city):
    lons, lats, _, index = city
    bbox = viewport(12, width_px=2560, height_px=1440)
    result = index.cluster(*bbox, zoom=12)
    assert result.grouping_zoom < 12
    assert len(result.items) <= 256
    assert result.total == int(in_bbox(lons, lats, bbox).sum())


def test_two_points_split_at_the_hand_computed_zoom():
    # Cells at zoom z are 90 / 2**z degrees of longitude wide and lon 0 is always a border.
    # 0.001 and 0.004 share the cell [0, w) while 0.004 < w, i.e. 2**z < 22500: up to z = 14.
    index = ClusterIndex(lons=[0.001, 0.004], lats=[10.0, 10.0])
    result = index.cluster(-1, 9, 1, 11, zoom=10)
    assert result.items == [
        Cluster(lon=0.0025, lat=10.0, point_count=2, expansion_zoom=15, co_located=False)
    ]
    assert index.cluster(-1, 9, 1, 11, zoom=14).items[0].expansion_zoom == 15
    assert index.cluster(-0.01, 9.99, 0.01, 10.01, zoom=15).items == [
        SinglePoint(position=0),
        SinglePoint(position=1),
    ]


def test_cluster_position_is_the_mean_of_its_members():
    lons, lats = [114.050, 114.052, 114.057], [22.540, 22.544, 22.545]
    result = ClusterIndex(lons=lons, lats=lats).cluster(113, 22, 115, 23, zoom=8)
    (cluster,) = result.items
    assert cluster.point_count == 3
    assert cluster.lon == pytest.approx(114.053, abs=1e-9)
    assert cluster.lat == pytest.approx(22.543, abs=1e-9)


def test_identical_coordinates_never_split():
    lons = [114.06, 114.06, 114.06, 114.30]
    lats = [22.54, 22.54, 22.54, 22.60]
    index = ClusterIndex(lons=lons, lats=lats)
    for zoom in (10, 15, MAX_ZOOM):
        items = index.cluster(114.0, 22.5, 114.1, 22.6, zoom=zoom).items
        assert items == [
            Cluster(lon=114.06, lat=22.54, point_count=3, expansion_zoom=MAX_ZOOM, co_located=True)
        ]


def test_clusters_nest_across_zooms(city):
    index = city[3]
    bbox = (114.03, 22.52, 114.08, 22.56)
    for zoom in (11, 12, 13):
        coarse = index.cluster(*bbox, zoom=zoom)
        fine = index.cluster(*bbox, zoom=zoom + 1)
        assert coarse.total == fine.total
        assert len(fine.items) >= len(coarse.items)


@pytest.mark.parametrize("zoom", [-1, 21, 12.5])
def test_invalid_zoom_is_refused(city, zoom):
    with pytest.raises(ValueError):
        city[3].cluster(*viewport(12), zoom=zoom)


def test_inverted_bbox_is_refused(city):
    with pytest.raises(ValueError):
        city[3].cluster(114.1, 22.5, 114.0, 22.6, zoom=12)


def test_empty_index_and_empty_viewport():
    assert ClusterIndex(lons=[], lats=[]).cluster(113, 22, 115, 23, zoom=10).items == []
    assert ClusterIndex(lons=[114.0], lats=[22.5]).cluster(0, 0, 1, 1, zoom=10).total == 0


def test_city_viewport_over_100k_points_stays_small_and_adds_up():
    rng = np.random.default_rng(1)
    n = 100_000
    lons = FUTIAN[0] - 0.15 + rng.random(n) * 0.3
    lats = FUTIAN[1] - 0.14 + rng.random(n) * 0.28
    mask = rng.random(n) < 0.3
    index = ClusterIndex(lons=lons, lats=lats)
    bbox = (lons.min(), lats.min(), lons.max(), lats.max())
    result = index.cluster(*bbox, zoom=12, mask=mask)
    assert result.total == int(mask.sum()) == count(result.items)
    assert len(result.items) <= 256
