"""How a stored POI is shown: as a GeoJSON Feature (API, export) or a plain dict (other domains)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from geo import coords
from geo import hours as hours_rules
from geo.categories import DEFAULT_TREE
from geo.division_set import DivisionShape
from geo.tables import Poi


def poi_properties(row: Poi) -> dict[str, Any]:
    """Every stored detail of a POI except its location (for Features and the export)."""
    return {
        "name": row.name,
        "category": row.category,
        "category_name": DEFAULT_TREE.name(row.category),
        "address": row.address,
        "phone": row.phone,
        "opening_hours": row.opening_hours,
        "status": row.status,
        "accessibility": row.accessibility or {},
        "tags": row.tags or [],
        "source_id": row.source_id,
        "hall_id": row.hall_id,
        "bookable": row.hall_id is not None,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def open_state(row: Poi, *, at: datetime, tz: tzinfo) -> dict[str, Any]:
    """``open_now`` and the next opening or closing time (local time) while the POI is in service."""
    if row.status != "open" or row.opening_hours is None:
        return {"open_now": False, "next_change": None}
    parsed = hours_rules.parse_hours(row.opening_hours)
    change = hours_rules.next_change(parsed, at, tz=tz)
    return {
        "open_now": hours_rules.is_open(parsed, at, tz=tz),
        "next_change": {"at": change[0].isoformat(), "change": change[1]} if change else None,
    }


def point_geometry(lon: float, lat: float, coord: str) -> dict[str, Any]:
    """A GeoJSON Point in ``coord`` from a WGS-84 location."""
    x, y = coords.convert((lon, lat), "wgs84", coord)
    return {"type": "Point", "coordinates": [x, y]}


def poi_feature(row: Poi, *, coord: str, at: datetime, tz: tzinfo, divisions: list[DivisionShape]) -> dict[str, Any]:
    """The detail Feature: every property, open_now, next change, and the divisions it lies in."""
    properties = {**poi_properties(row), **open_state(row, at=at, tz=tz),
                  "divisions": [d.summary() for d in divisions]}
    return {"type": "Feature", "id": row.id, "coord": coord, "geometry": point_geometry(row.lon, row.lat, coord),
            "properties": properties}


def poi_dict(row: Poi) -> dict[str, Any]:
    """A POI for other domains (appointments links halls to POIs): WGS-84, no GeoJSON nesting."""
    return {"id": row.id, "lon": row.lon, "lat": row.lat, **poi_properties(row)}
