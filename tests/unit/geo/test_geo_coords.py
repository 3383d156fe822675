"""WGS-84 / GCJ-02 / BD-09 conversions against published reference pairs, and round trips."""

import math

import numpy as np
import pytest

from geo.coords import (
    CoordSystem,
    bd09_to_gcj02,
    convert,
    convert_array,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    haversine_m,
    haversine_m_array,
    in_mainland_china,
    wgs84_to_gcj02,
)

R = 6371008.8

# (wgs lon, lat) -> (gcj lon, lat), from googollee/eviltransform python/test.py and
# go/transform_test.go (Shanghai, Shenzhen, Beijing).
EVILTRANSFORM_PAIRS = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
]
# From wandergis/coordtransform test/app.js, all applied to (116.404, 39.915).
WANDERGIS_WGS_TO_GCJ = (116.41024449916938, 39.91640428150164)
WANDERGIS_GCJ_TO_BD = (116.41036949371029, 39.92133699351021)
WANDERGIS_BD_TO_GCJ = (116.39762729119315, 39.90865673957631)


def independent_haversine(a, b):
    # Spherical law of cosines: a different formula from the module's haversine.
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    c = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return R * math.acos(min(1.0, c))


def short_distance(a, b):
    # Equirectangular: precise for the centimetre-to-kilometre gaps checked here.
    mean_lat = math.radians((a[1] + b[1]) / 2)
    dx = math.radians(b[0] - a[0]) * math.cos(mean_lat)
    return R * math.hypot(dx, math.radians(b[1] - a[1]))


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_PAIRS)
def test_wgs84_to_gcj02_matches_published_pairs(wgs, gcj):
    got = wgs84_to_gcj02(wgs)
    assert got == pytest.approx(gcj, abs=1e-7)


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_PAIRS)
def test_gcj02_to_wgs84_recovers_published_point_within_half_a_metre(wgs, gcj):
    assert short_distance(gcj02_to_wgs84(gcj), wgs) < 0.5


def test_wandergis_reference_values():
    point = (116.404, 39.915)
    assert convert(point, "wgs84", "gcj02") == pytest.approx(WANDERGIS_WGS_TO_GCJ, abs=1e-7)
    assert gcj02_to_bd09(point) == pytest.approx(WANDERGIS_GCJ_TO_BD, abs=1e-7)
    assert bd09_to_gcj02(point) == pytest.approx(WANDERGIS_BD_TO_GCJ, abs=1e-7)


def mainland_grid():
    lons, lats = np.meshgrid(np.arange(74.0, 135.0, 1.7), np.arange(18.5, 53.5, 1.3))
    lons, lats = lons.ravel(), lats.ravel()
    keep = np.array([in_mainland_china(x, y) for x, y in zip(lons, lats)])
    return lons[keep], lats[keep]


def test_gcj02_round_trip_under_half_a_metre_over_mainland_grid():
    lons, lats = mainland_grid()
    assert len(lons) > 300
    for lon, lat in zip(lons, lats):
        gcj = wgs84_to_gcj02((lon, lat))
        assert short_distance(gcj, (lon, lat)) > 5  # the offset really applies here
        back = gcj02_to_wgs84(gcj)
        assert short_distance(back, (lon, lat)) < 0.5


@pytest.mark.parametrize("via", ["gcj02", "bd09"])
def test_vectorised_round_trip_matches_points(via):
    lons, lats = mainland_grid()
    x, y = convert_array(lons, lats, src="wgs84", dst=via)
    bx, by = convert_array(x, y, src=via, dst="wgs84")
    errors = [short_distance((a, b), (c, d)) for a, b, c, d in zip(bx, by, lons, lats)]
    assert max(errors) < 0.5
    # The array variant agrees with the one-point API.
    for i in range(0, len(lons), 37):
        assert convert((lons[i], lats[i]), "wgs84", via) == pytest.approx((x[i], y[i]), abs=1e-12)


def test_bd09_is_offset_from_gcj02_by_a_few_hundred_metres():
    gcj = (114.0579, 22.5431)
    assert 500 < short_distance(gcj02_to_bd09(gcj), gcj) < 1500


