"""Public HTTP endpoints of the service map (/api/v1/map/*): thin, everything parsed in geo/schemas.py."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request

from geo import service, service_coverage, service_query
from geo.errors import DivisionNotFound, MapWarming, PoiNotFound
from geo.schemas import (
    ClusterQuery,
    CoordQuery,
    CoverageQuery,
    DivisionQuery,
    LocateQuery,
    PoiListQuery,
)
from geo.schemas_out import (
    CategoryCount,
    ClusterCollection,
    CoverageResult,
    DivisionOut,
    LocateResult,
    PoiCollection,
    PoiDetail,
)
from server.api import endpoint

bp = Blueprint("geo_map", url_prefix="/api/v1")
TAGS = ["map"]


@bp.get("/map/categories")
@endpoint("The category tree with the number of service points per node", tags=TAGS,
          response=list[CategoryCount], raises=[MapWarming], etag=True, limits="map")
async def categories(request: Request):
    return await service_query.category_tree()


@bp.get("/map/pois")
@endpoint("Service points near a point (by distance), in a bbox, or anywhere (by id)", tags=TAGS,
          query=PoiListQuery, response=PoiCollection, raises=[MapWarming], etag=True, check_response=False,
          limits="map",
          description="lat+lon (radius: metres, default 3000, at most 20000) sorts by distance and adds "
                      "distance_m; bbox lists by id. Filters: category (descendants included), q, open_now, status. "
                      "coord applies to the input and every output coordinate. Pages with next_cursor.")
async def list_pois(request: Request, *, query: PoiListQuery):
    return await service_query.list_pois(query)


@bp.get("/map/pois/<poi_id:int>")
@endpoint("One service point with every detail, open now, next change and its divisions", tags=TAGS,
          query=CoordQuery, response=PoiDetail, raises=[PoiNotFound, MapWarming], limits="map")
async def poi_detail(request: Request, poi_id: int, *, query: CoordQuery):
    return await service_query.poi_detail(poi_id, coord=query.coord)


@bp.get("/map/clusters")
@endpoint("Clusters and single service points of a map viewport", tags=TAGS, query=ClusterQuery,
          response=ClusterCollection, raises=[MapWarming], etag=True, check_response=False, limits="map")
async def clusters(request: Request, *, query: ClusterQuery):
    return await service_query.clusters(query)


@bp.get("/map/locate")
@endpoint("Who serves me: the divisions containing a point and the nearest service point per category",
          tags=TAGS, query=LocateQuery, response=LocateResult, raises=[MapWarming], limits="map")
async def locate(request: Request, *, query: LocateQuery):
    return await service_query.locate(query.point, coord=query.coord, categories=query.category)


@bp.get("/map/divisions")
@endpoint("Administrative divisions: codes, names, levels and parents (a tree a picker can walk)", tags=TAGS,
          query=DivisionQuery, response=list[DivisionOut], raises=[DivisionNotFound, MapWarming], etag=True,
          limits="map",
          description="Without parameters every division (districts, then streets, then communities); level= one "
                      "level; parent= the children of one division (with level=, that level's divisions anywhere "
                      "below it). children says whether to walk further down.")
async def divisions(request: Request, *, query: DivisionQuery):
    return await service.list_divisions(level=query.level, parent=query.parent)


@bp.get("/map/coverage")
@endpoint("Share of a division within walking distance of a category (15-minute life circle)", tags=TAGS,
          query=CoverageQuery, response=CoverageResult, raises=[DivisionNotFound, MapWarming],
          limits="coverage")
async def coverage(request: Request, *, query: CoverageQuery):
    return await service_coverage.division_coverage(query)


@bp.get("/map/pois.geojson")
@endpoint("Every service point in service as one GeoJSON FeatureCollection (streamed; QGIS, geojson.io)",
          tags=TAGS, query=CoordQuery, content_type="application/geo+json", raises=[MapWarming], limits="map")
async def export(request: Request, *, query: CoordQuery):
    tag = f'W/"geo-{await service.data_version()}-{query.coord}"'
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Content-Disposition": 'inline; filename="pois.geojson"'}
    if tag in (request.headers.get("if-none-match") or ""):
        return HTTPResponse(status=304, headers=headers)
    response = await request.respond(content_type="application/geo+json", headers=headers)
    async for chunk in service.export_geojson(coord=query.coord):
        await response.send(chunk)
    await response.eof()
    return response
