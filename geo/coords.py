"""Coordinate systems used by Chinese maps: WGS-84, GCJ-02 (国测局, "Mars") and BD-09 (百度).

Inside bianmin every point is ``(lon, lat)`` in WGS-84; these conversions run at the API edge
(WeChat's ``<map>`` speaks GCJ-02, Baidu speaks BD-09). The GCJ-02 offset only exists in mainland
China: Hong Kong, Macau and Taiwan (and everything abroad) are returned unchanged, and so is BD-09
there, because both offsets are mainland-only conventions.
"""

from __future__ import annotations

import math
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

Point = tuple[float, float]
FloatArray = NDArray[np.float64]

EARTH_RADIUS_M = 6371008.8  # IUGG mean radius, used for every distance in geo/

# Parameters of the published GCJ-02 obfuscation (Krasovsky 1940 ellipsoid).
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
_BD_X_PI = math.pi * 3000.0 / 180.0

# Mainland test as (west, south, east, north) rectangles. The first two lists follow the
# rectangle set circulated since 2012 (cnblogs.com/Aimeast, reused by wandergis/coordtransform
# ports); HK and Macau rectangles are ours, traced so Shenzhen, Zhuhai and Hengqin stay inside.
_MAINLAND = (
    (79.4462, 42.8899, 96.3300, 49.2204),
    (109.6872, 39.3742, 135.0002, 54.1415),
    (73.1246, 29.5297, 124.143255, 42.8899),
    (82.9684, 26.7186, 97.0352, 29.5297),
    (97.0253, 20.414096, 124.367395, 29.5297),
    (107.975793, 17.871542, 111.744104, 20.414096),
)
_NOT_MAINLAND = (
    (119.921265, 21.785006, 122.497559, 25.398623),  # Taiwan
    (101.8652, 20.0988, 106.6650, 22.2840),  # northern Laos and Vietnam
    (106.4525, 20.4878, 108.0510, 21.5422),  # northern Vietnam coast
    (109.0323, 50.3257, 119.1270, 55.8175),  # Mongolia and Russia
    (127.4568, 49.5574, 137.0227, 55.8175),  # Russia (Amur)
    (131.2662, 42.5692, 137.0227, 44.8922),  # Russia (Primorye)
    (113.83, 22.15, 114.44, 22.44),  # Hong Kong: islands, Kowloon, southern New Territories
    (113.97, 22.44, 114.44, 22.50),  # Hong Kong: northern New Territories up to Shenzhen River
    (114.08, 22.50, 114.23, 22.528),  # Hong Kong: Sheung Shui to Sha Tau Kok
    (114.40, 22.53, 114.45, 22.56),  # Hong Kong: Tung Ping Chau
    (113.533, 22.18, 113.56, 22.217),  # Macau peninsula
    (113.545, 22.105, 113.60, 22.165),  # Macau: Taipa, Cotai, Coloane
)
_MAINLAND_ARR = np.array(_MAINLAND)
_NOT_MAINLAND_ARR = np.array(_NOT_MAINLAND)


