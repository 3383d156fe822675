"""Query models of the map's read endpoints: every parameter is parsed and checked here, at the edge.

Cross-field rules (lat with lon, a bbox or a point, a cursor of the right kind) raise
``ValidationFailed`` naming the field, which pydantic lets through unchanged, so every bad request
is a 422 with per-field details before any service code runs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from geo import cursor as cursors
from geo.categories import DEFAULT_TREE
from geo.clusters import MAX_ZOOM
from geo.errors import invalid_field
from geo.model import POI_STATUSES, DivisionLevel, PoiStatus
from server.schemas import Coord

MAX_RADIUS_M = 20_000
DEFAULT_RADIUS_M = 3_000
MAX_LIMIT = 200
MAX_COVERAGE_RADIUS_M = 5_000
Bbox = tuple[float, float, float, float]


def split_commas(value: Any) -> Any:
    """``a,b`` and repeated parameters both become one list; blanks are dropped."""
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def check_categories(codes: list[str] | None) -> list[str] | None:
    """Every code must be a node of the tree (422 names the unknown ones)."""
    if codes is None:
        return None
    unknown = [code for code in codes if code not in DEFAULT_TREE]
    if unknown:
        raise ValueError(f"未知分类：{'、'.join(unknown)}")
    return codes


def parse_bbox(value: Any) -> Bbox | None:
    """``minLon,minLat,maxLon,maxLat`` in range and not inverted."""
    if value is None or isinstance(value, tuple):
        return value
    parts = str(value).split(",")
    if len(parts) != 4:
        raise ValueError("bbox 须为 minLon,minLat,maxLon,maxLat 四个数")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValueError("bbox 须为 minLon,minLat,maxLon,maxLat 四个数") from None
    if not all(-180 <= x <= 180 for x in (west, east)) or not all(-90 <= y <= 90 for y in (south, north)):
        raise ValueError("bbox 超出经纬度范围 (lon -180..180, lat -90..90)")
    if west > east or south > north:
        raise ValueError("bbox 颠倒：须 minLon <= maxLon 且 minLat <= maxLat")
    return (west, south, east, north)


class _Query(BaseModel):
    coord: Coord = Field("wgs84", description="coordinate system of the input and of every output coordinate")


class PoiListQuery(_Query):
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    # validate_default: the default is then the float 3000.0 a given "3000" parses to, so the page cursor
    # (bound to the query's values) of a query without radius also serves the same query with radius=3000.
    radius: float = Field(DEFAULT_RADIUS_M, gt=0, le=MAX_RADIUS_M, allow_inf_nan=False, validate_default=True,
                          description="metres around lat/lon (only with them), at most 20000")
    bbox: str | None = Field(None, description="minLon,minLat,maxLon,maxLat (instead of lat/lon)")
    category: list[str] | None = Field(None, description="category codes (a node includes its descendants); a,b")
    q: str | None = Field(None, max_length=64, description="Chinese substring of name or address, or pinyin initials")
    open_now: bool = False
    status: list[PoiStatus] | None = Field(None, description="default: open and temporarily_closed")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")

    _split = field_validator("category", "status", mode="before")(split_commas)
    _known = field_validator("category")(check_categories)

    @field_validator("bbox")
    @classmethod
    def _valid_bbox(cls, value: str | None) -> str | None:
        parse_bbox(value)
        return value

    @model_validator(mode="after")
    def _one_location(self) -> PoiListQuery:
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise invalid_field(missing, "lat 与 lon 须同时给出", location="query", code="missing")
        if self.lat is not None and self.bbox is not None:
            raise invalid_field("bbox", "bbox 不能与 lat/lon 同时使用", location="query", code="conflict")
        if "radius" in self.model_fields_set and self.lat is None:
            raise invalid_field("radius", "radius 须与 lat/lon 一同使用", location="query", code="conflict")
        self._parse_cursor()  # checked here (422); read again by ``after``, no private state kept
        return self

    def _parse_cursor(self) -> cursors.Cursor | None:
        if self.cursor is None:
            return None
        try:
            found = cursors.decode(self.cursor)
        except cursors.CursorError:
            raise invalid_field("cursor", "cursor 无效", location="query") from None
        if found.kind != ("nearby" if self.is_nearby else "ids") or found.scope != self.cursor_scope:
            raise invalid_field("cursor", "cursor 不属于这个查询（位置、范围或筛选条件已变），请从第一页开始",
                                location="query")
        return found

    @property
    def cursor_scope(self) -> str:
        """What a page cursor of this query is bound to: everything but the page size and the cursor."""
        return cursors.scope_of(self.coord, self.lat, self.lon, self.radius, self.bbox,
                                sorted(self.category or ()), self.q, self.open_now, sorted(self.status or ()))

    @property
    def is_nearby(self) -> bool:
        return self.lat is not None

    @property
    def point(self) -> tuple[float, float]:
        assert self.lon is not None and self.lat is not None
        return (self.lon, self.lat)

    @property
    def bbox_value(self) -> Bbox | None:
        return parse_bbox(self.bbox)

    @property
    def after(self) -> cursors.Cursor | None:
        return self._parse_cursor()


class ClusterQuery(_Query):
    bbox: str = Field(description="minLon,minLat,maxLon,maxLat of the viewport")
    zoom: int = Field(ge=0, le=MAX_ZOOM, description="map zoom level (Web Mercator)")
    category: list[str] | None = None
    status: list[PoiStatus] | None = None

    _split = field_validator("category", "status", mode="before")(split_commas)
    _known = field_validator("category")(check_categories)

    @field_validator("bbox")
    @classmethod
    def _valid_bbox(cls, value: str) -> str:
        parse_bbox(value)
        return value

    @property
    def bbox_value(self) -> Bbox:
        found = parse_bbox(self.bbox)
        assert found is not None
        return found


class PointQuery(_Query):
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)

    @property
    def point(self) -> tuple[float, float]:
        return (self.lon, self.lat)


class LocateQuery(PointQuery):
    category: list[str] | None = Field(
        None, max_length=20, description="categories to find the nearest of (default: every top category); a top "
                                         "category means what residents mean (health: hospitals, community health "
                                         "centres and clinics; ask health.pharmacy for pharmacies)")

    _split = field_validator("category", mode="before")(split_commas)
    _known = field_validator("category")(check_categories)


class DivisionQuery(BaseModel):
    level: DivisionLevel | None = Field(None, description="district, street or community")
    parent: str | None = Field(None, min_length=1, max_length=32,
                               description="a division's code: its children (a picker walks down from a district); "
                                           "with level, every division of that level below it; short or 12-digit "
                                           "padded form (440303 = 440303000000); an unknown code is "
                                           "404 division_not_found")


class CoverageQuery(_Query):
    category: str = Field(description="category code (descendants included)")
    radius_m: float = Field(1000, gt=0, le=MAX_COVERAGE_RADIUS_M, allow_inf_nan=False,
                            description="walking radius in metres: ~1000 for the 15-minute circle, ~500 for 10; "
                                        "answered in steps of 250 m (the nearest, at least 250: see radius_m "
                                        "in the answer)")
    division: str = Field(min_length=1, max_length=32, description="division code")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        check_categories([value])
        return value


class CoordQuery(_Query):
    pass


STATUS_DEFAULT: tuple[PoiStatus, ...] = tuple(s for s in POI_STATUSES if s != "closed")
Mode = Literal["nearby", "ids"]