@pytest.mark.parametrize(
    ("name", "point"),
    [
        ("Hong Kong Central", (114.1588, 22.2819)),
        ("Hong Kong Sha Tin", (114.1887, 22.3817)),
        ("Hong Kong Yuen Long", (114.0325, 22.4445)),
        ("Macau peninsula", (113.5439, 22.1987)),
        ("Macau Taipa", (113.5575, 22.1550)),
        ("Taipei", (121.5654, 25.0330)),
        ("Tokyo", (139.6917, 35.6895)),
        ("Ulaanbaatar", (106.9057, 47.8864)),
        ("Hanoi", (105.8342, 21.0278)),
        ("Seoul", (126.9780, 37.5665)),
        ("London", (-0.1276, 51.5072)),
    ],
)
def test_no_offset_outside_mainland(name, point):
    assert not in_mainland_china(*point), name
    for src in CoordSystem:
        for dst in CoordSystem:
            assert convert(point, src, dst) == pytest.approx(point, abs=1e-12)


@pytest.mark.parametrize(
    ("name", "point"),
    [
        ("Shenzhen Futian", (114.0579, 22.5431)),
        ("Shenzhen Luohu", (114.1170, 22.5360)),
        ("Shenzhen Shekou", (113.9200, 22.4850)),
        ("Zhuhai Gongbei", (113.5767, 22.2707)),
        ("Zhuhai Hengqin", (113.5200, 22.1200)),
        ("Kashgar", (75.9900, 39.4700)),
        ("Harbin", (126.5350, 45.8038)),
        ("Sanya", (109.5119, 18.2528)),
        ("Lhasa", (91.1409, 29.6456)),
    ],
)
def test_mainland_cities_next_to_borders_are_offset(name, point):
    assert in_mainland_china(*point), name
    assert short_distance(wgs84_to_gcj02(point), point) > 50


def test_unknown_coordinate_system_is_rejected():
    with pytest.raises(ValueError):
        convert((114.0, 22.5), "wgs84", "utm")


def test_same_system_is_identity():
    assert convert((114.0579, 22.5431), "gcj02", "gcj02") == (114.0579, 22.5431)


def test_haversine_known_distances():
    # One degree along the equator or a meridian is R * pi / 180 on the sphere.
    assert haversine_m((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111195.0802, abs=1e-3)
    assert haversine_m((114.0, 22.0), (114.0, 23.0)) == pytest.approx(111195.0802, abs=1e-3)
    assert haversine_m((0.0, 0.0), (0.0, 90.0)) == pytest.approx(R * math.pi / 2, abs=1e-6)
    assert haversine_m((114.06, 22.54), (114.06, 22.54)) == 0.0


def test_haversine_array_matches_law_of_cosines():
    rng = np.random.default_rng(5)
    lons = 114.0 + rng.random(200) * 0.3
    lats = 22.4 + rng.random(200) * 0.3
    got = haversine_m_array(114.1, 22.5, lons, lats)
    want = [independent_haversine((114.1, 22.5), p) for p in zip(lons, lats)]
    assert got == pytest.approx(want, rel=1e-6)


@pytest.mark.parametrize("src", ["wgs84", "gcj02", "bd09"])
@pytest.mark.parametrize("dst", ["wgs84", "gcj02", "bd09"])
def test_one_point_converts_to_the_same_float_as_in_an_array(src, dst):
    # A POI's detail converts its point alone, the list converts whole pages: one coordinate either way.
    rng = np.random.default_rng(11)
    lons = np.concatenate((rng.uniform(73, 135, 300), 114.17 + rng.normal(0, 0.05, 100)))
    lats = np.concatenate((rng.uniform(18, 54, 300), 22.3 + rng.normal(0, 0.05, 100)))
    xs, ys = convert_array(lons, lats, src=src, dst=dst)
    assert [convert(p, src, dst) for p in zip(lons.tolist(), lats.tolist())] == list(zip(xs.tolist(), ys.tolist()))
