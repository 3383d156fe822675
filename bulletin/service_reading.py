"""Residents reading the gazette: one document, favourites, reading history and position."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from bulletin import errors, present, related, repository
from bulletin.html import to_rich_text_nodes
from bulletin.repository import agencies_by_id
from bulletin.tables import Attachment, Document, Favorite, Issue, Reading
from server import clock, config, paging
from server.auth import CurrentUser

EDITOR = "editor"


def can_edit(user: CurrentUser | None) -> bool:
    """Editors (and admins) see drafts and manage documents."""
    return user is not None and user.has_role(EDITOR)


async def visible_document(document_id: int, user: CurrentUser | None) -> Document:
    """The document unless it is a draft and the caller is not an editor (then 404)."""
    document = await repository.document_or_404(document_id)
    if document.status == "draft" and not can_edit(user):
        raise errors.DocumentNotFound(details={"document_id": document_id})
    return document


async def get_document(document_id: int, *, user: CurrentUser | None) -> dict[str, Any]:
    """GET /documents/{id}: everything about a document; a withdrawn one only says so."""
    document = await visible_document(document_id, user)
    if document.status == "withdrawn":
        return present.withdrawn(document)
    view = await full_view(document)
    view["favorited"], view["reading_position"] = False, None
    if user is not None:
        if document.status == "published":
            view["reading_position"] = await _record_reading(user.id, document.id)
        view["favorited"] = await Favorite.exists(user_id=user.id, document_id=document.id)
    return view


async def full_view(document: Document) -> dict[str, Any]:
    """Every field, the body as HTML and as rich-text nodes, links both ways, neighbours in the issue."""
    agencies = await agencies_by_id()
    interpretations, interprets = await repository.interpretation_links(document.id)
    previous, following = await repository.neighbours_in_issue(document)
    issue = await Issue.get_or_none(id=document.issue_id) if document.issue_id else None
    attachments = await Attachment.filter(document_id=document.id).order_by("id")
    return {
        **present.summary(document, agencies),
        "index_number": document.index_number, "written_on": document.written_on,
        "effective_from": document.effective_from, "effective_to": document.effective_to,
        "body_html": document.body_html, "body_nodes": to_rich_text_nodes(document.body_html, base=config.current().public_base_url),
        "attachments": [present.attachment(a) for a in attachments],
        "issue": present.issue(issue) if issue else None, "section": document.section,
        "tags": (await repository.tags_of([document.id]))[document.id],
        "interpretations": [present.link(d) for d in interpretations],
        "interprets": [present.link(d) for d in interprets],
        "services": await related.service_items(list(document.services or [])),
        "pois": await related.pois(list(document.pois or [])),
        "previous": present.link(previous) if previous else None,
        "next": present.link(following) if following else None,
        "qr_url": f"/api/v1/gazette/documents/{document.id}/qr.png",
    }


async def _record_reading(user_id: int, document_id: int) -> float:
    now = clock.now()
    updated = await Reading.filter(user_id=user_id, document_id=document_id).update(last_read_at=now)
    if not updated:
        try:
            await Reading.create(user_id=user_id, document_id=document_id, position=0.0,
                                 first_read_at=now, last_read_at=now)
        except IntegrityError:
            pass  # the same reader opened it twice at once
    row = await Reading.get(user_id=user_id, document_id=document_id)
    return row.position


async def set_position(document_id: int, *, user_id: int, position: float) -> dict[str, Any]:
    """PUT /documents/{id}/position: how far the reader got (0 = top, 1 = end)."""
    document = await _published(document_id)
    now = clock.now()
    updated = await Reading.filter(user_id=user_id, document_id=document.id).update(
        position=position, last_read_at=now)
    if not updated:
        try:
            await Reading.create(user_id=user_id, document_id=document.id, position=position,
                                 first_read_at=now, last_read_at=now)
        except IntegrityError:
            await Reading.filter(user_id=user_id, document_id=document.id).update(
                position=position, last_read_at=now)
    return {"document_id": document.id, "position": position, "last_read_at": now}


async def _published(document_id: int) -> Document:
    document = await repository.document_or_404(document_id)
    if document.status != "published":
        raise errors.DocumentNotFound(details={"document_id": document_id})
    return document


async def add_favorite(document_id: int, *, user_id: int) -> dict[str, Any]:
    """POST /documents/{id}/favorite (idempotent)."""
    document = await _published(document_id)
    try:
        await Favorite.get_or_create(user_id=user_id, document_id=document.id,
                                     defaults={"created_at": clock.now()})
    except IntegrityError:
        pass  # a concurrent request made it already
    return {"document_id": document.id, "favorited": True}


async def remove_favorite(document_id: int, *, user_id: int) -> None:
    """DELETE /documents/{id}/favorite (idempotent)."""
    await Favorite.filter(user_id=user_id, document_id=document_id).delete()


async def favorites(*, user_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """GET /me/favorites: newest first; withdrawn documents stay, marked as withdrawn."""
    return await _listing(Favorite, user_id=user_id, order="created_at", limit=limit, cursor=cursor,
                          extra=lambda row: {"favorited_at": row.created_at})


async def history(*, user_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """GET /me/history: last read first, with the reading position."""
    return await _listing(Reading, user_id=user_id, order="last_read_at", limit=limit, cursor=cursor,
                          extra=lambda row: {"last_read_at": row.last_read_at, "position": row.position})


async def _listing(model: Any, *, user_id: int, order: str, limit: int, cursor: str | None,
                   extra: Any) -> dict[str, Any]:
    rows, next_cursor = await paging.newest_first(model.filter(user_id=user_id), field=order, cursor=cursor,
                                                  scope=model.__name__, limit=limit)
    documents = {d.id: d for d in await Document.filter(id__in=[r.document_id for r in rows])}
    agencies = await agencies_by_id()
    items = []
    for row in rows:
        document = documents[row.document_id]
        shown = present.withdrawn(document) if document.status != "published" else present.summary(document, agencies)
        items.append({"document": shown, **extra(row)})
    return {"items": items, "next_cursor": next_cursor}


async def erase(user_id: int, *, using_db: BaseDBAsyncClient | None = None) -> None:
    """PIPL account deletion: the person's favourites and reading history go."""
    await Favorite.filter(user_id=user_id).using_db(using_db).delete()
    await Reading.filter(user_id=user_id).using_db(using_db).delete()


async def documents_for_feeds(document_ids: list[int]) -> list[dict[str, Any]]:
    """Documents with their feed tags and plain text, in any status (subscriptions match on these)."""
    documents = await Document.filter(id__in=list(document_ids)).order_by("id")
    agencies = await agencies_by_id()
    tags = await repository.tags_of([d.id for d in documents])
    return [
        {"id": d.id, "kind": d.kind, "status": d.status, "title": d.title, "summary": d.summary,
         "body_text": d.body_text, "topic": d.topic, "doc_type": d.doc_type, "disclosure": d.disclosure,
         "agency": agencies[d.agency_id].code, "agency_name": agencies[d.agency_id].name,
         "published_at": present.published_moment(d), **tags[d.id]}
        for d in documents
    ]
