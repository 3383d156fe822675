"""Published replies (only with the writer's consent, personal data masked) that everyone can read
and search, turning one into a 一号答 entry in one step, and adopting 人民建议 with a public note."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q

from bulletin import service as gazette
from questions import errors, repository, service_columns, service_departments, service_photos
from questions.present_letters import public_letter, staff_view
from questions.service_letters import _check, add_step
from questions.tables import Entry, Letter
from server import clock, pii, storage
from server.auth import CurrentUser


def _masked(text: str) -> str:
    return pii.mask_text(text)


async def publish(letter_id: int, *, user: CurrentUser, title: str | None = None,
                  body: str | None = None) -> dict[str, Any]:
    """POST /questions/letters/{id}/publish (editors): only a replied letter whose writer consented;
    the editor may give the public wording, and phone and 身份证 numbers are masked in any case."""
    async with storage.transaction() as conn:
        letter = await Letter.filter(id=letter_id).using_db(conn).select_for_update().first()
        if letter is None:
            raise errors.LetterNotFound(details={"letter_id": letter_id})
        if not letter.publish_consent:
            raise errors.NotPublishable(details={"reason": "no_consent"})
        _check(letter.status, "publish")
        letter.public_title = _masked(title or letter.title)
        letter.public_body = _masked(body or letter.body)
        letter.published_at = letter.published_at or clock.now()
        await letter.save(using_db=conn)
        await index_published(letter, conn=conn)
        await add_step(letter.id, "published", conn=conn, actor_id=user.id)
    return staff_view(letter, columns=await service_columns.names(), departments=await service_departments.names(),
                      photos=await service_photos.photos_of(letter.id))


async def index_published(letter: Letter, *, conn: Any = None) -> None:
    """Make a published letter searchable by its public wording and its reply (again after a new reply)."""
    text = "\n".join((letter.public_title or "", letter.public_body or "", letter.reply or ""))
    await repository.index_letter(letter.id, text=text, conn=conn)


def _public() -> Q:
    return Q(published_at__isnull=False, publish_consent=True)


async def public_letters(*, q: str, limit: int, after: int | None) -> dict[str, Any]:
    """GET /questions/public/letters: published replies, newest first; with q, those matching it in the
    gazette's Chinese search (a q with nothing searchable matches nothing)."""
    rows = Letter.filter(_public())
    if q.strip():
        found_text = gazette.match(q, dialect=storage.dialect())
        ids = await repository.match_letters(found_text.expression, before=after, limit=limit + 1) if found_text else []
        rows = rows.filter(id__in=ids)
    if after is not None:
        rows = rows.filter(id__lt=after)
    found = await rows.order_by("-id").limit(limit + 1)
    columns, departments = await service_columns.names(), await service_departments.names()
    return {"items": [public_letter(x, columns=columns, departments=departments) for x in found[:limit]],
            "next_cursor": str(found[limit - 1].id) if len(found) > limit else None}


async def public_letter_view(letter_id: int) -> dict[str, Any]:
    """GET /questions/public/letters/{id}."""
    letter = await Letter.filter(_public(), id=letter_id).first()
    if letter is None:
        raise errors.LetterNotFound(details={"letter_id": letter_id})
    return public_letter(letter, columns=await service_columns.names(), departments=await service_departments.names())


async def to_entry(letter_id: int, *, user: CurrentUser, category: str | None) -> int:
    """POST /questions/letters/{id}/entry (editors): the published letter's question and reply become a
    published 一号答 entry in one step; returns the entry id."""
    letter = await Letter.filter(_public(), id=letter_id).first()
    if letter is None:
        raise errors.NotPublishable(details={"reason": "not_published"})
    if await Entry.exists(source_letter_id=letter_id):
        raise errors.AlreadyPublished(details={"letter_id": letter_id})
    code = category or letter.category
    if code is None:
        raise errors.UnknownCategory(details={"fields": [{"field": "category", "in": "body",
                                                         "code": "unknown_category", "message": "请选择分类"}]})
    html = gazette.markdown_to_html(letter.reply or "")
    now = clock.now()
    async with storage.transaction() as conn:
        entry = await Entry.create(
            question=(letter.public_title or letter.title)[:200], answer=letter.reply or "", answer_html=html,
            answer_text=gazette.plain_text(html), category=code, department_id=letter.department_id,
            status="published", source_letter_id=letter.id, created_by=user.id, created_at=now, updated_at=now,
            published_at=now, using_db=conn)
        await repository.index_entry(entry.id, question=entry.question, answer_text=entry.answer_text, conn=conn)
    return entry.id


async def adopt(letter_id: int, *, note: str, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/letters/{id}/adopt (editors): a 人民建议 adopted, with a note everyone can read."""
    async with storage.transaction() as conn:
        letter = await Letter.filter(id=letter_id).using_db(conn).select_for_update().first()
        if letter is None or letter.campaign_id is None:
            raise errors.LetterNotFound(details={"letter_id": letter_id, "reason": "not_a_campaign_suggestion"})
        _check(letter.status, "adopt")
        letter.adopted_at, letter.adoption_note = clock.now(), note
        await letter.save(using_db=conn)
        await add_step(letter.id, "adopted", conn=conn, actor_id=user.id, note=note)
    return staff_view(letter, columns=await service_columns.names(), departments=await service_departments.names(),
                      photos=await service_photos.photos_of(letter.id))


async def adopted(campaign_id: int) -> list[dict[str, Any]]:
    """GET /questions/campaigns/{id}/adopted: adopted suggestions (masked title, the public note)."""
    rows = await Letter.filter(campaign_id=campaign_id, adopted_at__isnull=False).order_by("adopted_at", "id")
    return [{"id": x.id, "title": _masked(x.title), "adoption_note": x.adoption_note or "",
             "adopted_at": x.adopted_at} for x in rows]
