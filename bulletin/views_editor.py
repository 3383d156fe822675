"""Editors' endpoints (editor role): agencies, issues, drafts, publishing, withdrawal, links, attachments."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin import errors, service_attachments, service_catalog, service_editing
from bulletin.filetypes import MAX_ATTACHMENT_UPLOAD
from bulletin.schemas import (
    AgencyCreate,
    DocumentCreate,
    DocumentUpdate,
    EditorListQuery,
    IdList,
    IssueCreate,
    Withdraw,
)
from bulletin.schemas_out import AttachmentOut, Choice, EditableDocument, EditorPage, IssueOut
from server import auth
from server.api import endpoint

bp = Blueprint("gazette_editor", url_prefix="/api/v1")
TAGS = ["gazette: editors"]
EDITOR = "editor"


@bp.post("/gazette/agencies")
@endpoint("Add an issuing agency", tags=TAGS, body=AgencyCreate, response=Choice, status=201,
          auth_roles=EDITOR, raises=[errors.AgencyExists])
async def create_agency(request: Request, *, body: AgencyCreate, user: auth.CurrentUser):
    return await service_catalog.create_agency(code=body.code, name=body.name)


@bp.post("/gazette/issues")
@endpoint("Open a new issue of the gazette", tags=TAGS, body=IssueCreate, response=IssueOut, status=201,
          auth_roles=EDITOR, raises=[errors.IssueExists])
async def create_issue(request: Request, *, body: IssueCreate, user: auth.CurrentUser):
    return await service_catalog.create_issue(body.model_dump())


@bp.get("/gazette/editor/documents")
@endpoint("Documents in any status, most recently changed first", tags=TAGS, query=EditorListQuery,
          response=EditorPage, auth_roles=EDITOR, raises=[errors.InvalidCursor])
async def list_documents(request: Request, *, query: EditorListQuery, user: auth.CurrentUser):
    return await service_editing.editor_documents(statuses=query.status, limit=query.limit, cursor=query.cursor)


@bp.get("/gazette/editor/documents/<document_id:int>")
@endpoint("A document as editors edit it (source body, every field)", tags=TAGS, response=EditableDocument,
          auth_roles=EDITOR, raises=[errors.DocumentNotFound])
async def get_document(request: Request, document_id: int, *, user: auth.CurrentUser):
    return await service_editing.editor_view(document_id)


@bp.post("/gazette/documents")
@endpoint("Create a draft (body in Markdown or HTML, sanitised)", tags=TAGS, body=DocumentCreate,
          response=EditableDocument, status=201, auth_roles=EDITOR,
          raises=[errors.UnknownAgency, errors.UnknownIssue, errors.IndexNumberTaken])
async def create_document(request: Request, *, body: DocumentCreate, user: auth.CurrentUser):
    return await service_editing.create_document(body.changes(), editor_id=user.id)


@bp.patch("/gazette/documents/<document_id:int>")
@endpoint("Edit a draft or correct a published document", tags=TAGS, body=DocumentUpdate,
          response=EditableDocument, auth_roles=EDITOR,
          raises=[errors.DocumentNotFound, errors.StatusConflict, errors.UnknownAgency, errors.IndexNumberTaken])
async def update_document(request: Request, document_id: int, *, body: DocumentUpdate, user: auth.CurrentUser):
    return await service_editing.update_document(document_id, body.changes())


@bp.post("/gazette/documents/<document_id:int>/publish")
@endpoint("Publish: into search, the feed and subscribers' feeds", tags=TAGS, response=EditableDocument,
          auth_roles=EDITOR, raises=[errors.DocumentNotFound, errors.StatusConflict])
async def publish_document(request: Request, document_id: int, *, user: auth.CurrentUser):
    return await service_editing.publish_document(document_id)


@bp.post("/gazette/documents/<document_id:int>/withdraw")
@endpoint("Withdraw a published document (it leaves search; its page says 已撤回)", tags=TAGS, body=Withdraw,
          response=EditableDocument, auth_roles=EDITOR, raises=[errors.DocumentNotFound, errors.StatusConflict])
async def withdraw_document(request: Request, document_id: int, *, body: Withdraw, user: auth.CurrentUser):
    return await service_editing.withdraw_document(document_id, reason=body.reason)


@bp.put("/gazette/documents/<document_id:int>/interpretations")
@endpoint("Set the interpretations (政策解读) covering a document", tags=TAGS, body=IdList,
          response=EditableDocument, auth_roles=EDITOR, raises=[errors.DocumentNotFound, errors.NotAnInterpretation])
async def set_interpretations(request: Request, document_id: int, *, body: IdList, user: auth.CurrentUser):
    return await service_editing.set_interpretations(document_id, body.ids)


@bp.put("/gazette/documents/<document_id:int>/services")
@endpoint("Set the related service items (appointments ids)", tags=TAGS, body=IdList,
          response=EditableDocument, auth_roles=EDITOR, raises=[errors.DocumentNotFound, errors.UnknownRelated])
async def set_services(request: Request, document_id: int, *, body: IdList, user: auth.CurrentUser):
    return await service_editing.set_related(document_id, services=body.ids)


@bp.put("/gazette/documents/<document_id:int>/pois")
@endpoint("Set the related map POIs (geo ids)", tags=TAGS, body=IdList, response=EditableDocument,
          auth_roles=EDITOR, raises=[errors.DocumentNotFound, errors.UnknownRelated])
async def set_pois(request: Request, document_id: int, *, body: IdList, user: auth.CurrentUser):
    return await service_editing.set_related(document_id, pois=body.ids)


@bp.post("/gazette/documents/<document_id:int>/attachments", stream=True)
@endpoint("Attach a file (multipart field 'file': PDF, DOCX, XLSX, OFD, JPG or PNG, at most 20 MB)", tags=TAGS,
          response=AttachmentOut, status=201, auth_roles=EDITOR, content_type="multipart/form-data",
          raises=[errors.DocumentNotFound, errors.AttachmentMissing, errors.AttachmentTooLarge,
                  errors.AttachmentTypeRefused],
          max_body=MAX_ATTACHMENT_UPLOAD)
async def upload_attachment(request: Request, document_id: int, *, user: auth.CurrentUser):
    upload = request.files.get("file") if request.files else None
    if upload is None:
        raise errors.AttachmentMissing()
    return await service_attachments.upload(document_id, data=upload.body, filename=upload.name or "")


@bp.delete("/gazette/attachments/<attachment_id:int>")
@endpoint("Remove an attachment", tags=TAGS, status=204, auth_roles=EDITOR, raises=[errors.AttachmentNotFound])
async def delete_attachment(request: Request, attachment_id: int, *, user: auth.CurrentUser):
    await service_attachments.delete(attachment_id)
