"""How letters look: to their writer (with every step), to staff, and to everyone once published."""

from __future__ import annotations

from typing import Any

from questions.model import RATING_LABELS, STATUS_LABELS
from questions.tables import Letter, LetterStep
from server import pii, pii_vault

PHONE_CONTEXT = "questions.letter.phone"


def masked_phone(letter: Letter) -> str | None:
    if not letter.phone_enc:
        return None
    return pii.mask_phone(pii_vault.vault().decrypt(letter.phone_enc, context=PHONE_CONTEXT))


def step_view(step: LetterStep, departments: dict[int, str]) -> dict[str, Any]:
    dept = step.department_id
    return {"kind": step.kind, "at": step.created_at, "note": step.note,
            "department": {"id": dept, "name": departments.get(dept, "")} if dept else None}


def letter_view(letter: Letter, *, columns: dict[int, str], departments: dict[int, str],
                steps: list[LetterStep] | None = None, photos: list[int] | None = None) -> dict[str, Any]:
    """A letter with its status, deadline and reply; steps and photo ids when given (a letter read
    alone). The phone is masked."""
    dept = letter.department_id
    place = {"lon": letter.lon, "lat": letter.lat} if letter.lon is not None and letter.lat is not None else None
    view = {"id": letter.id, "column": columns.get(letter.column_id, ""), "title": letter.title, "body": letter.body,
            "category": letter.category, "place": place, "division": letter.division,
            "publish_consent": letter.publish_consent, "phone": masked_phone(letter),
            "status": letter.status, "status_label": STATUS_LABELS[letter.status],
            "department": {"id": dept, "name": departments.get(dept, "")} if dept else None,
            "due_on": letter.due_on, "overdue": letter.overdue_at is not None,
            "reply": letter.reply, "replied_at": letter.replied_at, "rating": letter.rating,
            "rating_label": RATING_LABELS.get(letter.rating or ""), "reopens": letter.reopens,
            "closed_at": letter.closed_at, "published": letter.published_at is not None,
            "campaign_id": letter.campaign_id, "adopted": letter.adopted_at is not None,
            "adoption_note": letter.adoption_note, "created_at": letter.created_at, "photos": photos or []}
    if steps is not None:
        view["steps"] = [step_view(s, departments) for s in steps]
    return view


def staff_view(letter: Letter, *, columns: dict[int, str], departments: dict[int, str],
               steps: list[LetterStep] | None = None, photos: list[int] | None = None) -> dict[str, Any]:
    """What dispatchers and departments see: the letter plus the dispatcher's suggestion."""
    view = letter_view(letter, columns=columns, departments=departments, steps=steps, photos=photos)
    suggested = letter.suggested_department_id
    view["suggested_department"] = {"id": suggested, "name": departments.get(suggested, "")} if suggested else None
    return view


def public_letter(letter: Letter, *, columns: dict[int, str], departments: dict[int, str]) -> dict[str, Any]:
    """A published letter: its masked text and the reply, nothing about who wrote it."""
    dept = letter.department_id
    return {"id": letter.id, "column": columns.get(letter.column_id, ""), "title": letter.public_title or "",
            "body": letter.public_body or "", "category": letter.category, "reply": letter.reply or "",
            "department": {"id": dept, "name": departments.get(dept, "")} if dept else None,
            "created_at": letter.created_at, "replied_at": letter.replied_at, "rating": letter.rating,
            "adoption_note": letter.adoption_note}