class CoordSystem(StrEnum):
    """The three coordinate systems the API accepts in ``coord=``."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def in_mainland_china(lon: float, lat: float) -> bool:
    """Whether the GCJ-02 offset applies at this point (mainland China, not HK/Macau/Taiwan)."""
    return bool(in_mainland_china_array(np.array([lon]), np.array([lat]))[0])


def in_mainland_china_array(lons: ArrayLike, lats: ArrayLike) -> NDArray[np.bool_]:
    """Vectorised :func:`in_mainland_china`."""
    x = np.asarray(lons, dtype=np.float64)[..., None]
    y = np.asarray(lats, dtype=np.float64)[..., None]
    return _in_any(x, y, _MAINLAND_ARR) & ~_in_any(x, y, _NOT_MAINLAND_ARR)


def _in_any(x: FloatArray, y: FloatArray, rects: FloatArray) -> NDArray[np.bool_]:
    inside = (rects[:, 0] <= x) & (x <= rects[:, 2]) & (rects[:, 1] <= y) & (y <= rects[:, 3])
    return np.asarray(inside.any(axis=-1), dtype=bool)


def _gcj_delta(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Offset in degrees that GCJ-02 adds to a WGS-84 point (ignoring the mainland test)."""
    x, y = lons - 105.0, lats - 35.0
    sx, sy = np.sin(x * np.pi), np.sin(y * np.pi)
    wave = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    d_lat += wave + (20.0 * sy + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    d_lon += wave + (20.0 * sx + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = np.radians(lats)
    magic = 1.0 - _GCJ_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = d_lat * 180.0 / (_GCJ_A * (1.0 - _GCJ_EE) / (magic * sqrt_magic) * np.pi)
    d_lon = d_lon * 180.0 / (_GCJ_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def wgs84_to_gcj02_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised WGS-84 -> GCJ-02; points outside mainland China are returned unchanged."""
    x = np.asarray(lons, dtype=np.float64)
    y = np.asarray(lats, dtype=np.float64)
    d_lon, d_lat = _gcj_delta(x, y)
    inside = in_mainland_china_array(x, y)
    return np.where(inside, x + d_lon, x), np.where(inside, y + d_lat, y)


def gcj02_to_wgs84_array(
    lons: ArrayLike, lats: ArrayLike, *, tolerance_deg: float = 1e-10, max_iter: int = 30
) -> tuple[FloatArray, FloatArray]:
    """Vectorised GCJ-02 -> WGS-84 by fixed-point iteration (error far below 0.5 m)."""
    gx = np.asarray(lons, dtype=np.float64)
    gy = np.asarray(lats, dtype=np.float64)
    wx, wy = gx.copy(), gy.copy()
    # The offset varies by < 1e-3 of itself per metre, so the iteration contracts fast
    # (typically 3-5 rounds); outside the mainland it stops at once with wgs == gcj.
    for _ in range(max_iter):
        fx, fy = wgs84_to_gcj02_array(wx, wy)
        ex, ey = fx - gx, fy - gy
        wx, wy = wx - ex, wy - ey
        if np.all(np.abs(ex) < tolerance_deg) and np.all(np.abs(ey) < tolerance_deg):
            break
    return wx, wy


def gcj02_to_bd09_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised GCJ-02 -> BD-09; points outside mainland China are returned unchanged."""
    x = np.asarray(lons, dtype=np.float64)
    y = np.asarray(lats, dtype=np.float64)
    z = np.hypot(x, y) + 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _BD_X_PI)
    inside = in_mainland_china_array(x, y)
    return (
        np.where(inside, z * np.cos(theta) + 0.0065, x),
        np.where(inside, z * np.sin(theta) + 0.006, y),
    )


def bd09_to_gcj02_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised BD-09 -> GCJ-02 with the widely used closed-form inverse (round trip < 0.1 m)."""
    bx = np.asarray(lons, dtype=np.float64)
    by = np.asarray(lats, dtype=np.float64)
    x, y = bx - 0.0065, by - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    gx, gy = z * np.cos(theta), z * np.sin(theta)
    inside = in_mainland_china_array(gx, gy)
    return np.where(inside, gx, bx), np.where(inside, gy, by)


def convert_array(
    lons: ArrayLike, lats: ArrayLike, *, src: CoordSystem | str, dst: CoordSystem | str
) -> tuple[FloatArray, FloatArray]:
    """Convert arrays of longitudes and latitudes between any two of the three systems."""
    src, dst = CoordSystem(src), CoordSystem(dst)
    x = np.asarray(lons, dtype=np.float64)
    y = np.asarray(lats, dtype=np.float64)
    if src == dst:
        return x.copy(), y.copy()
    # Every path goes through GCJ-02, the system both others are defined against.
    if src == CoordSystem.WGS84:
        x, y = wgs84_to_gcj02_array(x, y)
    elif src == CoordSystem.BD09:
        x, y = bd09_to_gcj02_array(x, y)
    if dst == CoordSystem.WGS84:
        return gcj02_to_wgs84_array(x, y)
    if dst == CoordSystem.BD09:
        return gcj02_to_bd09_array(x, y)
    return x, y


def convert(point: Point, src: CoordSystem | str, dst: CoordSystem | str) -> Point:
    """Convert one ``(lon, lat)`` point from ``src`` to ``dst`` (``"wgs84"|"gcj02"|"bd09"``)."""
    x, y = convert_array(np.array([point[0]]), np.array([point[1]]), src=src, dst=dst)
    return float(x[0]), float(y[0])


def wgs84_to_gcj02(point: Point) -> Point:
    """WGS-84 -> GCJ-02 for one ``(lon, lat)`` point."""
    return convert(point, CoordSystem.WGS84, CoordSystem.GCJ02)


def gcj02_to_wgs84(point: Point) -> Point:
    """GCJ-02 -> WGS-84 for one ``(lon, lat)`` point (iterative inverse)."""
    return convert(point, CoordSystem.GCJ02, CoordSystem.WGS84)


def gcj02_to_bd09(point: Point) -> Point:
    """GCJ-02 -> BD-09 for one ``(lon, lat)`` point."""
    return convert(point, CoordSystem.GCJ02, CoordSystem.BD09)


def bd09_to_gcj02(point: Point) -> Point:
    """BD-09 -> GCJ-02 for one ``(lon, lat)`` point."""
    return convert(point, CoordSystem.BD09, CoordSystem.GCJ02)


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two ``(lon, lat)`` points (R = 6371008.8 m)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def haversine_m_array(lon: float, lat: float, lons: ArrayLike, lats: ArrayLike) -> FloatArray:
    """Distances in metres from one ``(lon, lat)`` point to arrays of points."""
    x = np.radians(np.asarray(lons, dtype=np.float64))
    y = np.radians(np.asarray(lats, dtype=np.float64))
    lon0, lat0 = math.radians(lon), math.radians(lat)
    h = np.sin((y - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(y) * np.sin((x - lon0) / 2) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
