"""The service map's entry points for the rest of the system.

Other domains call :func:`get_poi`, :func:`find_pois` and :func:`link_hall` (appointments links
its halls to their POIs), :func:`list_divisions`, :func:`division_names` (feeds offers and names
places) and :func:`divisions_at` (letters find the divisions of their place). The registry
calls :func:`load_reference` (the category tree) and :func:`startup` (starts building this
worker's map snapshot).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import numpy as np
import orjson

from geo import render, repository, snapshot_cache
from geo.categories import DEFAULT_TREE, SEED_CATEGORIES
from geo.errors import DivisionNotFound, PoiNotFound
from geo.present import poi_dict, poi_properties
from geo.schemas import STATUS_DEFAULT
from server import stamps

EXPORT_PAGE = 1000


async def load_reference() -> None:
    """Reference data: the category tree of geo/categories.py (idempotent)."""
    await repository.sync_categories(SEED_CATEGORIES)


async def startup() -> None:
    """Follow the map's change stamp."""
    stamps.on_change(snapshot_cache.STAMP, snapshot_cache.holder().follow)


async def started() -> None:
    """The worker serves: start building its map snapshot (map reads answer 503 ``map_warming`` until
    it is built). Not at start-up: at a million POIs the build would hold the CPU while Sanic waits
    30 s for the worker to say it is ready, and with two workers on two cores neither made it."""
    snapshot_cache.holder().start()


async def get_poi(poi_id: int) -> dict[str, Any] | None:
    """A POI as a plain dict (WGS-84 ``lon``/``lat``, every property), or None."""
    row = await repository.get_poi(poi_id)
    return poi_dict(row) if row is not None else None


async def find_pois(name: str | None = None, category: str | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
    """POIs whose name contains ``name`` (exact matches first) in ``category`` or below it."""
    categories = DEFAULT_TREE.descendants(category) if category else None
    rows = await repository.find_pois(name=name, categories=categories, limit=limit)
    return [poi_dict(row) for row in rows]


async def link_hall(poi_id: int, hall_id: int | None) -> None:
    """Mark a POI as the bookable hall ``hall_id`` (None unlinks); every worker sees it within a second."""
    if await repository.update_poi(poi_id, {"hall_id": hall_id}) == 0:
        raise PoiNotFound(details={"poi_id": poi_id})
    await snapshot_cache.bump_version([poi_id])


async def export_geojson(*, coord: str) -> AsyncIterator[bytes]:
    """Every POI in service as one FeatureCollection, in chunks of a page (memory stays flat)."""
    yield b'{"type":"FeatureCollection","coord":"%s","features":[' % coord.encode()
    after, first = 0, True
    while True:
        rows = await repository.export_page(after_id=after, limit=EXPORT_PAGE, statuses=STATUS_DEFAULT)
        if not rows:
            break
        lons, lats = render.convert_out(np.array([r.lon for r in rows]), np.array([r.lat for r in rows]), coord)
        features = [
            b'{"type":"Feature","id":%d,"properties":%s,"geometry":{"type":"Point","coordinates":[%r,%r]}}'
            % (row.id, orjson.dumps(poi_properties(row)), lon, lat)
            for row, lon, lat in zip(rows, lons, lats)
        ]
        yield (b"" if first else b",") + b",".join(features)
        first, after = False, rows[-1].id
    yield b"]}"


async def data_version() -> str:
    """This worker's view of the data version (for ETags of streamed answers)."""
    snap = await snapshot_cache.current()
    return f"{snap.version or 0}-{snap.fingerprint}"


async def list_divisions(*, level: str | None = None, parent: str | None = None) -> list[dict[str, Any]]:
    """The map's divisions ``{code, name, level, parent_code, children}``: all, one level's, one parent's
    children (a tree a picker walks down), or one level's below a parent; 404 division_not_found for an
    unknown parent."""
    divisions = (await snapshot_cache.current()).divisions
    found = divisions.get(parent) if parent is not None else None
    if parent is not None and found is None:
        raise DivisionNotFound(details={"division": parent})
    return [{**shape.summary(), "parent_code": shape.parent_code, "children": divisions.children(shape.code)}
            for shape in divisions.listed(level=level, parent=found.code if found else None)]


async def division_names(codes: Iterable[str]) -> dict[str, str]:
    """Names of the map's divisions by code, for the codes it knows (short or 12-digit padded form)."""
    divisions = (await snapshot_cache.current()).divisions
    found = {}
    for code in codes:
        shape = divisions.get(code)
        if shape is not None:
            found[code] = shape.name
    return found



async def divisions_at(point: tuple[float, float]) -> list[dict[str, str]]:
    """The map's divisions ``{code, name, level}`` covering a WGS-84 point, smallest first."""
    return [shape.summary() for shape in (await snapshot_cache.current()).divisions.containing(*point)]
