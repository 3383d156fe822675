"""Handling letters: the dispatcher assigns (with a suggestion); the department replies, transfers
(with a reason) or returns a letter to the dispatcher. Answerers see only their departments' letters."""

from __future__ import annotations

from typing import Any

from questions import (
    errors,
    service_columns,
    service_departments,
    service_photos,
    service_publication,
    service_routing,
)
from questions.model import STATUS_LABELS
from questions.present_letters import masked_phone, staff_view
from questions.service_letters import _check, add_step
from questions.tables import Letter, LetterStep
from server import clock, notify, pii, storage
from server.auth import CurrentUser
from server.notify import thing

REPLIED_PURPOSE = "letter_replied"


async def _views(rows: list[Letter]) -> list[dict[str, Any]]:
    columns, departments = await service_columns.names(), await service_departments.names()
    photos = await service_photos.photos_by_letter([x.id for x in rows])
    return [staff_view(x, columns=columns, departments=departments, photos=photos.get(x.id)) for x in rows]


async def _visible(letter_id: int, user: CurrentUser) -> Letter:
    """The letter, if the caller may see it: dispatchers all, answerers their departments' (else 404)."""
    letter = await Letter.get_or_none(id=letter_id)
    scope = await service_departments.scope_of(user)
    if letter is None or (scope is not None and letter.department_id not in scope):
        raise errors.LetterNotFound(details={"letter_id": letter_id})
    return letter


async def staff_letter(letter_id: int, *, user: CurrentUser) -> dict[str, Any]:
    """GET /questions/letters/{id}: the letter with every step, for those handling it."""
    letter = await _visible(letter_id, user)
    steps = await LetterStep.filter(letter_id=letter.id).order_by("id")
    return staff_view(letter, columns=await service_columns.names(), departments=await service_departments.names(),
                      steps=steps, photos=await service_photos.photos_of(letter.id))


async def letters(*, user: CurrentUser, status: str | None, overdue: bool | None, department_id: int | None,
                  limit: int, after: int | None) -> dict[str, Any]:
    """GET /questions/handling/letters: the dispatcher's inbox (status=received) or a department's queue;
    answerers only ever see their departments' letters. Oldest deadline first, then oldest letter."""
    rows = Letter.exclude(status="rejected")
    scope = await service_departments.scope_of(user)
    if scope is not None:
        rows = rows.filter(department_id__in=sorted(scope))
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    if status:
        rows = rows.filter(status=status)
    if overdue is not None:
        rows = rows.filter(overdue_at__isnull=not overdue)
    if after is not None:
        rows = rows.filter(id__gt=after)
    found = await rows.order_by("id").limit(limit + 1)
    return {"items": await _views(found[:limit]),
            "next_cursor": str(found[limit - 1].id) if len(found) > limit else None}


async def withheld(*, status: str, limit: int, after: int | None) -> dict[str, Any]:
    """Letters WeChat's content check holds (it was unreachable) or rejected, for dispatchers: what
    column, when and where they stand, with personal data masked (no body, the phone masked)."""
    found = await Letter.filter(status=status, **({"id__gt": after} if after else {})).order_by("id").limit(limit + 1)
    columns = await service_columns.names()
    decided = dict(await LetterStep.filter(letter_id__in=[x.id for x in found[:limit]], kind=status)
                   .values_list("letter_id", "created_at"))
    items = [{"id": x.id, "column": columns.get(x.column_id, ""), "title": pii.mask_text(x.title),
              "status": x.status, "status_label": STATUS_LABELS[x.status], "phone": masked_phone(x),
              "created_at": x.created_at, "since": decided.get(x.id, x.created_at)} for x in found[:limit]]
    return {"items": items, "next_cursor": str(found[limit - 1].id) if len(found) > limit else None}


