"""Coverage (生活圈覆盖率): how much of a division lies within a walk of an open service point."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
from shapely.geometry import mapping

from geo import coverage as coverage_rules
from geo import render, snapshot_cache
from geo.errors import DivisionNotFound
from geo.schemas import CoverageQuery


async def division_coverage(query: CoverageQuery) -> dict[str, Any]:
    """Share of the division within ``radius_m`` of an open POI of the category, and the uncovered part."""
    snap = await snapshot_cache.current()
    division = snap.divisions.get(query.division)
    if division is None:
        raise DivisionNotFound(details={"division": query.division})
    key = ("coverage", query.category, query.radius_m, query.division)
    result = snap.memo.get(key)
    if result is None:
        mask = snap.category_mask([query.category]) & snap.status_mask(["open"])
        points = np.column_stack((snap.lons[mask], snap.lats[mask]))
        # Buffers and unions over thousands of circles take a while: keep them off the event loop.
        result = await asyncio.to_thread(coverage_rules.coverage, division.geometry, points, radius_m=query.radius_m)
        snap.remember(key, result)
    uncovered = mapping(result.uncovered) if not result.uncovered.is_empty else {"type": "MultiPolygon",
                                                                                "coordinates": []}
    return {
        "category": query.category,
        "radius_m": query.radius_m,
        "division": query.division,
        "division_name": division.name,
        "coord": query.coord,
        "coverage_ratio": round(result.ratio, 6),
        "uncovered": render.geometry_out(uncovered, query.coord),
    }
