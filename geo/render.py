"""GeoJSON answers rendered straight to bytes from a snapshot's pre-rendered features (geo/feature_store.py).

Coordinates leave in the system the client asked for (``coord``), converted for the whole page
in one vectorised call. Every answer is an RFC 7946 FeatureCollection; ``coord``, ``total`` and
``next_cursor`` are foreign members, which RFC 7946 allows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import orjson
from numpy.typing import NDArray

from geo import coords
from geo.clusters import Cluster, Clustering, SinglePoint
from geo.feature_store import features_page
from geo.snapshot import MapSnapshot
from geo.snapshot_rows import feature_head

_JSON_BOOL = (b"false", b"true")


def convert_out(lons: NDArray[np.float64], lats: NDArray[np.float64], coord: str) -> tuple[list[float], list[float]]:
    """WGS-84 arrays to ``coord``, as plain Python floats (for exact shortest-repr output)."""
    if coord != "wgs84":
        lons, lats = coords.convert_array(lons, lats, src="wgs84", dst=coord)
    return lons.tolist(), lats.tolist()


def _point(lon: float, lat: float) -> bytes:
    return b'"geometry":{"type":"Point","coordinates":[%r,%r]}' % (lon, lat)


def poi_collection(snap: MapSnapshot, positions: NDArray[np.int64], *, coord: str, opens: NDArray[np.bool_],
                   members: dict[str, object], distances_m: NDArray[np.float64] | None = None) -> bytes:
    """A FeatureCollection of the POIs at ``positions``, with open_now (from ``opens``, one flag per
    POI), distance_m (whole metres) when ``distances_m`` is given, and foreign ``members``.

    In WGS-84 and GCJ-02 the page is joined from the snapshot's pre-rendered parts; other systems
    convert the page's points and format them here.
    """
    prefix = _collection_head(coord, members) + b',"features":['
    heads = snap.heads.get(coord)
    if heads is not None:
        return features_page(heads, snap.bodies, positions, opens, prefix=prefix, suffix=b"]}",
                             distances_m=distances_m)
    return prefix + b",".join(poi_features(snap, positions, coord=coord, opens=opens,
                                           distances_m=distances_m)) + b"]}"


def poi_features(snap: MapSnapshot, positions: NDArray[np.int64], *, coord: str, opens: NDArray[np.bool_],
                 distances_m: NDArray[np.float64] | None = None, extra: bytes = b"") -> list[bytes]:
    """One rendered Feature per position (the same bytes as :func:`poi_collection`'s), then ``extra``."""
    picked = positions.tolist()
    flags = opens[positions].tolist()
    metres = distances_m.tolist() if distances_m is not None else None
    heads = snap.heads.get(coord)
    if heads is not None:
        head_list = heads.pick(positions)
    else:
        lons, lats = convert_out(snap.lons[positions], snap.lats[positions], coord)
        head_list = [feature_head(i, x, y) for i, x, y in zip(snap.ids[positions].tolist(), lons, lats)]
    bodies = snap.bodies
    tails = [b',"open_now":%s' % _JSON_BOOL[flag] for flag in flags]
    if metres is not None:
        tails = [b'%s,"distance_m":%d' % (tail, round(m)) for tail, m in zip(tails, metres)]
    return [b"%s%s%s%s}}" % (head, bodies[p], tail, extra) for head, p, tail in zip(head_list, picked, tails)]


def collection(features: Sequence[bytes] | bytes | memoryview, *, coord: str, members: dict[str, object]) -> bytes:
    """A FeatureCollection around rendered features (a list, or already joined by commas), with
    foreign members (coord, total, ...)."""
    joined = b",".join(features) if isinstance(features, list) else features
    return b"".join((_collection_head(coord, members), b',"features":[', joined, b"]}"))


def _collection_head(coord: str, members: dict[str, object]) -> bytes:
    """``{"type":"FeatureCollection",...members`` without its closing brace."""
    return orjson.dumps({"type": "FeatureCollection", "coord": coord, **members})[:-1]


def clusters(snap: MapSnapshot, result: Clustering, *, coord: str, opens: NDArray[np.bool_]) -> list[bytes]:
    """Cluster features (``cluster: true``, point_count, expansion_zoom) and single POI features."""
    singles = np.array([item.position for item in result.items if isinstance(item, SinglePoint)], dtype=np.int64)
    rendered = iter(poi_features(snap, singles, coord=coord, opens=opens, extra=b',"cluster":false'))
    groups = [item for item in result.items if isinstance(item, Cluster)]
    g_lons, g_lats = convert_out(np.array([g.lon for g in groups]), np.array([g.lat for g in groups]), coord)
    group_iter = iter(zip(groups, g_lons, g_lats))
    out = []
    for item in result.items:
        if isinstance(item, SinglePoint):
            out.append(next(rendered))
            continue
        group, lon, lat = next(group_iter)
        props = orjson.dumps({"cluster": True, "point_count": group.point_count,
                              "expansion_zoom": group.expansion_zoom, "co_located": group.co_located})
        out.append(b'{"type":"Feature",%s,"properties":%s}' % (_point(lon, lat), props))
    return out


def geometry_out(geometry: dict[str, object], coord: str) -> dict[str, object]:
    """A GeoJSON geometry mapping with its coordinates converted to ``coord``."""
    if coord == "wgs84":
        return geometry
    return {"type": geometry["type"], "coordinates": _convert_nested(geometry["coordinates"], coord)}


def _convert_nested(value: object, coord: str) -> object:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except ValueError:  # rings of different lengths: convert part by part
        return [_convert_nested(part, coord) for part in value]  # type: ignore[union-attr]
    if arr.size == 0:
        return []
    flat = arr.reshape(-1, 2)
    lons, lats = coords.convert_array(flat[:, 0], flat[:, 1], src="wgs84", dst=coord)
    return np.column_stack((lons, lats)).reshape(arr.shape).tolist()
