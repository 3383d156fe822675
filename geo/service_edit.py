"""Editing use cases (admin): create, change and close service points."""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from geo import coords, repository, snapshot_cache, textmatch
from geo.errors import PoiNotFound, SourceIdTaken
from geo.importer import columns
from geo.present import poi_feature
from geo.schemas_edit import PoiFeature, PoiPatch
from geo.tables import Poi
from server import audit, clock, config, storage

LOGGED = ("name", "category", "address", "phone", "lon", "lat", "opening_hours", "status", "source_id")


async def _feature(row: Poi, coord: str) -> dict[str, Any]:
    # The divisions come from whatever snapshot this worker has: a write should not wait for a rebuild.
    snap = snapshot_cache.holder().snapshot or await snapshot_cache.current()
    return poi_feature(row, coord=coord, at=clock.now(), tz=config.current().tz,
                       divisions=snap.divisions.containing(row.lon, row.lat))


async def _check_source_id(source_id: str | None, *, poi_id: int | None) -> None:
    if source_id is None:
        return
    owner = await repository.source_id_owner(source_id)
    if owner is not None and owner != poi_id:
        raise SourceIdTaken(details={"source_id": source_id, "poi_id": owner})


async def create_poi(feature: PoiFeature, *, coord: str) -> dict[str, Any]:
    """Add a service point from a GeoJSON Feature whose geometry is in ``coord``."""
    values = columns(feature.properties, coords.convert(feature.geometry.point, coord, "wgs84"))
    await _check_source_id(values["source_id"], poi_id=None)
    try:
        row = await repository.create_poi(values)
    except IntegrityError:
        raise SourceIdTaken(details={"source_id": values["source_id"]}) from None
    audit.changed(target=f"poi_id={row.id}", before=None, after={name: values[name] for name in LOGGED})
    await snapshot_cache.bump_version([row.id])
    return await _feature(row, coord)


async def update_poi(poi_id: int, patch: PoiPatch, *, coord: str) -> dict[str, Any]:
    """Change the properties (and location) the patch carries; the rest stays."""
    changes = patch.properties.changes()
    if patch.geometry is not None:
        changes["lon"], changes["lat"] = coords.convert(patch.geometry.point, coord, "wgs84")
    if "source_id" in changes:
        await _check_source_id(changes["source_id"], poi_id=poi_id)
    async with storage.transaction() as conn:
        row = await repository.get_poi(poi_id, using_db=conn, lock=True)
        if row is None:
            raise PoiNotFound(details={"poi_id": poi_id})
        values = {name: value for name, value in changes.items() if getattr(row, name) != value}
        if "name" in values or "address" in values:
            values["search_key"] = textmatch.search_key(values.get("name", row.name),
                                                        values.get("address", row.address))
        if values:
            try:
                await repository.update_poi(poi_id, values, using_db=conn)
            except IntegrityError:
                raise SourceIdTaken(details={"source_id": values.get("source_id")}) from None
        audit.changed(target=f"poi_id={poi_id}", before={name: getattr(row, name) for name in values if name in LOGGED},
                      after={name: value for name, value in values.items() if name in LOGGED})
    if values:
        await snapshot_cache.bump_version([poi_id])
    return await _feature(await _get(poi_id), coord)


async def close_poi(poi_id: int, *, coord: str) -> dict[str, Any]:
    """Mark a service point closed (it stays, so imports and halls keep their ids)."""
    before = await _get(poi_id)
    if await repository.update_poi(poi_id, {"status": "closed"}) == 0:
        raise PoiNotFound(details={"poi_id": poi_id})
    audit.changed(target=f"poi_id={poi_id}", before={"status": before.status}, after={"status": "closed"})
    await snapshot_cache.bump_version([poi_id])
    return await _feature(await _get(poi_id), coord)


async def _get(poi_id: int) -> Poi:
    row = await repository.get_poi(poi_id)
    if row is None:
        raise PoiNotFound(details={"poi_id": poi_id})
    return row
