"""Coverage on hand-computed squares, in metres on the WGS-84 ellipsoid."""

import math

import pytest
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon, box

from geo.coverage import coverage

LON0, LAT0 = 114.0550, 22.5410
A, E2 = 6378137.0, 0.00669437999014  # WGS-84


def metres_per_degree(lat):
    # Meridian and prime-vertical radii of curvature of the ellipsoid.
    s2 = math.sin(math.radians(lat)) ** 2
    m = A * (1 - E2) / (1 - E2 * s2) ** 1.5
    n = A / math.sqrt(1 - E2 * s2)
    return math.pi * n * math.cos(math.radians(lat)) / 180, math.pi * m / 180


MX, MY = metres_per_degree(LAT0)


def at(dx, dy):
    """The point dx metres east and dy metres north of the square's centre."""
    return (LON0 + dx / MX, LAT0 + dy / MY)


SQUARE = box(*at(-1000, -1000), *at(1000, 1000))  # 2 km x 2 km, 4 km²
CORNERS = [at(-1000, -1000), at(1000, -1000), at(-1000, 1000), at(1000, 1000)]


def geodesic_area(geometry):
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0])


def test_one_point_in_the_centre_covers_the_inscribed_disc():
    ratio, uncovered = coverage(SQUARE, [at(0, 0)], radius_m=1000)
    assert ratio == pytest.approx(math.pi / 4, rel=0.01)
    # The uncovered corners, measured independently on the ellipsoid.
    assert geodesic_area(uncovered) == pytest.approx(4e6 - math.pi * 1e6, rel=0.01)
    assert not uncovered.contains(Point(at(0, 0)))
    assert uncovered.contains(Point(at(990, 990)))


def test_four_corners_cover_four_quarter_discs():
    ratio, uncovered = coverage(SQUARE, CORNERS, radius_m=1000)
    assert ratio == pytest.approx(math.pi / 4, rel=0.01)
    assert uncovered.contains(Point(at(0, 0)))
    assert not uncovered.contains(Point(at(990, 990)))


def test_corners_with_more_than_half_the_diagonal_cover_everything():
    ratio, uncovered = coverage(SQUARE, CORNERS, radius_m=1415)  # half diagonal 1414.2 m
    assert ratio == pytest.approx(1.0, abs=1e-9)
    assert uncovered.is_empty


def test_centre_with_radius_1200_leaves_four_corner_pieces():
    # Outside the disc in one quadrant: integral over x from sqrt(r^2 - a^2) to a of
    # (a - sqrt(r^2 - x^2)), with a = 1000 m, r = 1200 m.
    a, r = 1000.0, 1200.0
    x0 = math.sqrt(r * r - a * a)

    def primitive(x):
        return a * x - (x * math.sqrt(r * r - x * x) + r * r * math.asin(x / r)) / 2

    outside = 4 * (primitive(a) - primitive(x0))
    ratio, _ = coverage(SQUARE, [at(0, 0)], radius_m=1200)
    assert ratio == pytest.approx(1 - outside / 4e6, rel=0.01)


def test_a_point_just_outside_serves_the_division_too():
    # 500 m beyond the east edge, radius 1 km: a circular segment reaches in.
    d, r = 500.0, 1000.0
    segment = r * r * math.acos(d / r) - d * math.sqrt(r * r - d * d)
    ratio, _ = coverage(SQUARE, [at(1500, 0)], radius_m=1000)
    assert ratio == pytest.approx(segment / 4e6, rel=0.01)


def test_points_too_far_away_cover_nothing():
    ratio, uncovered = coverage(SQUARE, [at(2100, 0), at(0, -2500)], radius_m=1000)
    assert ratio == 0.0
    assert geodesic_area(uncovered) == pytest.approx(4e6, rel=0.001)
    assert coverage(SQUARE, [], radius_m=1000).ratio == 0.0


def test_multipolygon_division():
    east = box(*at(3000, -1000), *at(5000, 1000))
    both = MultiPolygon([SQUARE, east])
    ratio, uncovered = coverage(both, [at(0, 0)], radius_m=1000)
    assert ratio == pytest.approx((math.pi / 4) / 2, rel=0.01)
    assert uncovered.contains(east.centroid)


def test_invalid_arguments():
    with pytest.raises(ValueError):
        coverage(SQUARE, [at(0, 0)], radius_m=0)
    with pytest.raises(ValueError):
        coverage(Polygon(), [at(0, 0)], radius_m=1000)


def test_ten_square_kilometres_with_fifty_points():
    division = box(*at(-1600, -1600), *at(1600, 1600))  # 10.24 km²
    points = [at(-2000 + 4000 * (i % 7) / 6, -2000 + 4000 * (i // 7) / 7) for i in range(50)]
    ratio, _ = coverage(division, points, radius_m=500)
    assert 0.5 < ratio <= 1.0
