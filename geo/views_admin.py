"""Editing endpoints of the service map (admin role): create, change, close, import."""

from __future__ import annotations

from sanic import Blueprint, Request

from geo import importer, service_edit
from geo.errors import PoiNotFound, SourceIdTaken
from geo.schemas import CoordQuery
from geo.schemas_edit import ImportCollection, ImportResult, PoiFeature, PoiPatch
from geo.schemas_out import PoiDetail
from server import auth
from server.api import endpoint

bp = Blueprint("geo_admin", url_prefix="/api/v1")
TAGS = ["map"]
ADMIN = "admin"


@bp.post("/map/pois")
@endpoint("Add a service point (a GeoJSON Feature with Point geometry)", tags=TAGS, query=CoordQuery,
          body=PoiFeature, response=PoiDetail, status=201, auth_roles=ADMIN, raises=[SourceIdTaken])
async def create_poi(request: Request, *, query: CoordQuery, body: PoiFeature, user: auth.CurrentUser):
    return await service_edit.create_poi(body, coord=query.coord)


@bp.patch("/map/pois/<poi_id:int>")
@endpoint("Change a service point: only the properties (and geometry) sent change", tags=TAGS,
          query=CoordQuery, body=PoiPatch, response=PoiDetail, auth_roles=ADMIN,
          raises=[PoiNotFound, SourceIdTaken])
async def update_poi(request: Request, poi_id: int, *, query: CoordQuery, body: PoiPatch, user: auth.CurrentUser):
    return await service_edit.update_poi(poi_id, body, coord=query.coord)


@bp.delete("/map/pois/<poi_id:int>")
@endpoint("Close a service point (it is kept with status closed)", tags=TAGS, query=CoordQuery,
          response=PoiDetail, auth_roles=ADMIN, raises=[PoiNotFound])
async def close_poi(request: Request, poi_id: int, *, query: CoordQuery, user: auth.CurrentUser):
    return await service_edit.close_poi(poi_id, coord=query.coord)


@bp.post("/map/import")
@endpoint("Import service points from a FeatureCollection: matched by source_id, bad features rejected one by one",
          tags=TAGS, query=CoordQuery, body=ImportCollection, response=ImportResult, auth_roles=ADMIN)
async def import_pois(request: Request, *, query: CoordQuery, body: ImportCollection, user: auth.CurrentUser):
    return (await importer.import_features(body.features, coord=query.coord)).as_dict()
