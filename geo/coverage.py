"""Service coverage (生活圈覆盖率): the share of a division within a radius of some service point.

The 15-minute life circle of GB 50180-2018 is roughly a 1 000 m walk, the 10-minute one 500 m.
Areas and buffers are computed in an azimuthal equidistant projection centred on the division,
where distances from the centre are true and areas over a few kilometres are off by < 0.01 %.
Points outside the division count when their circle reaches into it: they serve it too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple, TypeAlias

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.coords import EARTH_RADIUS_M

Polygonal: TypeAlias = Polygon | MultiPolygon
_QUAD_SEGS = 16  # 64-gon circles: area within 0.2 % of the true disc
RADIUS_STEP_M = 250  # radii are answered in steps of 250 m: 500 (10 minutes), 1000 (15 minutes), ...


def radius_bucket(radius_m: float) -> int:
    """The radius actually computed for ``radius_m``: the nearest step of 250 m, at least one step.

    Each (division, category, radius) answer costs up to seconds of CPU and is cached per data
    version; steps keep the number of distinct answers small (20 up to 5 km), so varying the radius
    cannot force a new computation on every request.
    """
    return max(RADIUS_STEP_M, round(radius_m / RADIUS_STEP_M) * RADIUS_STEP_M)


class Coverage(NamedTuple):
    """``ratio`` in 0..1 and the uncovered part of the division in WGS-84 (empty if none)."""

    ratio: float
    uncovered: Polygonal


def coverage(
    division: Polygonal, points: Sequence[tuple[float, float]], *, radius_m: float
) -> Coverage:
    """Share of ``division`` within ``radius_m`` of any ``(lon, lat)`` point, and the rest."""
    if not radius_m > 0:
        raise ValueError("radius_m must be positive")
    if not isinstance(division, (Polygon, MultiPolygon)) or division.is_empty:
        raise ValueError("division must be a non-empty (Multi)Polygon")
    to_metric, to_wgs84 = _local_projection(division)
    area = shapely.transform(division, to_metric)
    if not area.is_valid:
        area = shapely.make_valid(area)
    if area.area <= 0:
        raise ValueError("division has no area")
    near = _points_near(division, points, radius_m)
    if len(near) == 0:
        return Coverage(0.0, _polygonal(division))
    circles = shapely.buffer(shapely.points(to_metric(near)), radius_m, quad_segs=_QUAD_SEGS)
    served = shapely.union_all(circles)
    left = area.difference(served)
    ratio = min(1.0, max(0.0, 1.0 - left.area / area.area))
    return Coverage(ratio, _polygonal(shapely.transform(left, to_wgs84)))


def _local_projection(division: Polygonal) -> tuple[_Project, _Project]:
    """Forward and inverse azimuthal equidistant transforms centred on the division."""
    centre = division.centroid
    local = CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m +no_defs"
    )
    forward = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    return _Project(forward), _Project(back)


class _Project:
    """Adapter from a pyproj Transformer to shapely.transform's (N, 2) array interface."""

    def __init__(self, transformer: Transformer) -> None:
        self._transformer = transformer

    def __call__(self, coords: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = self._transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack((x, y))


def _points_near(
    division: Polygonal, points: Sequence[tuple[float, float]], radius_m: float
) -> NDArray[np.float64]:
    """Points inside the division's bounds grown by the radius (a generous degree margin)."""
    arr = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    west, south, east, north = division.bounds
    # 1 % slack over the spherical figure covers the ellipsoid's shorter degrees of latitude.
    margin_lat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    widest = min(89.0, max(abs(south), abs(north)) + margin_lat)
    margin_lon = margin_lat / math.cos(math.radians(widest))
    inside = (
        (arr[:, 0] >= west - margin_lon)
        & (arr[:, 0] <= east + margin_lon)
        & (arr[:, 1] >= south - margin_lat)
        & (arr[:, 1] <= north + margin_lat)
    )
    return arr[inside]


def _polygonal(geometry: BaseGeometry) -> Polygonal:
    """Only the areal parts (a difference may leave stray lines), rings wound as RFC 7946 asks."""
    parts = [
        orient(part, sign=1.0)
        for piece in shapely.get_parts(geometry)
        for part in shapely.get_parts(piece)
        if isinstance(part, Polygon) and not part.is_empty
    ]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)
