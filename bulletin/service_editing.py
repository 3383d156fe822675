"""Editors' use cases: draft, edit, publish and withdraw documents, and link them to other things."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from bulletin import cache, errors, present, repository, repository_search
from bulletin.docnumber import normalize_doc_number
from bulletin.html import body_to_html
from bulletin.related import forget_cache, unknown_ids
from bulletin.tables import Agency, Document, InterpretationLink
from server import audit, clock, outbox, paging, storage

PUBLISHED_TOPIC = "gazette.published"
WITHDRAWN_TOPIC = "gazette.withdrawn"  # feeds take the document out of every personal feed
CORRECTED_TOPIC = "gazette.corrected"  # feeds refresh it and bring it to subscriptions it now matches
_TAG_FIELDS = tuple(repository.TAG_KINDS)
_PLAIN_FIELDS = ("title", "doc_number", "index_number", "topic", "doc_type", "disclosure", "validity",
                 "effective_from", "effective_to", "written_on", "published_on", "summary", "body",
                 "body_format", "issue_id", "section", "issue_order", "kind")
# What the operation log shows of a document's change (tags and links: the fields sent).
_LOGGED_FIELDS = (*_PLAIN_FIELDS, "agency_id", "status", "published_at", "withdrawn_reason")
# What an explicit null means for columns that cannot be empty.
_NOT_NULL = {"summary": "", "body": "", "issue_order": 0}


async def create_document(fields: Mapping[str, Any], *, editor_id: int | None) -> dict[str, Any]:
    """POST /documents: a new draft."""
    async with storage.transaction() as conn:
        now = clock.now()
        document = Document(status="draft", created_by=editor_id, created_at=now, updated_at=now)
        await apply_fields(document, fields, conn=conn)
        await save(document, conn=conn)
        await repository.replace_tags(document.id, tags_in(fields), conn=conn)
    _logged(document, before=None)
    return await editor_view(document.id)


def _logged(document: Document, *, before: dict[str, Any] | None) -> None:
    audit.changed(target=f"document_id={document.id}", before=before, after=audit.fields(document, _LOGGED_FIELDS))


async def update_document(document_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /documents/{id}: change a draft or correct a published document."""
    async with storage.transaction() as conn:
        document = await repository.document_or_404(document_id, using_db=conn, for_update=True)
        if document.status == "withdrawn":
            raise errors.StatusConflict("已撤回的文件不能修改", status=document.status)
        before = audit.fields(document, _LOGGED_FIELDS)
        tags_before = (await repository.tags_of([document.id]))[document.id]
        await apply_fields(document, changes, conn=conn)
        tags = tags_in(changes)
        # A form saved as it was is no correction: feeds do not show the document as updated.
        changed = before != audit.fields(document, _LOGGED_FIELDS) or any(
            sorted(dict.fromkeys(values)) != sorted(tags_before[name]) for name, values in tags.items())
        if changed:
            await _save_change(document, tags, conn=conn)
    if changed:
        if document.status == "published":
            await cache.bump()
        _logged(document, before=before)
    return await editor_view(document.id)


async def _save_change(document: Document, tags: Mapping[str, list[str]], *, conn: BaseDBAsyncClient) -> None:
    document.updated_at = clock.now()
    if document.status == "published":
        document.corrected_at = document.updated_at  # a correction (勘误): feed readers see it updated
    await save(document, conn=conn)
    await repository.replace_tags(document.id, tags, conn=conn)
    if document.status == "published":
        await repository_search.upsert([repository.index_entry(document)], conn=conn)
        await outbox.enqueue(CORRECTED_TOPIC, {"kind": "document", "id": document.id}, using_db=conn)


async def apply_fields(document: Document, fields: Mapping[str, Any], *, conn: BaseDBAsyncClient) -> None:
    """Set a document's fields from validated input (agency code, body rendering, 文号 normal form)."""
    for name in _PLAIN_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(document, name, _NOT_NULL.get(name, value) if value is None else value)
    if "agency" in fields:
        document.agency_id = (await repository.agency_by_code(fields["agency"], using_db=conn)).id
    if fields.get("issue_id") is not None:
        await repository.issue_or_422(fields["issue_id"], using_db=conn)
    if "doc_number" in fields:
        # Stored and shown in the standard form (GB/T 9704: 罗教〔2026〕21号), however it was typed.
        document.doc_number = normalize_doc_number(document.doc_number or "") or None
        document.doc_number_norm = document.doc_number
    if "body" in fields or "body_format" in fields:
        document.body_html = body_to_html(document.body or "", body_format=document.body_format)
        document.body_text = repository.body_text_of(document.body_html)
    _check_dates(document)


def _check_dates(document: Document) -> None:
    from server.errors import ValidationFailed

    if document.written_on and document.published_on and document.written_on > document.published_on:
        raise ValidationFailed.field("written_on", "成文日期不能晚于发布日期")
    if document.effective_from and document.effective_to and document.effective_from > document.effective_to:
        raise ValidationFailed.field("effective_to", "失效日期不能早于生效日期")


async def save(document: Document, *, conn: BaseDBAsyncClient) -> None:
    """Save a document; 409 when its 索引号 belongs to another one."""
    try:
        await document.save(using_db=conn)
    except IntegrityError as exc:
        if "index_number" not in str(exc):
            raise
        raise errors.IndexNumberTaken(details={"index_number": document.index_number}) from None


