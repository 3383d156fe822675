"""Residents' own gazette state: favourites, reading history and reading position (login required)."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin import errors, service_reading
from bulletin.schemas import PageQuery, Position
from bulletin.schemas_out import FavoriteState, PositionOut, ShelfPage
from server import auth
from server.api import ANY_USER, endpoint

bp = Blueprint("gazette_me", url_prefix="/api/v1")
TAGS = ["gazette: my reading"]


@bp.post("/gazette/documents/<document_id:int>/favorite")
@endpoint("Add a document to my favourites (收藏)", tags=TAGS, response=FavoriteState, auth_roles=ANY_USER,
          raises=[errors.DocumentNotFound])
async def add_favorite(request: Request, document_id: int, *, user: auth.CurrentUser):
    return await service_reading.add_favorite(document_id, user_id=user.id)


@bp.delete("/gazette/documents/<document_id:int>/favorite")
@endpoint("Remove a document from my favourites", tags=TAGS, status=204, auth_roles=ANY_USER)
async def remove_favorite(request: Request, document_id: int, *, user: auth.CurrentUser):
    await service_reading.remove_favorite(document_id, user_id=user.id)


@bp.put("/gazette/documents/<document_id:int>/position")
@endpoint("Report how far I have read a document (0..1)", tags=TAGS, body=Position, response=PositionOut,
          auth_roles=ANY_USER, raises=[errors.DocumentNotFound])
async def set_position(request: Request, document_id: int, *, body: Position, user: auth.CurrentUser):
    return await service_reading.set_position(document_id, user_id=user.id, position=body.position)


@bp.get("/me/favorites")
@endpoint("My favourite documents, newest first", tags=TAGS, query=PageQuery, response=ShelfPage,
          auth_roles=ANY_USER, raises=[errors.InvalidCursor])
async def my_favorites(request: Request, *, query: PageQuery, user: auth.CurrentUser):
    return await service_reading.favorites(user_id=user.id, limit=query.limit, cursor=query.cursor)


@bp.get("/me/history")
@endpoint("Documents I read, last read first, with my reading position", tags=TAGS, query=PageQuery,
          response=ShelfPage, auth_roles=ANY_USER, raises=[errors.InvalidCursor])
async def my_history(request: Request, *, query: PageQuery, user: auth.CurrentUser):
    return await service_reading.history(user_id=user.id, limit=query.limit, cursor=query.cursor)
