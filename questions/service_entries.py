"""Keeping the 一号答 knowledge base: editors (any department) and answerers (their departments)
create, edit, publish and retire entries. A published entry is in search; a retired one is not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from appointments import service as appointments
from bulletin import service as gazette
from geo import service as geo
from questions import errors, present, repository, service_categories, service_departments
from questions.tables import Entry
from server import clock, storage
from server.auth import CurrentUser

LINK_FIELDS = ("services", "halls", "pois", "documents")


async def entry_or_404(entry_id: int, *, for_update: bool = False, conn: Any = None) -> Entry:
    rows = Entry.filter(id=entry_id)
    if conn is not None:
        rows = rows.using_db(conn)
    entry = await (rows.select_for_update().first() if for_update else rows.first())
    if entry is None:
        raise errors.EntryNotFound(details={"entry_id": entry_id})
    return entry


async def _unknown_links(links: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """Linked ids that the other domains do not know."""
    unknown: dict[str, list[int]] = {}
    if links.get("halls") or links.get("services"):
        halls = await appointments.list_halls(include_inactive=True)
        unknown["halls"] = [i for i in links.get("halls") or () if i not in {h["id"] for h in halls}]
        services = {s["id"] for h in halls for s in await appointments.list_services(h["id"])}
        unknown["services"] = [i for i in links.get("services") or () if i not in services]
    if links.get("pois"):
        unknown["pois"] = [i for i in links["pois"] if await geo.get_poi(i) is None]
    if links.get("documents"):
        published = {d["id"] for d in await gazette.documents_by_id(list(links["documents"]))
                     if d["status"] == "published"}
        unknown["documents"] = [i for i in links["documents"] if i not in published]
    return {name: ids for name, ids in unknown.items() if ids}


async def _checked(changes: Mapping[str, Any], *, user: CurrentUser) -> dict[str, Any]:
    values = dict(changes)
    if "category" in values:
        values["category"] = await service_categories.check(values["category"])
    if values.get("department_id") is not None:
        await service_departments.department_or_404(values["department_id"])
    if "department_id" in values:
        await service_departments.require_department(user, values["department_id"])
    unknown = await _unknown_links({k: values[k] for k in LINK_FIELDS if k in values})
    if unknown:
        raise errors.ValidationFailed(details={"fields": [
            {"field": name, "in": "body", "code": "unknown_link", "message": f"unknown ids {ids}"}
            for name, ids in unknown.items()]})
    if "answer" in values:
        values["answer_html"] = gazette.markdown_to_html(values["answer"])
        values["answer_text"] = gazette.plain_text(values["answer_html"])
    return values


async def view(entry: Entry) -> dict[str, Any]:
    return present.editable_entry(entry, categories=await service_categories.labels(),
                                  departments=await service_departments.names())


async def create_entry(fields: Mapping[str, Any], *, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/entries: a draft (answerers only in their own departments)."""
    values = await _checked({"department_id": None, **fields}, user=user)
    now = clock.now()
    entry = await Entry.create(**values, status="draft", created_by=user.id, created_at=now, updated_at=now)
    return await view(entry)


async def update_entry(entry_id: int, changes: Mapping[str, Any], *, user: CurrentUser) -> dict[str, Any]:
    """PATCH /questions/entries/{id}: a published entry is re-indexed at once."""
    entry = await entry_or_404(entry_id)
    await service_departments.require_department(user, entry.department_id)
    values = await _checked(changes, user=user)
    async with storage.transaction() as conn:
        entry = await entry_or_404(entry_id, for_update=True, conn=conn)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.updated_at = clock.now()
        await entry.save(using_db=conn)
        if entry.status == "published":
            await repository.index_entry(entry.id, question=entry.question, answer_text=entry.answer_text, conn=conn)
    return await view(entry)


async def _move(entry_id: int, *, user: CurrentUser, to: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    entry = await entry_or_404(entry_id)
    await service_departments.require_department(user, entry.department_id)
    async with storage.transaction() as conn:
        entry = await entry_or_404(entry_id, for_update=True, conn=conn)
        if entry.status not in allowed:
            raise errors.StatusConflict(details={"status": entry.status, "wanted": to})
        entry.status, entry.updated_at = to, clock.now()
        if to == "published":
            entry.published_at = entry.updated_at
            await repository.index_entry(entry.id, question=entry.question, answer_text=entry.answer_text, conn=conn)
        else:
            await repository.unindex_entry(entry.id, conn=conn)
        await entry.save(using_db=conn)
    return await view(entry)


async def publish_entry(entry_id: int, *, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/entries/{id}/publish: a draft or retired entry goes into search."""
    return await _move(entry_id, user=user, to="published", allowed=("draft", "retired"))


async def retire_entry(entry_id: int, *, user: CurrentUser) -> dict[str, Any]:
    """POST /questions/entries/{id}/retire: out of search and off the public pages."""
    return await _move(entry_id, user=user, to="retired", allowed=("published", "draft"))


async def get_entry(entry_id: int, *, user: CurrentUser) -> dict[str, Any]:
    """GET /questions/editor/entries/{id}."""
    entry = await entry_or_404(entry_id)
    await service_departments.require_department(user, entry.department_id)
    return await view(entry)


async def editor_entries(*, user: CurrentUser, status: str | None, category: str | None,
                         limit: int, after: int | None) -> dict[str, Any]:
    """GET /questions/editor/entries: newest first, within the caller's departments."""
    rows = Entry.all()
    scope = await service_departments.scope_of(user)
    if scope is not None:
        rows = rows.filter(department_id__in=sorted(scope))
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if after is not None:
        rows = rows.filter(id__lt=after)
    found = await rows.order_by("-id").limit(limit + 1)
    categories, departments = await service_categories.labels(), await service_departments.names()
    items = [present.editable_entry(e, categories=categories, departments=departments) for e in found[:limit]]
    return {"items": items, "next_cursor": str(found[limit - 1].id) if len(found) > limit else None}