async def return_reasons(letter_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Why each of these letters is back with the dispatcher: its last step, when that is a return
    (the department and the reason it gave)."""
    last: dict[int, LetterStep] = {}
    for step in await LetterStep.filter(letter_id__in=letter_ids).order_by("id"):
        last[step.letter_id] = step
    names = await service_departments.names()
    return {letter_id: {"reason": step.note, "department": names.get(step.department_id or 0, ""), "at": step.created_at}
            for letter_id, step in last.items() if step.kind == "returned"}


async def _locked(letter_id: int, conn: Any) -> Letter:
    letter = await Letter.filter(id=letter_id).using_db(conn).select_for_update().first()
    if letter is None:
        raise errors.LetterNotFound(details={"letter_id": letter_id})
    return letter


async def assign(letter_id: int, *, department_id: int, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/letters/{id}/assign (dispatchers): to a department, with its reply deadline."""
    await _check_department(department_id)
    due = await service_routing.due_on(department_id)
    async with storage.transaction() as conn:
        letter = await _locked(letter_id, conn)
        _check(letter.status, "assign")
        await _hand_to(letter, department_id, due=due, conn=conn)
        await add_step(letter.id, "assigned", conn=conn, actor_id=user.id, department_id=department_id)
    return await staff_letter(letter_id, user=user)


async def _check_department(department_id: int) -> None:
    dept = await service_departments.department_or_404(department_id)
    if not dept.is_active:
        raise errors.UnknownDepartment(details={"department_id": department_id})


async def _hand_to(letter: Letter, department_id: int | None, *, due: Any, conn: Any) -> None:
    letter.department_id, letter.due_on = department_id, due
    letter.status = "assigned" if department_id is not None else "received"
    letter.overdue_at = letter.escalated_to = None
    letter.updated_at = clock.now()
    await letter.save(using_db=conn)


async def transfer(letter_id: int, *, department_id: int, reason: str, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/letters/{id}/transfer: to another department, with a reason; a new deadline."""
    current = await _visible(letter_id, user)
    await service_departments.require_department(user, current.department_id)
    await _check_department(department_id)
    due = await service_routing.due_on(department_id)
    async with storage.transaction() as conn:
        letter = await _locked(letter_id, conn)
        _check(letter.status, "transfer")
        await _hand_to(letter, department_id, due=due, conn=conn)
        await add_step(letter.id, "transferred", conn=conn, actor_id=user.id, department_id=department_id,
                       note=reason)
    # The letter may now be outside the caller's departments: answer what was done, not a re-read.
    return (await _views([letter]))[0]


async def send_back(letter_id: int, *, reason: str, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/letters/{id}/return: not ours; back to the dispatcher's inbox, with a reason."""
    current = await _visible(letter_id, user)
    async with storage.transaction() as conn:
        letter = await _locked(letter_id, conn)
        _check(letter.status, "return")
        await add_step(letter.id, "returned", conn=conn, actor_id=user.id, department_id=current.department_id,
                       note=reason)
        await _hand_to(letter, None, due=None, conn=conn)
    return (await _views([letter]))[0]


async def reply(letter_id: int, *, text: str, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/letters/{id}/reply: the department's answer; the resident gets a subscribe
    message (when they allowed one) through the outbox, in the same transaction."""
    await _visible(letter_id, user)
    async with storage.transaction() as conn:
        letter = await _locked(letter_id, conn)
        _check(letter.status, "reply")
        letter.reply, letter.replied_at, letter.status = text, clock.now(), "replied"
        letter.updated_at = letter.replied_at
        await letter.save(using_db=conn)
        await add_step(letter.id, "replied", conn=conn, actor_id=user.id, department_id=letter.department_id,
                       note=text)  # every reply stays in the timeline, also after a reopening
        if letter.published_at is not None:  # a second reply to a published letter is what people find
            await service_publication.index_published(letter, conn=conn)
        if letter.user_id is not None:
            await notify.enqueue_push(
                user_id=letter.user_id, purpose=REPLIED_PURPOSE, page=f"pages/letters/detail?id={letter.id}",
                data={"thing1": thing(letter.title), "thing2": thing("您的留言已答复，请查看并评价"),
                      "time3": notify.when(letter.replied_at)},
                dedup_key=f"letter-replied:{letter.id}:{letter.reopens}", using_db=conn)
    return await staff_letter(letter_id, user=user)