def tags_in(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """The tag lists (divisions, industries, sizes) present in the input."""
    return {name: [str(v) for v in fields[name]] for name in _TAG_FIELDS if fields.get(name) is not None}


async def publish_document(document_id: int, *, notify: bool = True) -> dict[str, Any]:
    """POST /documents/{id}/publish: into search and feeds, with an outbox event in the same transaction."""
    async with storage.transaction() as conn:
        document = await repository.document_or_404(document_id, using_db=conn, for_update=True)
        if document.status == "published":
            raise errors.StatusConflict("文件已发布", status=document.status)
        before = audit.fields(document, _LOGGED_FIELDS)
        await mark_published(document, notify=notify, conn=conn)
    await cache.bump()
    _logged(document, before=before)
    return await editor_view(document.id)


async def mark_published(document: Document, *, notify: bool, conn: BaseDBAsyncClient) -> None:
    """Publish a locked document inside the caller's transaction (also used by the importer)."""
    now = clock.now()
    document.status = "published"
    document.published_on = document.published_on or clock.today()
    document.published_at = document.published_at or now
    document.withdrawn_at = document.withdrawn_reason = None
    document.updated_at = now
    await document.save(using_db=conn)
    await repository_search.upsert([repository.index_entry(document)], conn=conn)
    payload: dict[str, Any] = {"kind": "document", "id": document.id}
    if not notify:
        payload["notify"] = False
    # One event per publication: a document withdrawn and published again goes back into feeds.
    await outbox.enqueue(PUBLISHED_TOPIC, payload, dedup_key=f"{PUBLISHED_TOPIC}:document:{document.id}:{now.isoformat()}",
                         using_db=conn)


async def withdraw_document(document_id: int, *, reason: str) -> dict[str, Any]:
    """POST /documents/{id}/withdraw: out of search; the reading page says 已撤回."""
    async with storage.transaction() as conn:
        document = await repository.document_or_404(document_id, using_db=conn, for_update=True)
        if document.status != "published":
            raise errors.StatusConflict("只有已发布的文件可以撤回", status=document.status)
        before = audit.fields(document, _LOGGED_FIELDS)
        now = clock.now()
        document.status, document.withdrawn_at, document.withdrawn_reason = "withdrawn", now, reason
        document.updated_at = now
        await document.save(using_db=conn)
        await repository_search.remove([document.id], conn=conn)
        await outbox.enqueue(WITHDRAWN_TOPIC, {"kind": "document", "id": document.id}, using_db=conn)
    await cache.bump()
    _logged(document, before=before)
    return await editor_view(document.id)


async def set_interpretations(document_id: int, interpretation_ids: Sequence[int]) -> dict[str, Any]:
    """PUT /documents/{id}/interpretations: exactly these 政策解读 cover the document."""
    async with storage.transaction() as conn:
        document = await repository.document_or_404(document_id, using_db=conn, for_update=True)
        found = await Document.filter(id__in=list(interpretation_ids), kind="interpretation").using_db(
            conn).values_list("id", flat=True)
        wrong = sorted(set(interpretation_ids) - set(found))
        if document.kind == "interpretation" or wrong:
            raise errors.NotAnInterpretation(details={"document_id": document_id, "ids": wrong})
        before = await InterpretationLink.filter(document_id=document_id).using_db(conn).values_list(
            "interpretation_id", flat=True)
        await repository.replace_interpretations(document_id, interpretation_ids, conn=conn)
    audit.changed(target=f"document_id={document_id}", before={"interpretations": sorted(before)},
                  after={"interpretations": sorted(set(interpretation_ids))})
    return await editor_view(document_id)


async def interpretation_ids(document_id: int) -> list[int]:
    """The 政策解读 covering a document (what set_interpretations last set)."""
    return list(await InterpretationLink.filter(document_id=document_id).order_by("interpretation_id")
                .values_list("interpretation_id", flat=True))


async def set_related(document_id: int, *, services: Sequence[int] | None = None,
                      pois: Sequence[int] | None = None) -> dict[str, Any]:
    """PUT /documents/{id}/services or /pois: the related service items or map POIs (ids)."""
    forget_cache()
    unknown = await unknown_ids(services=services or (), poi_ids=pois or ())
    if unknown:
        raise errors.UnknownRelated(details=unknown)
    async with storage.transaction() as conn:
        document = await repository.document_or_404(document_id, using_db=conn, for_update=True)
        before = audit.fields(document, ("services", "pois"))
        if services is not None:
            document.services = list(dict.fromkeys(services))
        if pois is not None:
            document.pois = list(dict.fromkeys(pois))
        document.updated_at = clock.now()
        await document.save(using_db=conn)
    audit.changed(target=f"document_id={document_id}", before=before, after=audit.fields(document, ("services", "pois")))
    return await editor_view(document_id)


async def editor_view(document_id: int) -> dict[str, Any]:
    """GET /editor/documents/{id}: every field of a document in any status, with its source body."""
    document = await repository.document_or_404(document_id)
    agency = await Agency.get(id=document.agency_id)
    tags = (await repository.tags_of([document.id]))[document.id]
    return present.editable(document, agency_code=agency.code, tags=tags)


async def editor_documents(*, statuses: Sequence[str], limit: int, cursor: str | None) -> dict[str, Any]:
    """GET /editor/documents: documents in the given statuses, most recently changed first."""
    query = Document.filter(status__in=list(statuses)) if statuses else Document.all()
    page, next_cursor = await paging.newest_first(query, field="updated_at", cursor=cursor, scope="editor",
                                                  limit=limit)
    codes = {a.id: a.code for a in await Agency.all()}
    tags = await repository.tags_of([d.id for d in page])
    items = [present.editable(d, agency_code=codes[d.agency_id], tags=tags[d.id]) for d in page]
    return {"items": items, "next_cursor": next_cursor}
