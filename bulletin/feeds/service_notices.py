"""Notices (通知公告): short announcements by editors, or by hall staff for their own halls.

A notice is published when it is posted and reaches feeds and WeChat like a gazette
document: the post writes an outbox event in the same transaction, and the fan-out
handler does the rest. Withdrawing it takes it out of every feed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from appointments import service as appointments_service
from bulletin import service_catalog
from bulletin.feeds import errors
from bulletin.feeds.divisions import canonical_division
from bulletin.feeds.model import ItemFacts
from bulletin.feeds.service_fanout import NOTICE_PUBLISHED, NOTICE_WITHDRAWN
from bulletin.feeds.service_subscriptions import agency_names
from bulletin.feeds.tables import Notice
from bulletin.model import TOPICS
from server import audit, clock, outbox, paging, storage
from server.auth import CurrentUser
from server.errors import Forbidden, ValidationFailed

EDITOR = "editor"
LOGGED_FIELDS = ("title", "body", "hall_id", "source", "facts", "status", "withdrawn_reason")  # operation log


def view(row: Notice) -> dict[str, Any]:
    """A notice as readers see it; a withdrawn one keeps only its title and the reason."""
    facts = ItemFacts.from_dict(row.facts)
    withdrawn = row.status == "withdrawn"
    return {"id": row.id, "title": row.title, "body": None if withdrawn else row.body, "hall_id": row.hall_id,
            "source": row.source, "topic": {"value": facts.topic, "label": TOPICS.label(facts.topic)}
            if facts.topic else None, "agency": facts.agency, "divisions": list(facts.divisions),
            "industries": list(facts.industries), "sizes": list(facts.sizes), "status": row.status,
            "published_at": row.published_at, "withdrawn_at": row.withdrawn_at,
            "withdrawn_reason": row.withdrawn_reason}


async def _source(user: CurrentUser, hall_id: int | None, agency: str | None) -> str:
    if not user.has_role(EDITOR):
        if hall_id is None:
            raise errors.HallRequired()
        if not user.can_serve(hall_id):
            raise Forbidden("只能为本人所在大厅发布公告", details={"hall_id": hall_id})
    if hall_id is None:
        return (await agency_names()).get(agency or "", "")
    try:
        return str((await appointments_service.get_hall(hall_id))["name"])
    except appointments_service.HallNotFound:
        raise errors.UnknownHall(details={"hall_id": hall_id}) from None


async def _agency_code(agency: str | None) -> str | None:
    """The agency's code, named by its code or its name (罗湖区教育局), as topics take their labels."""
    if agency is None:
        return None
    code = (await service_catalog.agency_spellings()).get(agency.strip())
    if code is None:
        raise ValidationFailed.field("agency", f"未知的发布机构：{agency}", code="unknown_agency")
    return code


def _divisions(values: list[str]) -> list[str]:
    codes = []
    for value in values:
        code = canonical_division(value)
        if code is None:
            raise ValidationFailed.field("divisions", f"区划代码格式不正确：{value}", code="invalid_division")
        codes.append(code)
    return codes


async def create_notice(fields: Mapping[str, Any], *, user: CurrentUser) -> dict[str, Any]:
    """POST /notices: publish now; subscribers hear of it unless ``notify`` is false."""
    agency = await _agency_code(fields.get("agency"))
    source = await _source(user, fields.get("hall_id"), agency)
    facts = ItemFacts.build(topic=fields.get("topic"), agency=agency,
                            divisions=_divisions(fields.get("divisions") or []),
                            industries=fields.get("industries") or [], sizes=fields.get("sizes") or [])
    async with storage.transaction() as conn:
        notice = await Notice.create(title=fields["title"], body=fields["body"], hall_id=fields.get("hall_id"),
                                     source=source[:64], facts=facts.as_dict(), author_id=user.id,
                                     published_at=clock.now(), using_db=conn)
        payload: dict[str, Any] = {"kind": "notice", "id": notice.id}
        if not fields.get("notify", True):
            payload["notify"] = False
        await outbox.enqueue(NOTICE_PUBLISHED, payload, dedup_key=f"{NOTICE_PUBLISHED}:{notice.id}", using_db=conn)
    audit.changed(target=f"notice_id={notice.id}", before=None, after=audit.fields(notice, LOGGED_FIELDS))
    return view(notice)


async def withdraw_notice(notice_id: int, *, user: CurrentUser, reason: str) -> dict[str, Any]:
    """POST /notices/{id}/withdraw: editors any notice, staff their halls' notices."""
    async with storage.transaction() as conn:
        notice = await Notice.filter(id=notice_id).select_for_update().using_db(conn).first()
        if notice is None:
            raise errors.NoticeNotFound(details={"notice_id": notice_id})
        if not user.has_role(EDITOR) and (notice.hall_id is None or not user.can_serve(notice.hall_id)):
            raise Forbidden("只能撤回本人所在大厅的公告", details={"notice_id": notice_id})
        if notice.status == "withdrawn":
            raise errors.NoticeWithdrawn(details={"notice_id": notice_id})
        before = audit.fields(notice, LOGGED_FIELDS)
        notice.status, notice.withdrawn_at, notice.withdrawn_reason = "withdrawn", clock.now(), reason
        await notice.save(using_db=conn)
        await outbox.enqueue(NOTICE_WITHDRAWN, {"kind": "notice", "id": notice.id}, using_db=conn)
    audit.changed(target=f"notice_id={notice.id}", before=before, after=audit.fields(notice, LOGGED_FIELDS))
    return view(notice)


async def get_notice(notice_id: int) -> dict[str, Any]:
    """GET /notices/{id}: public; a withdrawn notice says so without its text."""
    notice = await Notice.get_or_none(id=notice_id)
    if notice is None:
        raise errors.NoticeNotFound(details={"notice_id": notice_id})
    return view(notice)


async def list_notices(*, hall_id: int | None, cursor: str | None, limit: int) -> dict[str, Any]:
    """GET /notices: published notices, newest first (optionally one hall's)."""
    query = Notice.filter(status="published")
    if hall_id is not None:
        query = query.filter(hall_id=hall_id)
    rows, next_cursor = await paging.newest_first(query, field="published_at", cursor=cursor, scope="notices",
                                                  limit=limit)
    return {"items": [view(r) for r in rows], "next_cursor": next_cursor}
