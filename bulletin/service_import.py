"""Loading an archive of issues and documents (bianmin import-gazette), idempotent by 索引号."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from tortoise.exceptions import IntegrityError

from bulletin import cache, errors, repository, repository_search
from bulletin.service_editing import apply_fields, mark_published, save, tags_in
from bulletin.tables import Document, Issue
from server import clock, storage

Outcome = Literal["created", "updated", "unchanged", "kept_withdrawn"]
_COMPARED = ("kind", "title", "doc_number", "agency_id", "topic", "doc_type", "disclosure", "validity",
             "effective_from", "effective_to", "written_on", "published_on", "summary", "body",
             "body_format", "issue_id", "section", "issue_order")


async def upsert_issue(fields: Mapping[str, Any]) -> Issue:
    """Create the issue (year, number) or bring its title, dates and sections up to date."""
    values = {k: fields[k] for k in ("total_number", "title", "published_on")}
    values["sections"] = list(fields.get("sections") or [])
    try:
        issue, created = await Issue.get_or_create(
            year=fields["year"], number=fields["number"], defaults={**values, "created_at": clock.now()})
        if not created and any(getattr(issue, k) != v for k, v in values.items()):
            await Issue.filter(id=issue.id).update(**values)
    except IntegrityError:
        raise errors.IssueExists(details={"year": fields["year"], "number": fields["number"],
                                          "total_number": fields["total_number"]}) from None
    return issue


async def issue_ids() -> dict[str, int]:
    """{"YEAR-NUMBER": issue id} for every issue."""
    return {f"{i.year}-{i.number}": i.id for i in await Issue.all()}


def _snapshot(document: Document) -> dict[str, Any]:
    return {name: getattr(document, name) for name in _COMPARED}


async def import_document(fields: Mapping[str, Any], *, publish: bool, notify: bool) -> Outcome:
    """Create or update the document with this 索引号; publish it when the file says so."""
    async with storage.transaction() as conn:
        document = await Document.filter(index_number=fields["index_number"]).select_for_update().using_db(
            conn).first()
        if document is not None and document.status == "withdrawn":
            return "kept_withdrawn"  # an archive re-import never brings back what an editor withdrew
        outcome: Outcome = "created" if document is None else "updated"
        now = clock.now()
        if document is None:
            document = Document(status="draft", created_at=now, updated_at=now)
            before: dict[str, Any] | None = None
            tags_before: dict[str, list[str]] = {}
        else:
            before = _snapshot(document)
            tags_before = (await repository.tags_of([document.id]))[document.id]
        await apply_fields(document, fields, conn=conn)
        tags = tags_in(fields)
        publish_now = publish and document.status == "draft"
        tags_changed = any(sorted(tags_before.get(k, [])) != sorted(v) for k, v in tags.items())
        if before == _snapshot(document) and not tags_changed and not publish_now:
            return "unchanged"
        document.updated_at = now
        if document.status == "published":
            document.corrected_at = now  # the archive corrects a published document
        await save(document, conn=conn)
        await repository.replace_tags(document.id, tags, conn=conn)
        if publish_now:
            await mark_published(document, notify=notify, conn=conn)
        elif document.status == "published":
            await repository_search.upsert([repository.index_entry(document)], conn=conn)
    if document.status == "published":
        await cache.bump()
    return outcome
