"""Names of the things a document links to in other domains: service items and map POIs.

Documents store plain ids, checked when an editor links them and looked up by name when
a document is read, through the other domain's service module. An item that disappears
later is simply left out; when a domain is not installed, ids are kept and shown bare.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from appointments import service as appointments_service
from geo import service as geo_service
from server import config, stamps

log = logging.getLogger("bianmin.bulletin.related")
# database URL -> (the halls stamp when fetched, items by id); tests use two databases in one process
_service_names: dict[str, tuple[int, dict[int, dict[str, Any]]]] = {}


async def _all_service_items() -> dict[int, dict[str, Any]] | None:
    """Every active service item by id, via appointments' public service module (cached until a
    hall or service item changes, in any process)."""
    key = config.current().database_url
    version = await stamps.current(appointments_service.HALLS_STAMP)
    cached = _service_names.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        items: dict[int, dict[str, Any]] = {}
        for hall in await appointments_service.list_halls():
            for item in await appointments_service.list_services(hall["id"]):
                items[item["id"]] = {"id": item["id"], "name": item["name"], "hall_id": hall["id"],
                                     "hall_name": hall["name"]}
    except Exception as exc:  # noqa: BLE001 - another domain being absent or broken must not break reading
        log.warning("service items unavailable: %s", exc)
        return None
    _service_names[key] = (version, items)
    return items


def forget_cache() -> None:
    """Drop cached names (before checking ids an editor links)."""
    _service_names.clear()


async def service_items(ids: Sequence[int]) -> list[dict[str, Any]]:
    """[{id, name, hall_id, hall_name}] for the ids that still exist; bare ids when unknown."""
    if not ids:
        return []
    items = await _all_service_items()
    if items is None:
        return [{"id": i, "name": None, "hall_id": None, "hall_name": None} for i in ids]
    return [items[i] for i in ids if i in items]


async def all_service_items() -> list[dict[str, Any]]:
    """Every service item the appointments domain offers (for the demo's links)."""
    return list((await _all_service_items() or {}).values())


async def pois(ids: Sequence[int]) -> list[dict[str, Any]]:
    """[{id, name}] for the map POIs that still exist, via geo's service."""
    found = []
    for poi_id in ids:
        poi = await geo_service.get_poi(poi_id)
        if poi is not None:
            found.append({"id": poi_id, "name": poi.get("name")})
    return found


async def unknown_ids(*, services: Sequence[int] = (), poi_ids: Sequence[int] = ()) -> dict[str, list[int]]:
    """Ids the other domains do not know (empty lists when they cannot say)."""
    missing: dict[str, list[int]] = {}
    items = await _all_service_items() if services else None
    if items is not None:
        missing["services"] = [i for i in services if i not in items]
    if poi_ids:
        known = {p["id"] for p in await pois(poi_ids)}
        missing["pois"] = [i for i in poi_ids if i not in known]
    return {k: v for k, v in missing.items() if v}
