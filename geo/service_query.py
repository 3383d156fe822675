"""Read use cases of the map, answered from this worker's in-memory snapshot (see geo/snapshot_cache.py)."""

from __future__ import annotations

import numpy as np

from geo import coords, cursor, render, repository, snapshot_cache
from geo.categories import DEFAULT_TREE, CategoryNode, nearest_scope
from geo.cursor import Cursor
from geo.errors import PoiNotFound
from geo.grid import PreparedMask
from geo.present import poi_feature
from geo.schemas import STATUS_DEFAULT, Bbox, ClusterQuery, PoiListQuery
from geo.snapshot import MapSnapshot
from server import clock, config
from server.schemas import Versioned

LOCATE_RADII_M = (1_000.0, 5_000.0, 20_000.0, 100_000.0)


def bbox_to_wgs84(bbox: Bbox, coord: str) -> Bbox:
    """A bbox given in ``coord`` as the WGS-84 envelope of its four converted corners."""
    if coord == "wgs84":
        return bbox
    west, south, east, north = bbox
    lons, lats = coords.convert_array([west, east, east, west], [south, south, north, north], src=coord, dst="wgs84")
    return (float(lons.min()), float(lats.min()), float(lons.max()), float(lats.max()))


async def list_pois(query: PoiListQuery) -> Versioned:
    """POIs near a point (by distance), in a bbox or anywhere (by id), filtered, one page."""
    snap = await snapshot_cache.current()
    tz = config.current().tz
    opens = snap.open_state(clock.timestamp(), tz=tz)
    statuses, open_at = query.status or STATUS_DEFAULT, clock.now() if query.open_now else None
    if query.is_nearby:
        mask = snap.nearby_filter(categories=query.category, statuses=statuses, q=query.q, open_at=open_at, tz=tz)
        body = _nearby_page(snap, query, mask, opens.mask)
    else:
        mask = snap.filter_mask(categories=query.category, statuses=statuses, q=query.q, open_at=open_at, tz=tz)
        positions, total, has_more = _by_id(snap, query, mask)
        last = Cursor("ids", last_id=int(snap.ids[positions[-1]]), scope=query.cursor_scope) if has_more else None
        next_cursor = cursor.encode(last) if last else None
        body = render.poi_collection(snap, positions, coord=query.coord, opens=opens.mask,
                                     members={"total": total, "next_cursor": next_cursor})
    return Versioned(body, opens.version, raw=True)


def _nearby_page(snap: MapSnapshot, query: PoiListQuery, mask: PreparedMask | None, opens: np.ndarray) -> bytes:
    """The collection of one page by distance, with the total in the radius and the next cursor."""
    after = query.after
    after_key = (after.distance_m or 0.0, after.last_id) if after else None
    heads = snap.heads.get(query.coord)
    if heads is not None:  # WGS-84 and GCJ-02: joined from pre-rendered parts
        lon, lat = query.point
        found = snap.grid.nearby_rendered(lon, lat, query.radius, parts=(heads, snap.bodies), opens=opens,
                                             src=coords.system_code(query.coord), mask=mask, limit=query.limit,
                                             after=after_key)
        features: bytes | memoryview | list[bytes] = memoryview(found.features)
    else:
        lon, lat = coords.convert(query.point, query.coord, "wgs84")
        found = snap.grid.nearby(lon, lat, query.radius, mask=mask, limit=query.limit, after=after_key)
        features = render.poi_features(snap, found.positions, coord=query.coord, opens=opens,
                                       distances_m=found.distances_m)
    next_cursor = None
    if found.has_more:
        # The exact float distance, not the rounded one shown: the next page starts right after it.
        next_cursor = cursor.encode(Cursor("nearby", last_id=found.last_id, distance_m=found.last_m,
                                           scope=query.cursor_scope))
    return render.collection(features, coord=query.coord, members={"total": found.total, "next_cursor": next_cursor})


