"""Residents' letters: writing one (content-checked, held when WeChat cannot check), reading one's own
letters with every step, and rating the reply (不满意 reopens a letter once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo import service as geo_service
from questions import (
    content,
    errors,
    model,
    service_categories,
    service_columns,
    service_departments,
    service_photos,
    service_routing,
)
from questions.present_letters import PHONE_CONTEXT, letter_view
from questions.tables import Ask, Letter, LetterStep, Photo
from server import clock, pii, pii_vault, storage
from server.tables import User

Point = tuple[float, float]


@dataclass(frozen=True)
class NewLetter:
    """A letter as the resident wrote it, parsed at the edge (point in WGS-84 already)."""

    column: str
    title: str
    body: str
    category: str | None = None
    point: Point | None = None
    division: str | None = None
    photos: tuple[int, ...] = ()
    publish_consent: bool = False
    phone: str | None = None
    campaign_id: int | None = None
    ask_id: int | None = None


async def add_step(letter_id: int, kind: str, *, conn: Any, actor_id: int | None = None,
                   department_id: int | None = None, note: str = "") -> None:
    await LetterStep.create(letter_id=letter_id, kind=kind, actor_id=actor_id, department_id=department_id,
                            note=note, created_at=clock.now(), using_db=conn)


async def _phone(user: User, given: str | None) -> str:
    """The contact phone: the one given, else the bound WeChat phone; 422 phone_required without either."""
    if given:
        return pii.normalize_phone(given)
    if user.phone_enc:
        return pii_vault.vault().decrypt(user.phone_enc, context="user.phone")
    raise errors.PhoneRequired()


async def _divisions(letter: NewLetter) -> list[str]:
    """Codes of the divisions of the letter's place (its division and the ones containing it)."""
    if letter.point is not None:
        return [d["code"] for d in await geo_service.divisions_at(letter.point)]
    if letter.division is not None:
        if not await geo_service.division_names([letter.division]):
            raise errors.UnknownDivision(details={"fields": [{"field": "division", "in": "body",
                                                             "code": "unknown_division", "message": "没有这个区划"}]})
        return [letter.division[:n] for n in (6, 9, 12) if len(letter.division) >= n]
    return []


async def _photos(user_id: int, ids: tuple[int, ...]) -> list[Photo]:
    photos = await Photo.filter(id__in=list(ids), user_id=user_id, letter_id=None)
    if len(photos) != len(set(ids)):
        raise errors.PhotoNotFound(details={"photos": list(ids)})
    return photos


async def write_letter(letter: NewLetter, *, user_id: int) -> dict[str, Any]:
    """POST /questions/letters: check the text with WeChat (risky: 422, nothing kept), then keep the letter,
    received, or held for checking when WeChat cannot say now."""
    user = await User.get(id=user_id)
    column = await service_columns.active_column(letter.column)
    category = await service_categories.check(letter.category) if letter.category else None
    if letter.campaign_id is not None:
        if column.kind != "proposal":  # a campaign collects 人民建议, not letters to an office
            raise errors.ValidationFailed.field("campaign_id", "只有人民建议栏目可以参加征集活动",
                                                code="campaign_needs_proposal")
        await service_columns.open_campaign_or_error(letter.campaign_id)
    phone = await _phone(user, letter.phone)
    divisions = await _divisions(letter)
    photos = await _photos(user_id, letter.photos)
    verdict = content.combine([await content.check_text(openid=user.openid or f"user-{user_id}",
                                                        text=f"{letter.title}\n{letter.body}"),
                               *("held" if p.check == "held" else "pass" for p in photos)])
    if verdict == "risky":
        raise errors.ContentRejected()
    suggested = await service_routing.suggest(category=category, divisions=divisions)
    now = clock.now()
    async with storage.transaction() as conn:
        row = await Letter.create(
            column_id=column.id, user_id=user_id, title=letter.title, body=letter.body, category=category,
            lon=letter.point[0] if letter.point else None, lat=letter.point[1] if letter.point else None,
            division=(divisions[0] if divisions else None), publish_consent=letter.publish_consent,
            phone_enc=pii_vault.vault().encrypt(phone, context=PHONE_CONTEXT),
            phone_hash=pii_vault.vault().lookup_hash(phone, kind="phone"),
            status="held" if verdict == "held" else "received", suggested_department_id=suggested,
            campaign_id=letter.campaign_id, created_at=now, updated_at=now, using_db=conn)
        await Photo.filter(id__in=[p.id for p in photos]).using_db(conn).update(letter_id=row.id)
        await add_step(row.id, "held" if verdict == "held" else "received", conn=conn, actor_id=user_id)
        await _count_ask(letter.ask_id, category=category, user_id=user_id, conn=conn)
    return await my_letter(row.id, user_id=user_id)


