"""Response models of the map endpoints (they document the answers in /openapi.json).

The feature lists are rendered straight to bytes (geo/render.py) and not re-validated per
request; the API tests pin their shape against these models and geojson's validation.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from geo.model import PoiStatus


class PointOut(BaseModel):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="[lon, lat] in the requested coord system")


class PoiListProperties(BaseModel):
    name: str
    category: str
    category_name: str
    address: str
    phone: str
    status: PoiStatus
    hall_id: int | None = Field(description="the bookable hall (appointments), if any")
    open_now: bool
    distance_m: int | None = Field(None, description="whole metres from the query point (nearby only)")


class PoiListFeature(BaseModel):
    type: Literal["Feature"]
    id: int
    properties: PoiListProperties
    geometry: PointOut


class PoiCollection(BaseModel):
    type: Literal["FeatureCollection"]
    coord: str
    total: int = Field(description="matches of the whole query, not just this page")
    next_cursor: str | None
    features: list[PoiListFeature]


class ClusterCollection(BaseModel):
    type: Literal["FeatureCollection"]
    coord: str
    total: int = Field(description="POIs in the viewport; the features' point counts add up to it")
    zoom: int
    grouping_zoom: int = Field(description="the zoom whose cells grouped the points (coarser for huge viewports)")
    features: list[dict[str, Any]] = Field(
        description="clusters {cluster: true, point_count, expansion_zoom, co_located} and POIs (cluster: false)")


class NextChange(BaseModel):
    at: str = Field(description="local time, ISO 8601")
    change: Literal["opens", "closes"]


class DivisionSummary(BaseModel):
    code: str
    name: str
    level: Literal["district", "street", "community"]


class PoiDetailProperties(BaseModel):
    name: str
    category: str
    category_name: str
    address: str
    phone: str
    opening_hours: dict[str, Any] | None
    status: PoiStatus
    accessibility: dict[str, bool]
    tags: list[str]
    source_id: str | None
    hall_id: int | None
    bookable: bool
    open_now: bool
    next_change: NextChange | None
    divisions: list[DivisionSummary] = Field(description="community, street, district containing the POI")
    created_at: str
    updated_at: str


class PoiDetail(BaseModel):
    type: Literal["Feature"]
    id: int
    coord: str
    geometry: PointOut
    properties: PoiDetailProperties


class CategoryCount(BaseModel):
    code: str
    name: str
    count: int = Field(description="POIs in service in this node and below it")
    children: list[CategoryCount]


class NearestPoi(BaseModel):
    id: int
    name: str
    distance_m: int
    category: str = Field(description="its own sub-category, e.g. health.clinic")
    category_name: str


class LocateResult(BaseModel):
    coord: str
    divisions: list[DivisionSummary] = Field(description="community, street, district containing the point")
    nearest: dict[str, NearestPoi | None] = Field(
        description="per category asked (default: every top category), the nearest open POI, or null")


class DivisionOut(BaseModel):
    code: str
    name: str
    level: Literal["district", "street", "community"]
    parent_code: str | None
    children: int = Field(description="how many divisions have this one as parent")


class CoverageResult(BaseModel):
    category: str
    radius_m: float
    division: str
    division_name: str
    coord: str
    coverage_ratio: float = Field(ge=0, le=1)
    uncovered: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon (empty MultiPolygon if none)")
