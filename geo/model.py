"""Domain objects of the service map and the rules they must obey (no I/O).

A :class:`Poi` is a service point (服务点: a kindergarten, a community health centre, a service
hall...). A :class:`Division` is an administrative area: district (区), street (街道) or
community (社区). Coordinates are WGS-84 ``(lon, lat)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from shapely.geometry import MultiPolygon, Polygon

from geo.hours import OpeningHours

PoiStatus = Literal["open", "temporarily_closed", "closed"]
DivisionLevel = Literal["district", "street", "community"]

POI_STATUSES: tuple[PoiStatus, ...] = ("open", "temporarily_closed", "closed")
DIVISION_LEVELS: tuple[DivisionLevel, ...] = ("district", "street", "community")

# Import accepts only points inside China's bounding box (west, south, east, north); anything
# else is almost always swapped lat/lon or a zero coordinate.
CHINA_BOUNDS = (73.0, 3.8, 135.1, 53.6)


class PoiRuleError(ValueError):
    """A POI or division that breaks a domain rule; ``field`` names the culprit."""

    def __init__(self, field_name: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{field_name}: {reason_zh} / {reason_en}")
        self.field = field_name
        self.reason_zh = reason_zh
        self.reason_en = reason_en


def within_china_bounds(lon: float, lat: float) -> bool:
    """Whether a WGS-84 point lies inside China's bounding box (lon 73..135.1, lat 3.8..53.6)."""
    west, south, east, north = CHINA_BOUNDS
    return west <= lon <= east and south <= lat <= north


def check_location(lon: float, lat: float) -> None:
    """Raise :class:`PoiRuleError` unless ``(lon, lat)`` is finite and inside China's bounds."""
    if not (isinstance(lon, (int, float)) and isinstance(lat, (int, float))):
        raise PoiRuleError("geometry", "坐标须为数字", "coordinates must be numbers")
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise PoiRuleError("geometry", "坐标无效", "coordinates must be finite")
    if not within_china_bounds(lon, lat):
        raise PoiRuleError(
            "geometry",
            "坐标不在中国范围内（经度、纬度是否写反？）",
            "point is outside China's bounds (lon/lat swapped?)",
        )


def status_code(status: str) -> int:
    """Small integer for a status (its index in POI_STATUSES), for numpy masks."""
    try:
        return POI_STATUSES.index(status)  # type: ignore[arg-type]
    except ValueError:
        raise PoiRuleError(
            "status",
            "状态须为 open、temporarily_closed 或 closed",
            "status must be open, temporarily_closed or closed",
        ) from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Poi:
    """A service point. ``opening_hours`` is None when the hours are unknown."""

    id: int | None
    name: str
    category: str
    lon: float
    lat: float
    address: str = ""
    phone: str = ""
    opening_hours: OpeningHours | None = None
    status: PoiStatus = "open"
    accessibility: dict[str, bool] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    source_id: str | None = None
    hall_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise PoiRuleError("name", "名称不能为空", "name is required")
        check_location(self.lon, self.lat)
        status_code(self.status)
        for stamp in (self.created_at, self.updated_at):
            if stamp is not None and stamp.utcoffset() is None:
                raise PoiRuleError(
                    "timestamps", "时间须带时区", "timestamps must be timezone-aware"
                )

    @property
    def point(self) -> tuple[float, float]:
        """The location as ``(lon, lat)``."""
        return (self.lon, self.lat)

    @property
    def bookable(self) -> bool:
        """Whether residents can book an appointment here (it is a service hall)."""
        return self.hall_id is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Division:
    """An administrative area; ``parent_code`` is None only for a district."""

    code: str
    name: str
    level: DivisionLevel
    parent_code: str | None
    geometry: Polygon | MultiPolygon

    def __post_init__(self) -> None:
        if self.level not in DIVISION_LEVELS:
            raise PoiRuleError(
                "level",
                "级别须为 district、street 或 community",
                "level must be district, street or community",
            )
        if self.level != "district" and not self.parent_code:
            raise PoiRuleError(
                "parent_code", "街道和社区须有上级", "street and community need a parent"
            )
        if not isinstance(self.geometry, (Polygon, MultiPolygon)) or self.geometry.is_empty:
            raise PoiRuleError("geometry", "边界须为面", "geometry must be a (Multi)Polygon")

    @property
    def rank(self) -> int:
        """0 for district, 1 for street, 2 for community: sorts divisions from large to small."""
        return DIVISION_LEVELS.index(self.level)
