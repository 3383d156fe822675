"""How entries look in answers: the public view, the editor's view, a search hit."""

from __future__ import annotations

from typing import Any

from questions.tables import Entry


def _choice(code: str | None, labels: dict[str, str]) -> dict[str, str] | None:
    return {"value": code, "label": labels.get(code, code)} if code else None


def links(entry: Entry) -> dict[str, list[int]]:
    return {"services": list(entry.services or []), "halls": list(entry.halls or []),
            "pois": list(entry.pois or []), "documents": list(entry.documents or [])}


def public_entry(entry: Entry, *, categories: dict[str, str], departments: dict[int, str]) -> dict[str, Any]:
    """What everyone sees of a published entry."""
    dept = entry.department_id
    return {"id": entry.id, "question": entry.question, "answer_html": entry.answer_html,
            "category": _choice(entry.category, categories),
            "department": {"id": dept, "name": departments.get(dept, "")} if dept else None,
            "links": links(entry), "valid_from": entry.valid_from, "valid_until": entry.valid_until,
            "views": entry.views, "solved": entry.solved, "updated_at": entry.updated_at}


def editable_entry(entry: Entry, *, categories: dict[str, str], departments: dict[int, str]) -> dict[str, Any]:
    """What editors and answerers see: the Markdown source and every counter."""
    return {**public_entry(entry, categories=categories, departments=departments), "answer": entry.answer,
            "status": entry.status, "not_solved": entry.not_solved, "created_at": entry.created_at,
            "published_at": entry.published_at, "source_letter_id": entry.source_letter_id}
