"""GeoJSON answers rendered straight to bytes from a snapshot's pre-rendered feature fragments.

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
from geo.snapshot import MapSnapshot

_JSON_BOOL = (b"false", b"true")


def convert_out(lons: NDArray[np.float64], lats: NDArray[np.float64], coord: str) -> tuple[list[float], list[float]]:
    """WGS-84 arrays to ``coord``, as plain Python floats (for exact shortest-repr output)."""
    if coord != "wgs84":
        lons, lats = coords.convert_array(lons, lats, src="wgs84", dst=coord)
    return lons.tolist(), lats.tolist()


def _point(lon: float, lat: float) -> bytes:
    return b'"geometry":{"type":"Point","coordinates":[%r,%r]}' % (lon, lat)


def poi_features(snap: MapSnapshot, positions: NDArray[np.int64], *, coord: str, opens: bytes,
                 distances_m: NDArray[np.float64] | None = None, extra: bytes = b"") -> list[bytes]:
    """One Feature per position: its fragment, then open_now, distance_m (whole metres) and ``extra``.

    ``opens`` holds one byte per POI (1: open now). One bytes format per feature, over plain
    lists: at a page of 20, numpy calls per column cost more than the formatting.
    """
    fragments, picked = snap.fragments, positions.tolist()
    metres = distances_m.tolist() if distances_m is not None else None
    if coord == "wgs84":
        if metres is None:
            return [b'%s,"open_now":%s%s}}' % (fragments[p], _JSON_BOOL[opens[p]], extra) for p in picked]
        return [b'%s,"open_now":%s,"distance_m":%d%s}}' % (fragments[p], _JSON_BOOL[opens[p]], round(m), extra)
                for p, m in zip(picked, metres)]
    if metres is None:
        tails = [b',"open_now":%s%s}}' % (_JSON_BOOL[opens[p]], extra) for p in picked]
    else:
        tails = [b',"open_now":%s,"distance_m":%d%s}}' % (_JSON_BOOL[opens[p]], round(m), extra)
                 for p, m in zip(picked, metres)]
    cuts = snap.props_at[positions].tolist()
    if coord == "gcj02":
        heads = snap.gcj02_heads
        return [b"%s%s%s" % (heads[p], fragments[p][cut:], tail) for p, cut, tail in zip(picked, cuts, tails)]
    lons, lats = convert_out(snap.lons[positions], snap.lats[positions], coord)
    ids = snap.ids[positions].tolist()
    return [b'{"type":"Feature","id":%d,%s,%s%s' % (i, _point(x, y), fragments[p][cut:], tail)
            for i, x, y, p, cut, tail in zip(ids, lons, lats, picked, cuts, tails)]


def collection(features: Sequence[bytes], *, coord: str, members: dict[str, object]) -> bytes:
    """A FeatureCollection around rendered features, with foreign members (coord, total, ...)."""
    head = orjson.dumps({"type": "FeatureCollection", "coord": coord, **members})
    return head[:-1] + b',"features":[' + b",".join(features) + b"]}"


def clusters(snap: MapSnapshot, result: Clustering, *, coord: str, opens: bytes) -> list[bytes]:
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
