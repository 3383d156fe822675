"""Shared helpers of the geo integration and API tests: features, offsets, an independent haversine."""

from __future__ import annotations

import math
from typing import Any

from geo import importer, repository
from geo.snapshot_cache import holder

R = 6371008.8  # the IUGG mean radius the API promises to use
ORIGIN = (114.1200, 22.5500)  # 东门, Luohu
OFFICE_HOURS = {"weekly": {d: [["09:00", "12:00"], ["14:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")},
                "exceptions": [{"date": "2026-10-01", "periods": []}]}


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle metres, written here independently of geo.coords and the spatial index."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(h))


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """The point ``metres`` due north (along a meridian the great-circle distance is exact)."""
    return (point[0], point[1] + math.degrees(metres / R))


def offset(point: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    """Roughly ``east_m``/``north_m`` away (for placing test data; expectations use haversine)."""
    lat = point[1] + math.degrees(north_m / R)
    return (point[0] + math.degrees(east_m / (R * math.cos(math.radians(point[1])))), lat)


def feature(name: str, point: tuple[float, float], category: str = "health.community", **props: Any) -> dict[str, Any]:
    """A POI as a GeoJSON Feature."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": {"name": name, "category": category, **props}}


async def add_pois(*features: dict[str, Any]) -> list[int]:
    """Create POIs through the importer; their ids, in the order given."""
    numbered = []
    for i, f in enumerate(features):
        props = dict(f["properties"])
        props.setdefault("source_id", f"test:{i}:{props['name']}")
        numbered.append({**f, "properties": props})
    report = await importer.import_features(numbered)
    assert not report.rejected, report.rejected
    found = await repository.by_source_ids([f["properties"]["source_id"] for f in numbered])
    return [found[f["properties"]["source_id"]].id for f in numbered]


def square(center: tuple[float, float], half_m: float) -> list[list[float]]:
    """A counter-clockwise closed ring of a square ``2 * half_m`` wide around ``center``."""
    west, south = offset(center, -half_m, -half_m)
    east, north = offset(center, half_m, half_m)
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def division(code: str, name: str, level: str, ring: list[list[float]], parent: str | None = None) -> dict[str, Any]:
    """A division as a GeoJSON Feature."""
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code": code, "name": name, "level": level, "parent_code": parent}}


def fresh_index() -> None:
    """Tests truncate the tables underneath the process's index: make its next read rebuild."""
    holder().mark_dirty()
