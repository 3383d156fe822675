"""Periodic work on letters (``bianmin worker``): checking held letters once WeChat answers again,
marking overdue letters and escalating them to their department's heads, closing replies nobody
rated after seven days."""

from __future__ import annotations

import logging
from typing import Any

from questions import content, model, service_departments
from questions.service_letters import add_step
from questions.tables import Letter, Photo
from server import clock, notify, pii, storage
from server.tables import User

log = logging.getLogger("bianmin.questions.jobs")
BATCH = 200
OVERDUE_PURPOSE = "letter_overdue"


async def check_held() -> int:
    """Letters held for checking: pass -> received, risky -> rejected; still unreachable -> kept.
    Returns how many were decided."""
    decided = 0
    for letter in await Letter.filter(status="held").order_by("id").limit(BATCH):
        user = await User.get_or_none(id=letter.user_id) if letter.user_id else None
        verdicts = [await content.check_text(openid=(user.openid if user and user.openid else f"user-{letter.user_id}"),
                                             text=f"{letter.title}\n{letter.body}")]
        verdicts += [await _photo_verdict(p) for p in await Photo.filter(letter_id=letter.id, check="held")]
        verdict = content.combine(verdicts)
        if verdict == "held":
            continue
        async with storage.transaction() as conn:
            kept = await Letter.filter(id=letter.id, status="held").using_db(conn).update(
                status="received" if verdict == "pass" else "rejected", updated_at=clock.now())
            if kept:
                await add_step(letter.id, "received" if verdict == "pass" else "rejected", conn=conn)
                decided += 1
    return decided


async def _photo_verdict(photo: Photo) -> content.Verdict:
    from questions.service_photos import read_photo

    verdict = await content.check_image(read_photo(photo.sha256), content_type=photo.content_type)
    if verdict == "pass":
        await Photo.filter(id=photo.id).update(check="passed")
    return verdict


async def mark_overdue() -> int:
    """Assigned letters past their deadline: marked overdue (counted) and escalated to the heads."""
    today = clock.today()
    marked = 0
    for letter in await Letter.filter(status="assigned", overdue_at__isnull=True, due_on__lt=today).limit(BATCH):
        if not model.is_overdue(letter.due_on, today):
            continue
        heads = await service_departments.heads_of(letter.department_id) if letter.department_id else []
        async with storage.transaction() as conn:
            done = await Letter.filter(id=letter.id, status="assigned", overdue_at__isnull=True).using_db(conn).update(
                overdue_at=clock.now(), escalated_to=heads)
            if done:
                await add_step(letter.id, "overdue", conn=conn, department_id=letter.department_id,
                               note=f"已逾期，已告知部门负责人 {len(heads)} 人")
                await _tell_heads(letter, heads, conn=conn)
                marked += 1
    if marked:
        log.info("letters overdue", extra={"count": marked})
    return marked


async def _tell_heads(letter: Letter, heads: list[int], *, conn: Any) -> None:
    """A subscribe message to each head (sent when the head is a WeChat user who allowed it), queued in
    the escalation's transaction; one per head and escalation, also if the job runs twice."""
    assert letter.due_on is not None
    escalation = f"{letter.id}:{letter.department_id}:{letter.due_on.isoformat()}:{letter.reopens}"
    for head in heads:
        await notify.enqueue_push(
            user_id=head, purpose=OVERDUE_PURPOSE, page=None, using_db=conn,
            data={"thing1": notify.thing(pii.mask_text(letter.title)), "thing2": notify.thing("留言已逾期未答复，请督办"),
                  "date3": letter.due_on.strftime("%Y年%m月%d日")},
            dedup_key=f"letter-overdue:{escalation}:{head}")


async def auto_close() -> int:
    """Replies nobody rated within seven days close the letter."""
    now = clock.now()
    closed = 0
    for letter in await Letter.filter(status="replied", replied_at__lte=now - model.AUTO_CLOSE_AFTER).limit(BATCH):
        async with storage.transaction() as conn:
            done = await Letter.filter(id=letter.id, status="replied").using_db(conn).update(
                status="closed", closed_at=now, updated_at=now)
            if done:
                await add_step(letter.id, "closed", conn=conn, note="答复后 7 天未评价，自动办结")
                closed += 1
    return closed
