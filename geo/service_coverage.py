"""Coverage (生活圈覆盖率): how much of a division lies within a walk of an open service point."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo import coverage as coverage_rules
from geo import render, snapshot_cache
from geo.errors import DivisionNotFound
from geo.schemas import CoverageQuery
from geo.snapshot import MapSnapshot

# One coverage computation at a time per worker, on its own thread: a flood of distinct questions queues
# here instead of taking every thread of the default pool (password checks, WeChat calls, images).
_compute_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coverage")
_pending: dict[tuple[Any, ...], asyncio.Future[coverage_rules.Coverage]] = {}


async def division_coverage(query: CoverageQuery) -> dict[str, Any]:
    """Share of the division within ``radius_m`` (in 250 m steps) of an open POI of the category, and the
    uncovered part; cached per (division, category, radius step) in this worker's snapshot, so for one
    data version each is computed once, however many ask at the same time."""
    snap = await snapshot_cache.current()
    division = snap.divisions.get(query.division)
    if division is None:
        raise DivisionNotFound(details={"division": query.division})
    radius_m = coverage_rules.radius_bucket(query.radius_m)
    key = ("coverage", query.category, radius_m, query.division)
    result = snap.memo.get(key)
    if result is None:
        result = await _computed_once(snap, key, division.geometry, query.category, radius_m)
    uncovered = mapping(result.uncovered) if not result.uncovered.is_empty else {"type": "MultiPolygon",
                                                                                "coordinates": []}
    return {
        "category": query.category,
        "radius_m": radius_m,
        "division": query.division,
        "division_name": division.name,
        "coord": query.coord,
        "coverage_ratio": round(result.ratio, 6),
        "uncovered": render.geometry_out(uncovered, query.coord),
    }


async def _computed_once(snap: MapSnapshot, key: tuple[Any, ...], geometry: BaseGeometry, category: str,
                         radius_m: int) -> coverage_rules.Coverage:
    """Compute one coverage answer and remember it in ``snap``; callers asking while it runs wait for it."""
    pending_key = (id(snap), *key)
    running = _pending.get(pending_key)
    if running is not None:
        return await asyncio.shield(running)
    mask = snap.category_mask([category]) & snap.status_mask(["open"])
    points = np.column_stack((snap.lons[mask], snap.lats[mask]))
    loop = asyncio.get_running_loop()
    running = loop.run_in_executor(_compute_thread, lambda: coverage_rules.coverage(geometry, points,
                                                                                      radius_m=radius_m))
    _pending[pending_key] = running
    try:
        result = await asyncio.shield(running)
    finally:
        _pending.pop(pending_key, None)
    snap.remember(key, result)
    return result
