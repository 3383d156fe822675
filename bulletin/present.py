"""How gazette rows look in API responses (plain dicts the response schemas validate)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bulletin.model import DISCLOSURES, DOC_TYPES, TOPICS, VALIDITIES, Vocabulary
from bulletin.tables import Agency, Attachment, Document, Issue
from server import config


def choice(vocabulary: Vocabulary, code: str | None) -> dict[str, str] | None:
    """{"value", "label"} for a code, None for no code."""
    if code is None or code not in vocabulary:
        return None
    return {"value": code, "label": vocabulary.label(code)}


def agency(row: Agency) -> dict[str, str]:
    """An issuing agency, as documents name it and as GET /agencies lists it: {"value": code, "label": name},
    the shape of every vocabulary (a document's topic and type are named the same way)."""
    return {"value": row.code, "label": row.name}


def published_moment(row: Document) -> datetime | None:
    """When a document was published: its 发布日期, at the moment it went out when that was that day.

    An archive imported (or a demo seeded) today keeps its own dates, so neither the Atom feed nor a
    resident's feed shows it all as new. None for a draft without a 发布日期.
    """
    tz = config.current().tz
    moment, day = row.published_at, row.published_on
    if moment is not None and (day is None or moment.astimezone(tz).date() == day):
        return moment
    return datetime.combine(day, time(0), tzinfo=tz) if day is not None else None


def public_url(document_id: int) -> str:
    """The stable reading page of a document (the QR code target)."""
    return f"{config.current().public_base_url}/d/{document_id}"


def issue(row: Issue, *, document_count: int | None = None) -> dict[str, Any]:
    """An issue without its table of contents."""
    view = {"id": row.id, "year": row.year, "number": row.number, "total_number": row.total_number,
            "title": row.title, "published_on": row.published_on, "sections": list(row.sections or [])}
    if document_count is not None:
        view["document_count"] = document_count
    return view


def link(row: Document) -> dict[str, Any]:
    """A short reference to another document."""
    return {"id": row.id, "title": row.title, "kind": row.kind, "doc_number": row.doc_number,
            "published_on": row.published_on}


def attachment(row: Attachment) -> dict[str, Any]:
    """An attachment with its download URL."""
    return {"id": row.id, "filename": row.filename, "content_type": row.content_type, "size": row.size,
            "url": f"/api/v1/gazette/attachments/{row.id}"}


def summary(row: Document, agencies: dict[int, Agency]) -> dict[str, Any]:
    """The fields every listing shows."""
    return {
        "id": row.id, "kind": row.kind, "status": row.status, "title": row.title,
        "doc_number": row.doc_number, "agency": agency(agencies[row.agency_id]),
        "topic": choice(TOPICS, row.topic), "doc_type": choice(DOC_TYPES, row.doc_type),
        "disclosure": choice(DISCLOSURES, row.disclosure), "validity": choice(VALIDITIES, row.validity),
        "published_on": row.published_on, "summary": row.summary, "url": public_url(row.id),
    }


def withdrawn(row: Document) -> dict[str, Any]:
    """What a withdrawn document still shows: its title and that it was withdrawn."""
    return {"id": row.id, "kind": row.kind, "status": "withdrawn", "title": row.title,
            "withdrawn_at": row.withdrawn_at, "withdrawn_reason": row.withdrawn_reason,
            "url": public_url(row.id)}


def editable(row: Document, *, agency_code: str, tags: dict[str, list[str]]) -> dict[str, Any]:
    """A document as an editor edits it: the source body and every field."""
    return {
        "id": row.id, "kind": row.kind, "status": row.status, "title": row.title,
        "doc_number": row.doc_number, "index_number": row.index_number, "agency": agency_code,
        "topic": row.topic, "doc_type": row.doc_type, "disclosure": row.disclosure,
        "validity": row.validity, "effective_from": row.effective_from, "effective_to": row.effective_to,
        "written_on": row.written_on, "published_on": row.published_on, "summary": row.summary,
        "body": row.body, "body_format": row.body_format, "body_html": row.body_html,
        "issue_id": row.issue_id, "section": row.section, "issue_order": row.issue_order,
        "services": list(row.services or []), "pois": list(row.pois or []), **tags,
        "published_at": row.published_at, "withdrawn_at": row.withdrawn_at,
        "withdrawn_reason": row.withdrawn_reason, "updated_at": row.updated_at,
        "url": public_url(row.id),
    }
