"""Public gazette endpoints: search, documents, issues, agencies, topics, attachments, codes (no login)."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import file as file_response

from bulletin import (
    errors,
    service_attachments,
    service_catalog,
    service_public,
    service_reading,
    service_search,
)
from bulletin.filetypes import content_disposition
from bulletin.schemas import IssuesQuery, SearchQuery, SuggestQuery
from bulletin.schemas_out import (
    Choice,
    DocumentAnswer,
    IssueContents,
    IssueOut,
    SearchPage,
    Suggestions,
)
from bulletin.service_suggest import suggest
from server import auth
from server.api import endpoint

bp = Blueprint("gazette", url_prefix="/api/v1")
TAGS = ["gazette"]


@bp.get("/gazette/documents")
@endpoint("Search published documents: items with highlights, exact total, facets, keyset cursor", tags=TAGS,
          query=SearchQuery, response=SearchPage, raises=[errors.InvalidCursor, errors.UnknownAgency],
          limits="search")
async def search_documents(request: Request, *, query: SearchQuery):
    params = service_search.SearchParams(q=query.q, filters=query.filters(), sort=query.sort, limit=query.limit,
                                         cursor=query.cursor)
    return await service_search.search_documents(params)


@bp.get("/gazette/suggest")
@endpoint("Complete a partial query with government terms and document titles", tags=TAGS,
          query=SuggestQuery, response=Suggestions, limits="suggest")
async def suggest_terms(request: Request, *, query: SuggestQuery):
    return await suggest(query.q)


@bp.get("/gazette/documents/<document_id:int>")
@endpoint("One document: every field, body as HTML and rich-text nodes, links; a withdrawn one says so",
          tags=TAGS, response=DocumentAnswer, raises=[errors.DocumentNotFound])
async def get_document(request: Request, document_id: int):
    user = await auth.current_user(request)
    return await service_reading.get_document(document_id, user=user)


@bp.get("/gazette/documents/<document_id:int>/qr.png")
@endpoint("QR code of the document's reading page (/d/{id})", tags=TAGS, content_type="image/png",
          raises=[errors.DocumentNotFound])
async def qr_code(request: Request, document_id: int):
    image = await service_public.qr_png(document_id, user=await auth.current_user(request))
    return HTTPResponse(image, content_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


@bp.get("/gazette/documents/<document_id:int>/wxacode.png")
@endpoint("Mini-program code opening the document in the mini-program's reader", tags=TAGS,
          content_type="image/png", raises=[errors.DocumentNotFound, errors.MiniProgramCodeUnavailable])
async def mini_program_code(request: Request, document_id: int):
    image = await service_public.wxacode(document_id, user=await auth.current_user(request))
    return HTTPResponse(image, content_type=service_public.image_type(image),
                        headers={"Cache-Control": "public, max-age=86400"})


@bp.get("/gazette/issues")
@endpoint("Issues of the gazette, newest first", tags=TAGS, query=IssuesQuery, response=list[IssueOut])
async def list_issues(request: Request, *, query: IssuesQuery):
    return await service_catalog.list_issues(year=query.year)


@bp.get("/gazette/issues/<issue_id:int>")
@endpoint("One issue with its table of contents by section", tags=TAGS, response=IssueContents,
          raises=[errors.IssueNotFound])
async def get_issue(request: Request, issue_id: int):
    return await service_catalog.get_issue(issue_id)


@bp.get("/gazette/agencies")
@endpoint("Issuing agencies (发布机构): codes with Chinese names", tags=TAGS, response=list[Choice], etag=True)
async def list_agencies(request: Request):
    return await service_catalog.agency_options()


@bp.get("/gazette/topics")
@endpoint("Subject classification (主题分类): codes with Chinese names", tags=TAGS, response=list[Choice],
          etag=True)
async def list_topics(request: Request):
    return service_catalog.list_topics()


@bp.get("/gazette/attachments/<attachment_id:int>")
@endpoint("Download an attachment (its own Content-Type and file name)", tags=TAGS,
          content_type="application/octet-stream", raises=[errors.AttachmentNotFound])
async def download_attachment(request: Request, attachment_id: int):
    row, path, inline = await service_attachments.readable(attachment_id, user=await auth.current_user(request))
    return await file_response(path, mime_type=row.content_type, headers={
        "Content-Disposition": content_disposition(row.filename, inline=inline),
        "X-Content-Type-Options": "nosniff"})
