"""Public web pages outside the API: the reading page /d/{id} (QR target) and the Atom feed."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request

from bulletin import errors, pages, present, service_public, service_reading
from bulletin.atom import ATOM_CONTENT_TYPE
from server import auth
from server.api import endpoint

bp = Blueprint("gazette_web")
TAGS = ["gazette: web"]
HTML = "text/html; charset=utf-8"


@bp.get("/d/<document_id:int>")
@endpoint("Reading page of a document (mobile HTML with Open Graph tags; 已撤回 page when withdrawn)",
          tags=TAGS, content_type="text/html")
async def reading_page(request: Request, document_id: int):
    user = await auth.current_user(request)
    url = present.public_url(document_id)
    try:
        view = await service_reading.get_document(document_id, user=user)
    except errors.DocumentNotFound:
        return HTTPResponse(pages.not_found_page(), status=404, content_type=HTML)
    page = pages.withdrawn_page(view, url=url) if view["status"] == "withdrawn" else pages.document_page(view, url=url)
    return HTTPResponse(page, content_type=HTML, headers={"Cache-Control": "public, max-age=60"})


@bp.get("/gazette/feed.xml")
@endpoint("Atom feed of the newest published documents", tags=TAGS, content_type="application/atom+xml")
async def atom_feed(request: Request):
    return HTTPResponse(await service_public.atom_feed(), content_type=ATOM_CONTENT_TYPE,
                        headers={"Cache-Control": "public, max-age=300"})
