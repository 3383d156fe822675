"""Import of administrative divisions (district, street, community outlines) from GeoJSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

from geo import repository, snapshot_cache
from geo.importer import ImportReport
from geo.model import Division, PoiRuleError
from geo.tables import Division as DivisionRow
from server import storage

_COMPARED = ("name", "level", "parent_code", "geometry")


def polygonal(raw: Any) -> Polygon | MultiPolygon:
    """A valid (Multi)Polygon from a GeoJSON geometry, rings wound as RFC 7946 asks."""
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise PoiRuleError("geometry", "边界须为 Polygon 或 MultiPolygon", "geometry must be a Polygon or MultiPolygon")
    try:
        geom = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        raise PoiRuleError("geometry", "边界坐标无效", "invalid coordinates") from None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [orient(p, sign=1.0) for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    if not parts:
        raise PoiRuleError("geometry", "边界没有面积", "geometry has no area")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def check_division(raw: Any) -> dict[str, Any]:
    """Column values of one division feature; raises PoiRuleError naming the bad member."""
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise PoiRuleError("feature", "须为 GeoJSON Feature", "must be a GeoJSON Feature")
    props = raw.get("properties") or {}
    code, name = str(props.get("code") or "").strip(), str(props.get("name") or "").strip()
    if not code or len(code) > 32:
        raise PoiRuleError("properties.code", "缺少 code（不超过 32 个字符）", "code is required (at most 32 characters)")
    if not name or len(name) > 64:
        raise PoiRuleError("properties.name", "缺少 name（不超过 64 个字符）", "name is required (at most 64 characters)")
    geometry = polygonal(raw.get("geometry"))
    parent = props.get("parent_code") or None
    division = Division(code=code, name=name, level=props.get("level"), parent_code=parent, geometry=geometry)
    west, south, east, north = geometry.bounds
    return {"code": division.code, "name": division.name, "level": division.level,
            "parent_code": division.parent_code, "geometry": orjson.dumps(mapping(geometry)).decode(),
            "min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north}


async def import_divisions(features: Sequence[Any]) -> ImportReport:
    """Create or overwrite divisions by code; bad features are rejected one by one."""
    report = ImportReport()
    good: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(features):
        try:
            values = check_division(raw)
        except PoiRuleError as exc:
            report.rejected.append({"index": i, "field": exc.field, "reason": f"{exc.field}: {exc.reason_zh}"})
            continue
        good[values["code"]] = values
    async with storage.transaction() as conn:
        existing = await repository.divisions_by_code(list(good), using_db=conn)
        for code, values in good.items():
            row = existing.get(code)
            if row is not None and not _differs(row, values):
                report.unchanged += 1
                continue
            await repository.save_division(values, row, using_db=conn)
            if row is None:
                report.created += 1
            else:
                report.updated += 1
    if report.created or report.updated:
        await snapshot_cache.bump_version()
    return report


def _differs(row: DivisionRow, values: dict[str, Any]) -> bool:
    return any(getattr(row, name) != values[name] for name in _COMPARED)


OUTLINE_TOLERANCE_DEG = 0.00005  # about 5 m: outlines drawn on a screen need no survey precision


async def outlines() -> dict[str, Any]:
    """Every division's outline as a WGS-84 FeatureCollection (districts first) with the ``bbox`` of the
    map's data (the divisions, else the POIs; absent when there is neither): what the console's map draws."""
    snap = await snapshot_cache.current()
    shapes = snap.divisions.listed()
    features = [{"type": "Feature", "id": shape.code, "properties": shape.summary(),
                 "geometry": mapping(shape.geometry.simplify(OUTLINE_TOLERANCE_DEG, preserve_topology=True))}
                for shape in shapes]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if shapes:
        collection["bbox"] = list(shapely.total_bounds([shape.geometry for shape in shapes]))
    elif len(snap.lons):
        collection["bbox"] = [float(snap.lons.min()), float(snap.lats.min()), float(snap.lons.max()),
                              float(snap.lats.max())]
    return collection
