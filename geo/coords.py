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
    return _mainland(float(lon), float(lat))


def in_mainland_china_array(lons: ArrayLike, lats: ArrayLike) -> NDArray[np.bool_]:
    """Vectorised :func:`in_mainland_china`."""
    x, y = np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    return _in_rects(x, y, _MAINLAND_ARR) & ~_in_rects(x, y, _NOT_MAINLAND_ARR)


def _in_rects(x: FloatArray, y: FloatArray, rects: FloatArray) -> NDArray[np.bool_]:
    x, y = x[..., None], y[..., None]  # one column per rectangle
    inside = (rects[:, 0] <= x) & (x <= rects[:, 2]) & (rects[:, 1] <= y) & (y <= rects[:, 3])
    return inside.any(axis=-1)


# The formulas run on numpy arrays: a whole snapshot converts in one vectorised pass, and a single
# point goes the same way (see :func:`convert`).

def _gcj_offset(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Offset in degrees that GCJ-02 adds to a WGS-84 point (ignoring the mainland test)."""
    pi = math.pi
    x, y = lon - 105.0, lat - 35.0
    wave = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    d_lat += wave + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    d_lon += wave + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad_lat = np.radians(lat)
    magic = 1.0 - _GCJ_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = d_lat * 180.0 / (_GCJ_A * (1.0 - _GCJ_EE) / (magic * sqrt_magic) * pi)
    d_lon = d_lon * 180.0 / (_GCJ_A / sqrt_magic * np.cos(rad_lat) * pi)
    return d_lon, d_lat


def _gcj_to_bd_formula(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _BD_X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _bd_to_gcj_formula(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    # The widely used closed-form inverse (round trip < 0.1 m).
    x, y = lon - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _mainland(x: float, y: float) -> bool:
    def within(rects: tuple[tuple[float, float, float, float], ...]) -> bool:
        return any(w <= x <= e and s <= y <= n for w, s, e, n in rects)

    return within(_MAINLAND) and not within(_NOT_MAINLAND)


def _convert(lon: FloatArray, lat: FloatArray, src: int, dst: int) -> tuple[FloatArray, FloatArray]:
    """Between systems (codes as :func:`system_code`); every path goes through GCJ-02."""
    if src == 0:
        d_lon, d_lat = _gcj_offset(lon, lat)
        inside = in_mainland_china_array(lon, lat)
        lon, lat = np.where(inside, lon + d_lon, lon), np.where(inside, lat + d_lat, lat)
    elif src == 2:
        x, y = _bd_to_gcj_formula(lon, lat)
        inside = in_mainland_china_array(x, y)
        lon, lat = np.where(inside, x, lon), np.where(inside, y, lat)
    if dst == 0:
        wx, wy = lon.copy(), lat.copy()
        moving = np.ones(lon.shape, dtype=bool)  # each point stops where the scalar loop would
        for _ in range(30):
            fx, fy = _convert(wx, wy, 0, 1)
            ex, ey = fx - lon, fy - lat
            wx, wy = np.where(moving, wx - ex, wx), np.where(moving, wy - ey, wy)
            moving &= ~((np.abs(ex) < 1e-10) & (np.abs(ey) < 1e-10))
            if not moving.any():
                break
        return wx, wy
    if dst == 2:
        x, y = _gcj_to_bd_formula(lon, lat)
        inside = in_mainland_china_array(lon, lat)
        return np.where(inside, x, lon), np.where(inside, y, lat)
    return lon, lat


SYSTEM_NAMES = ("wgs84", "gcj02", "bd09")
_SYSTEMS = {name: code for code, name in enumerate(SYSTEM_NAMES)}


def system_code(name: CoordSystem | str) -> int:
    """A coordinate system's number (0 WGS-84, 1 GCJ-02, 2 BD-09); ValueError for any other name."""
    code = _SYSTEMS.get(str(name))
    if code is None:
        raise ValueError(f"unknown coordinate system {name!r} (wgs84, gcj02 or bd09)")
    return code


def _floats(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.ascontiguousarray(lons, dtype=np.float64).reshape(-1)
    y = np.ascontiguousarray(lats, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError("lons and lats must have one length")
    return x, y


def wgs84_to_gcj02_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised WGS-84 -> GCJ-02; points outside mainland China are returned unchanged."""
    return convert_array(lons, lats, src="wgs84", dst="gcj02")


def gcj02_to_wgs84_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised GCJ-02 -> WGS-84 by fixed-point iteration (error far below 0.5 m)."""
    return convert_array(lons, lats, src="gcj02", dst="wgs84")


def gcj02_to_bd09_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised GCJ-02 -> BD-09; points outside mainland China are returned unchanged."""
    return convert_array(lons, lats, src="gcj02", dst="bd09")


def bd09_to_gcj02_array(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised BD-09 -> GCJ-02 with the widely used closed-form inverse (round trip < 0.1 m)."""
    return convert_array(lons, lats, src="bd09", dst="gcj02")


def convert_array(
    lons: ArrayLike, lats: ArrayLike, *, src: CoordSystem | str, dst: CoordSystem | str
) -> tuple[FloatArray, FloatArray]:
    """Convert arrays of longitudes and latitudes between any two of the three systems."""
    source, target = system_code(src), system_code(dst)
    shape = np.shape(lons)
    x, y = _floats(lons, lats)
    if source == target:
        return x.copy().reshape(shape), y.copy().reshape(shape)
    out_x, out_y = _convert(x, y, source, target)
    return out_x.reshape(shape), out_y.reshape(shape)


def convert(point: Point, src: CoordSystem | str, dst: CoordSystem | str) -> Point:
    """Convert one ``(lon, lat)`` point from ``src`` to ``dst`` (``"wgs84"|"gcj02"|"bd09"``)."""
    source, target = system_code(src), system_code(dst)
    if source == target:
        return float(point[0]), float(point[1])
    # Through the array path, so a POI's detail and its list show the very same float (numpy's SIMD
    # sin/atan2 may differ from libm's in the last bit).
    xs, ys = _convert(np.array([float(point[0])]), np.array([float(point[1])]), source, target)
    return float(xs[0]), float(ys[0])


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
