"""The gazette editor's pages: documents with a live preview of the sanitised body, publish and withdraw."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from appointments import service as appointments_service
from bulletin import service_attachments, service_catalog, service_editing, service_search
from bulletin.feeds import service_fanout
from bulletin.filetypes import MAX_ATTACHMENT_UPLOAD
from bulletin.html import body_to_html
from bulletin.model import DISCLOSURES, DOC_TYPES, INDUSTRIES, SIZES, TOPICS, VALIDITIES
from bulletin.schemas import DocumentCreate, DocumentUpdate, IdList, SearchQuery, Withdraw
from console import sessions
from console.pages import field, install_error_pages, page, parse, render
from server import errors

bp = Blueprint("console_editor", url_prefix="/console/editor")
install_error_pages(bp)
EDITOR = "editor"
SINGLE = ("title", "doc_number", "index_number", "agency", "kind", "topic", "doc_type", "disclosure", "validity",
          "effective_from", "effective_to", "written_on", "published_on", "summary", "body", "body_format",
          "issue_id", "section")
VOCABULARIES = {"topic": TOPICS, "doc_type": DOC_TYPES, "disclosure": DISCLOSURES, "validity": VALIDITIES,
                "industries": INDUSTRIES, "sizes": SIZES}
STATUS_NAMES = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}
PICKS = 10  # choices a link picker shows
Console = sessions.Console


def _document_form(request: Request) -> dict[str, Any]:
    """The form as the API's body: blanks are absent (or cleared), lists from checkboxes and commas."""
    data: dict[str, Any] = {name: field(request, name) or None for name in SINGLE}
    data["divisions"] = [d.strip() for d in field(request, "divisions").replace("，", ",").split(",") if d.strip()]
    data["industries"] = request.form.getlist("industries") or [] if request.form else []
    data["sizes"] = request.form.getlist("sizes") or [] if request.form else []
    return data


async def _choices() -> dict[str, Any]:
    return {"vocabularies": VOCABULARIES, "agencies": await service_catalog.agency_options(),
            "issues": await service_catalog.list_issues(year=None), "status_names": STATUS_NAMES}


@bp.get("/documents")
@page(EDITOR)
async def documents(request: Request, *, console: Console) -> HTTPResponse:
    listing = await service_editing.editor_documents(statuses=[], limit=50, cursor=request.args.get("cursor"))
    return render("editor/documents.html", console=console, listing=listing, status_names=STATUS_NAMES)


@bp.get("/documents/new")
@page(EDITOR)
async def new_document(request: Request, *, console: Console) -> HTTPResponse:
    blank = {"kind": "document", "body_format": "markdown", "validity": "valid", "status": "draft"}
    return render("editor/document.html", console=console, document=blank, **await _choices())


@bp.post("/documents")
@page(EDITOR)
async def create_document(request: Request, *, console: Console) -> HTTPResponse:
    body = parse(DocumentCreate, {k: v for k, v in _document_form(request).items() if v not in (None, [])})
    created = await service_editing.create_document(body.changes(), editor_id=console.user.id)
    return redirect(f"/console/editor/documents/{created['id']}?ok=saved", status=303)


@bp.get("/documents/<document_id:int>")
@page(EDITOR)
async def edit_document(request: Request, document_id: int, *, console: Console) -> HTTPResponse:
    document = await service_editing.editor_view(document_id)
    audience = await service_fanout.audience("document", document_id) if document["status"] == "draft" else None
    return render("editor/document.html", console=console, document=document, audience=audience,
                  interpretations=await service_editing.interpretation_ids(document_id),
                  attachments=await service_attachments.list_for(document_id), ok=request.args.get("ok", ""),
                  **await _choices())


@bp.post("/documents/<document_id:int>")
@page(EDITOR)
async def update_document(request: Request, document_id: int, *, console: Console) -> HTTPResponse:
    form = _document_form(request)
    form.pop("kind")  # what a document is does not change after it is created
    await service_editing.update_document(document_id, parse(DocumentUpdate, form).changes())
    return redirect(f"/console/editor/documents/{document_id}?ok=saved", status=303)


@bp.post("/preview")
@page(EDITOR)
async def preview(request: Request, *, console: Console) -> HTTPResponse:
    """htmx: the body as readers will see it, through the gazette's own sanitiser."""
    fields = parse(DocumentUpdate, {"body": field(request, "body"), "body_format": field(request, "body_format")
                                    or "markdown"})
    html = body_to_html(fields.body or "", body_format=fields.body_format or "markdown")
    return render("editor/fragments/preview.html", console=console, html=html)