def _by_id(snap: MapSnapshot, query: PoiListQuery, mask: np.ndarray | None) -> tuple[np.ndarray, int, bool]:
    """Positions of one page in id order: in the bbox, or anywhere when there is no bbox."""
    after = query.after
    after_id = after.last_id if after else None
    bbox = query.bbox_value
    if bbox is not None:
        page = snap.grid.within_bbox(*bbox_to_wgs84(bbox, query.coord), mask=mask, limit=query.limit,
                                        after=after_id)
        return page.positions, page.total, page.has_more
    # Positions follow ids, so the whole data set in id order is just the mask's true positions.
    found = np.flatnonzero(mask) if mask is not None else np.arange(len(snap))
    total = len(found)
    if after_id is not None:
        found = found[snap.ids[found] > after_id]
    return found[:query.limit], total, len(found) > query.limit


async def category_tree() -> list[CategoryNode]:
    """The category tree with POI counts (descendants included, closed POIs not counted)."""
    return (await snapshot_cache.current()).category_tree()


async def clusters(query: ClusterQuery) -> Versioned:
    """Clusters and single POIs of a viewport at a zoom; point counts add up to ``total``."""
    snap = await snapshot_cache.current()
    tz = config.current().tz
    mask = snap.filter_mask(categories=query.category, statuses=query.status or STATUS_DEFAULT, q=None,
                            open_at=None, tz=tz)
    result = snap.clusters.cluster(*bbox_to_wgs84(query.bbox_value, query.coord), zoom=query.zoom, mask=mask)
    opens = snap.open_state(clock.timestamp(), tz=tz)
    features = render.clusters(snap, result, coord=query.coord, opens=opens.mask)
    members = {"total": result.total, "zoom": query.zoom, "grouping_zoom": result.grouping_zoom}
    body = render.collection(features, coord=query.coord, members=members)
    return Versioned(body, opens.version, raw=True)


async def poi_detail(poi_id: int, *, coord: str) -> dict[str, object]:
    """One POI with every detail, whether it is open now, its next change and its divisions."""
    row = await repository.get_poi(poi_id)
    if row is None:
        raise PoiNotFound(details={"poi_id": poi_id})
    snap = await snapshot_cache.current()
    return poi_feature(row, coord=coord, at=clock.now(), tz=config.current().tz,
                       divisions=snap.divisions.containing(row.lon, row.lat))


async def locate(point: tuple[float, float], *, coord: str, categories: list[str] | None = None) -> dict[str, object]:
    """The divisions containing a point and the nearest open POI per category (top ones as residents mean them)."""
    lon, lat = coords.convert(point, coord, "wgs84")
    snap = await snapshot_cache.current()
    in_service = snap.status_mask(["open"])
    asked = categories or DEFAULT_TREE.roots()
    found = {code: _nearest(snap, lon, lat, mask=snap.category_mask(nearest_scope(code)) & in_service)
             for code in asked}
    names = await repository.names_of(int(snap.ids[hit[0]]) for hit in found.values() if hit)
    return {"coord": coord, "divisions": [d.summary() for d in snap.divisions.containing(lon, lat)],
            "nearest": {code: _nearest_view(snap, hit, names) if hit else None for code, hit in found.items()}}


def _nearest_view(snap: MapSnapshot, hit: tuple[int, float], names: dict[int, str]) -> dict[str, object]:
    position, metres = hit
    poi_id, category = int(snap.ids[position]), DEFAULT_TREE.at(int(snap.categories[position]))
    return {"id": poi_id, "name": names.get(poi_id, ""), "distance_m": round(metres), "category": category.code,
            "category_name": category.name}


def _nearest(snap: MapSnapshot, lon: float, lat: float, *, mask: np.ndarray) -> tuple[int, float] | None:
    """The position and distance of the nearest point of ``mask``, searched in growing radii."""
    for radius in LOCATE_RADII_M:
        page = snap.grid.nearby(lon, lat, radius, mask=mask, limit=1)
        if len(page.positions):
            return int(page.positions[0]), float(page.distances_m[0])
    return None
