"""Request bodies of the map's editing endpoints: GeoJSON Features of service points.

The same :class:`PoiFeature` checks a POST body and each feature of an import, so an import
rejects exactly what a single POST would refuse, with the same reasons.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geo import hours as hours_rules
from geo.categories import DEFAULT_TREE
from geo.model import CHINA_BOUNDS, PoiStatus, within_china_bounds
from server.schemas import Strict

# What our own GeoJSON answers add to a feature; a feature exported by us (or edited in QGIS after
# that) can be imported back without removing them first.
READ_ONLY_PROPERTIES = frozenset({
    "id", "category_name", "open_now", "next_change", "divisions", "bookable", "hall_id",
    "distance_m", "created_at", "updated_at", "cluster",
})
MAX_IMPORT_FEATURES = 100_000


class PointGeometry(Strict):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=3, description="[lon, lat] (altitude ignored)")

    @field_validator("coordinates")
    @classmethod
    def _finite(cls, value: list[float]) -> list[float]:
        if not all(math.isfinite(v) for v in value):
            raise ValueError("坐标须为有限数字")
        if not (-180 <= value[0] <= 180 and -90 <= value[1] <= 90):
            raise ValueError("坐标须为 [经度, 纬度]（lon -180..180, lat -90..90）")
        if not within_china_bounds(value[0], value[1]):
            west, south, east, north = CHINA_BOUNDS
            raise ValueError(f"坐标不在中国范围内（经度 {west}..{east}，纬度 {south}..{north}；经纬度是否写反？）")
        return value

    @property
    def point(self) -> tuple[float, float]:
        return (self.coordinates[0], self.coordinates[1])


def _check_category(value: str | None) -> str | None:
    if value is not None and value not in DEFAULT_TREE:
        raise ValueError(f"未知分类：{value}")
    return value


def _check_hours(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Validate the wire form and return it canonical (sorted periods, closed days omitted)."""
    if value is None:
        return None
    try:
        return hours_rules.hours_to_dict(hours_rules.parse_hours(value))
    except hours_rules.HoursError as exc:
        raise ValueError(f"opening_hours.{exc.path}: {exc.reason_zh}") from None


def _drop_read_only(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k not in READ_ONLY_PROPERTIES}
    return data


class PoiProperties(Strict):
    name: str = Field(min_length=1, max_length=128)
    category: str = Field(description="category code, e.g. health.community")
    address: str = Field("", max_length=256)
    phone: str = Field("", max_length=64)
    opening_hours: dict[str, Any] | None = Field(
        None, description='{"weekly": {"mon": [["09:00", "12:00"], ["14:00", "17:30"]]}, '
                          '"exceptions": [{"date": "2026-10-01", "periods": []}]}; null: unknown')
    status: PoiStatus = "open"
    accessibility: dict[str, bool] = Field(default_factory=dict, description='e.g. {"wheelchair": true}')
    tags: list[str] = Field(default_factory=list, max_length=20)
    source_id: str | None = Field(None, min_length=1, max_length=128, pattern=r"^\S+$")

    _read_only = model_validator(mode="before")(_drop_read_only)
    _category = field_validator("category")(_check_category)
    _hours = field_validator("opening_hours")(_check_hours)

    @field_validator("tags")
    @classmethod
    def _short_tags(cls, value: list[str]) -> list[str]:
        cleaned = [tag.strip() for tag in value if tag.strip()]
        if any(len(tag) > 32 for tag in cleaned):
            raise ValueError("标签不超过 32 个字符")
        return list(dict.fromkeys(cleaned))


class PoiFeature(Strict):
    """A service point as a GeoJSON Feature with Point geometry."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)  # GeoJSON foreign members

    type: Literal["Feature"]
    geometry: PointGeometry
    properties: PoiProperties


class PoiPatchProperties(Strict):
    """Only the properties present change; ``opening_hours: null`` clears the hours."""

    name: str | None = Field(None, min_length=1, max_length=128)
    category: str | None = None
    address: str | None = Field(None, max_length=256)
    phone: str | None = Field(None, max_length=64)
    opening_hours: dict[str, Any] | None = None
    status: PoiStatus | None = None
    accessibility: dict[str, bool] | None = None
    tags: list[str] | None = Field(None, max_length=20)
    source_id: str | None = Field(None, min_length=1, max_length=128, pattern=r"^\S+$")

    _read_only = model_validator(mode="before")(_drop_read_only)
    _category = field_validator("category")(_check_category)
    _hours = field_validator("opening_hours")(_check_hours)

    @field_validator("name", "category", "status", "accessibility", "tags", "address", "phone")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("不能为 null")
        return value

    def changes(self) -> dict[str, Any]:
        """The properties the client sent, validated."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class PoiPatch(Strict):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    type: Literal["Feature"]
    geometry: PointGeometry | None = None
    properties: PoiPatchProperties = Field(default_factory=PoiPatchProperties)


class ImportCollection(Strict):
    """A FeatureCollection of POI features; each feature is checked on its own during the import."""

    model_config = ConfigDict(extra="ignore")  # GeoJSON foreign members, e.g. QGIS's "name" and "crs"

    type: Literal["FeatureCollection"]
    features: list[Any] = Field(max_length=MAX_IMPORT_FEATURES)


class ImportRejection(BaseModel):
    index: int = Field(description="0-based position in features")
    reason: str
    field: str = Field(description="the offending member, e.g. geometry or properties.category")


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: list[ImportRejection]