@bp.post("/documents/<document_id:int>/publish")
@page(EDITOR)
async def publish(request: Request, document_id: int, *, console: Console) -> HTTPResponse:
    await service_editing.publish_document(document_id)
    return redirect(f"/console/editor/documents/{document_id}?ok=published", status=303)


@bp.post("/documents/<document_id:int>/withdraw")
@page(EDITOR)
async def withdraw(request: Request, document_id: int, *, console: Console) -> HTTPResponse:
    body = parse(Withdraw, {"reason": field(request, "reason")})
    await service_editing.withdraw_document(document_id, reason=body.reason)
    return redirect(f"/console/editor/documents/{document_id}?ok=withdrawn", status=303)


@bp.post("/documents/<document_id:int>/links")
@page(EDITOR)
async def links(request: Request, document_id: int, *, console: Console) -> HTTPResponse:
    """政策解读 and related service items, as comma-separated ids."""
    interpretations, services = (parse(IdList, {"ids": _ids(field(request, name))})
                                 for name in ("interpretations", "services"))
    document = await service_editing.set_related(document_id, services=services.ids)
    if document["kind"] == "document":  # an interpretation covers documents; nothing covers it
        await service_editing.set_interpretations(document_id, interpretations.ids)
    return redirect(f"/console/editor/documents/{document_id}?ok=saved", status=303)


@bp.post("/documents/<document_id:int>/attachments", stream=True)
@page(EDITOR, max_body=MAX_ATTACHMENT_UPLOAD)  # as the API takes: files up to 20 MB
async def upload(request: Request, document_id: int, *, console: Console) -> HTTPResponse:
    upload = request.files.get("file") if request.files else None
    if upload is None or not upload.body:
        raise errors.ValidationFailed.field("file", "请选择要上传的文件")
    await service_attachments.upload(document_id, data=upload.body, filename=upload.name or "")
    return redirect(f"/console/editor/documents/{document_id}?ok=attached", status=303)


@bp.get("/documents/<document_id:int>/attachments/<attachment_id:int>/delete")
@page(EDITOR)
async def confirm_delete_attachment(request: Request, document_id: int, attachment_id: int, *,
                                    console: Console) -> HTTPResponse:
    """删除附件 asks first, naming the lines of the body that link to it (they would lead nowhere)."""
    check = await service_attachments.before_delete(attachment_id, document_id=document_id)
    return render("editor/attachment_delete.html", console=console, **check)


@bp.post("/documents/<document_id:int>/attachments/<attachment_id:int>/delete")
@page(EDITOR)
async def delete_attachment(request: Request, document_id: int, attachment_id: int, *,
                            console: Console) -> HTTPResponse:
    await service_attachments.before_delete(attachment_id, document_id=document_id)  # of this document only
    await service_attachments.delete(attachment_id)
    return redirect(f"/console/editor/documents/{document_id}?ok=detached", status=303)


@bp.get("/pick/interpretations")
@page(EDITOR)
async def pick_interpretations(request: Request, *, console: Console) -> HTTPResponse:
    """htmx, as the editor types: published 政策解读 matching the words, through the gazette's own search
    (``GET /api/v1/gazette/documents?kind=interpretation&q=``)."""
    query = parse(SearchQuery, {"q": request.args.get("q", ""), "kind": ["interpretation"], "limit": PICKS},
                  location="query")
    found = await service_search.search_documents(service_search.SearchParams(
        q=query.q, filters=query.filters(), sort=query.sort, limit=query.limit))
    choices = [{"id": d["id"], "label": d["title"], "note": d.get("doc_number") or ""} for d in found["items"]]
    return render("editor/fragments/picks.html", console=console, choices=choices, target="#f-interpretations")


@bp.get("/pick/services")
@page(EDITOR)
async def pick_services(request: Request, *, console: Console) -> HTTPResponse:
    """htmx, as the editor types: service items (办事事项) of every hall whose name or department has the
    words (the halls and their services as ``GET /api/v1/halls/{id}/services`` lists them)."""
    words = request.args.get("q", "").split()
    choices = []
    for hall in await appointments_service.list_halls():
        for item in await appointments_service.list_services(hall["id"]):
            text = f"{item['name']} {item.get('department') or ''}"
            if words and all(word in text for word in words):
                choices.append({"id": item["id"], "label": item["name"], "note": hall["name"]})
    return render("editor/fragments/picks.html", console=console, choices=choices[:PICKS], target="#f-services")


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