async def _count_ask(ask_id: int | None, *, category: str | None, user_id: int, conn: Any) -> None:
    """A letter is a question the knowledge base did not solve: it turns the resident's 'not solved'
    into a letter, or counts as a new question asked."""
    if ask_id is not None and await Ask.filter(id=ask_id, user_id=user_id, outcome="not_solved").using_db(
            conn).update(outcome="letter"):
        return
    await Ask.create(category=category, outcome="letter", user_id=user_id, created_at=clock.now(), using_db=conn)


async def _own(letter_id: int, user_id: int) -> Letter:
    letter = await Letter.get_or_none(id=letter_id, user_id=user_id)
    if letter is None:  # someone else's letter is as absent as a missing one
        raise errors.LetterNotFound(details={"letter_id": letter_id})
    return letter


async def my_letter(letter_id: int, *, user_id: int) -> dict[str, Any]:
    """GET /questions/me/letters/{id}: one's own letter with every step (404 for anyone else's)."""
    letter = await _own(letter_id, user_id)
    steps = await LetterStep.filter(letter_id=letter.id).order_by("id")
    return letter_view(letter, columns=await service_columns.names(), departments=await service_departments.names(),
                       steps=steps, photos=await service_photos.photos_of(letter.id))


async def my_letters(*, user_id: int, limit: int, after: int | None) -> dict[str, Any]:
    """GET /questions/me/letters: one's letters, newest first."""
    rows = Letter.filter(user_id=user_id)
    if after is not None:
        rows = rows.filter(id__lt=after)
    found = await rows.order_by("-id").limit(limit + 1)
    columns, departments = await service_columns.names(), await service_departments.names()
    photos = await service_photos.photos_by_letter([x.id for x in found[:limit]])
    return {"items": [letter_view(x, columns=columns, departments=departments, photos=photos.get(x.id))
                      for x in found[:limit]],
            "next_cursor": str(found[limit - 1].id) if len(found) > limit else None}


async def rate_reply(letter_id: int, *, user_id: int, rating: str) -> dict[str, Any]:
    """POST /questions/me/letters/{id}/rating: 满意 / 基本满意 close the letter; 不满意 reopens it once
    for a second reply (new deadline), and closes it the second time."""
    await _own(letter_id, user_id)
    async with storage.transaction() as conn:
        letter = await Letter.filter(id=letter_id).using_db(conn).select_for_update().first()
        assert letter is not None
        _check(letter.status, "rate")
        outcome = model.rate(rating, reopens=letter.reopens)
        letter.rating, letter.reopens, letter.status = rating, outcome.reopens, outcome.status
        letter.updated_at = clock.now()
        await add_step(letter.id, "rated", conn=conn, actor_id=user_id, note=model.RATING_LABELS[rating])
        if outcome.status == "closed":
            letter.closed_at = letter.updated_at
            await add_step(letter.id, "closed", conn=conn, actor_id=user_id)
        else:
            letter.due_on = await service_routing.due_on(letter.department_id)
            letter.overdue_at = letter.escalated_to = letter.replied_at = None  # awaiting a second reply
            await add_step(letter.id, "reopened", conn=conn, actor_id=user_id, department_id=letter.department_id)
        await letter.save(using_db=conn)
    return await my_letter(letter_id, user_id=user_id)


def _check(status: str, action: str) -> None:
    try:
        model.check_step(status, action)
    except model.TransitionRefused:
        raise errors.StatusConflict(details={"status": status, "action": action}) from None

