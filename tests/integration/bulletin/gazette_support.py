"""Seeding gazette documents through the service layer, for integration and API tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from bulletin import service_editing


async def draft(title: str, *, body: str = "", **fields: Any) -> int:
    """A draft by 罗湖区发展和改革局 unless told otherwise; returns its id."""
    values: dict[str, Any] = {
        "title": title, "agency": "lhfgj", "doc_type": "notice", "body": body, "body_format": "markdown",
        "kind": "document", "validity": "valid", "published_on": date(2024, 5, 6),
    }
    values.update(fields)
    created = await service_editing.create_document(values, editor_id=None)
    return int(created["id"])


async def published(title: str, *, body: str = "", **fields: Any) -> int:
    """A published document; returns its id."""
    document_id = await draft(title, body=body, **fields)
    await service_editing.publish_document(document_id)
    return document_id
