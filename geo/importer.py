"""Import of service points from a GeoJSON FeatureCollection (API, ``bianmin import-pois``, demo).

Each feature is checked on its own with the same model as a single POST; a bad one is rejected
with its 0-based index and the reason, and the good ones land. Features are matched by
``source_id`` (updated when something differs, otherwise left alone), so importing the same
file twice changes nothing. A feature without ``source_id`` gets one derived from its name,
category and location, which keeps re-imports of such files idempotent too.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from tortoise.exceptions import IntegrityError

from geo import coords, repository, snapshot_cache, textmatch
from geo.schemas_edit import PoiFeature, PoiProperties
from geo.tables import Poi
from server import storage

CHUNK = 1000
_COMPARED = ("name", "category", "address", "phone", "lon", "lat", "opening_hours", "status",
             "accessibility", "tags")


@dataclass
class ImportReport:
    """What an import did; ``rejected`` holds ``{index, reason, field}`` per refused feature and
    ``outcomes`` the result of each feature that landed (``created``, ``updated`` or ``unchanged``) by index."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    changed_ids: set[int] = field(default_factory=set)  # created or updated: what the map index re-reads
    outcomes: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The API's answer."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": sorted(self.rejected, key=lambda r: r["index"])}


def columns(props: PoiProperties, point: tuple[float, float]) -> dict[str, Any]:
    """Table columns of a validated feature at a WGS-84 point."""
    return {
        "name": props.name, "category": props.category, "address": props.address, "phone": props.phone,
        "lon": point[0], "lat": point[1], "opening_hours": props.opening_hours, "status": props.status,
        "accessibility": props.accessibility, "tags": props.tags, "source_id": props.source_id,
        "search_key": textmatch.search_key(props.name, props.address),
    }


def derived_source_id(values: dict[str, Any]) -> str:
    """A stable source id for a feature that has none: name, category and location."""
    text = f"{values['name']}\x1f{values['category']}\x1f{values['lon']:.7f}\x1f{values['lat']:.7f}"
    return "auto:" + hashlib.sha1(text.encode()).hexdigest()[:20]


def rejection_reason(exc: ValidationError, raw: Any) -> tuple[str, str]:
    """(field, reason) for the first problem of a feature, in words an editor understands."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"]) or "feature"
    kind, ctx = err["type"], err.get("ctx") or {}
    message = _MESSAGES.get(kind, err["msg"].removeprefix("Value error, ")).format(where=where, **ctx)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{where} 不能为空（null）" if err.get("input") is None else f"{where} 须为对象"
    if where == "geometry.type" and isinstance(raw, dict) and isinstance(raw.get("geometry"), dict):
        message = f"几何须为 Point（收到 {raw['geometry'].get('type')!r}）"
    return where, f"{where}: {message}"


_MESSAGES = {
    "missing": "缺少 {where}",
    "literal_error": "{where} 须为 {expected}",
    "string_too_short": "不能少于 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_type": "须为字符串",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "bool_type": "须为 true 或 false",
    "list_type": "须为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "至多 {max_length} 项",
    "extra_forbidden": "未知字段 {where}",
    "string_pattern_mismatch": "不能含空白字符",
}


def check_feature(raw: Any, *, coord: str) -> dict[str, Any]:
    """Column values of one feature (source id filled in); raises ValidationError."""
    feature = PoiFeature.model_validate(raw)
    values = columns(feature.properties, coords.convert(feature.geometry.point, coord, "wgs84"))
    if values["source_id"] is None:
        values["source_id"] = derived_source_id(values)
    return values


async def import_features(features: Sequence[Any], *, coord: str = "wgs84",
                          progress: Callable[[int], object] | None = None,
                          report: ImportReport | None = None) -> ImportReport:
    """Create or update POIs from GeoJSON features; rejects bad ones individually.

    ``progress(n)`` is told after each chunk how many features it settled (it may be async: the
    console's import job writes its counts then); ``report`` is filled as the import goes."""
    report = report if report is not None else ImportReport()
    good: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(features):
        if i and i % CHUNK == 0:
            await asyncio.sleep(0)  # a big file must not hold up this worker's other requests
        try:
            values = check_feature(raw, coord=coord)
        except ValidationError as exc:
            where, reason = rejection_reason(exc, raw)
            report.rejected.append({"index": i, "field": where, "reason": reason})
            continue
        first = seen.setdefault(values["source_id"], i)
        if first != i:
            report.rejected.append({"index": i, "field": "properties.source_id",
                                    "reason": f"properties.source_id: 与第 {first} 个要素重复"})
            continue
        good.append((i, values))
    for start in range(0, len(good), CHUNK):
        await _save_chunk(good[start:start + CHUNK], report)
        await _tell(progress, len(good[start:start + CHUNK]))
    if report.rejected:
        await _tell(progress, len(report.rejected))
    if report.created or report.updated:
        await snapshot_cache.bump_version(report.changed_ids)  # past snapshot_cache.MAX_DELTA workers read everything
    return report


async def _tell(progress: Callable[[int], object] | None, settled: int) -> None:
    if progress is not None:
        told = progress(settled)
        if inspect.isawaitable(told):
            await told


async def _save_chunk(chunk: list[tuple[int, dict[str, Any]]], report: ImportReport) -> None:
    for attempt in range(3):
        try:
            outcomes, changed_ids = await _write_chunk([values for _, values in chunk])
        except IntegrityError:
            # Another import created one of these source ids meanwhile: read again and retry.
            if attempt == 2:
                raise
            continue
        for (index, _), outcome in zip(chunk, outcomes):
            report.outcomes[index] = outcome
        report.created += outcomes.count("created")
        report.updated += outcomes.count("updated")
        report.unchanged += outcomes.count("unchanged")
        report.changed_ids.update(changed_ids)
        return


async def _write_chunk(chunk: list[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """The outcome of each feature (created, updated, unchanged) and the ids of the created and updated
    POIs, in one transaction."""
    async with storage.transaction() as conn:
        existing = await repository.by_source_ids([v["source_id"] for v in chunk], using_db=conn)
        fresh, updated, outcomes = [], [], []
        for values in chunk:
            row = existing.get(values["source_id"])
            changed = _changes(row, values) if row is not None else None
            if row is None:
                fresh.append(values)
                outcomes.append("created")
            elif changed:
                await repository.update_poi(row.id, changed, using_db=conn)
                updated.append(row.id)
                outcomes.append("updated")
            else:
                outcomes.append("unchanged")
        created: list[int] = []
        if fresh:
            await repository.insert_pois(fresh, using_db=conn)
            created = await repository.ids_of_sources([v["source_id"] for v in fresh], using_db=conn)
    return outcomes, created + updated


def _changes(row: Poi, values: dict[str, Any]) -> dict[str, Any]:
    changed = {name: values[name] for name in _COMPARED if getattr(row, name) != values[name]}
    if changed and row.search_key != values["search_key"]:
        changed["search_key"] = values["search_key"]
    return changed
