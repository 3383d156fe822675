"""Agencies, topics and issues (期) with their tables of contents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count

from bulletin import errors, present
from bulletin.model import TOPICS
from bulletin.repository import agencies_by_id
from bulletin.tables import Agency, Document, Issue
from server import clock

UNSECTIONED = "其他"


async def agency_options() -> list[dict[str, str]]:
    """GET /agencies: the agencies as a vocabulary, {value: code, label: name}, like every other one."""
    return [present.agency(a) for a in (await agencies_by_id()).values()]


async def agency_spellings() -> dict[str, str]:
    """Every way to name an agency (its code or its name) to its code: filters accept both, as for topics."""
    return {spelling: a.code for a in (await agencies_by_id()).values() for spelling in (a.code, a.name)}


async def create_agency(*, code: str, name: str) -> dict[str, str]:
    """POST /agencies: a new issuing agency (code and name unique)."""
    try:
        agency = await Agency.create(code=code, name=name, created_at=clock.now())
    except IntegrityError:
        raise errors.AgencyExists(details={"code": code, "name": name}) from None
    return present.agency(agency)


def list_topics() -> list[dict[str, str]]:
    """GET /topics: the subject classification (主题分类) as codes with Chinese names."""
    return TOPICS.options()


async def create_issue(fields: Mapping[str, Any]) -> dict[str, Any]:
    """POST /issues: a new issue of the gazette."""
    try:
        issue = await Issue.create(**fields, created_at=clock.now())
    except IntegrityError:
        raise errors.IssueExists(details={k: fields[k] for k in ("year", "number", "total_number")}) from None
    return present.issue(issue, document_count=0)


async def list_issues(*, year: int | None) -> list[dict[str, Any]]:
    """GET /issues?year=: issues newest first, with how many published documents each holds."""
    query = Issue.all() if year is None else Issue.filter(year=year)
    issues = await query.order_by("-year", "-number")
    counts = dict(await Document.filter(status="published", issue_id__in=[i.id for i in issues])
                  .annotate(n=Count("id")).group_by("issue_id").values_list("issue_id", "n"))
    return [present.issue(i, document_count=counts.get(i.id, 0)) for i in issues]


async def get_issue(issue_id: int) -> dict[str, Any]:
    """GET /issues/{id}: the issue and its table of contents, by section."""
    issue = await Issue.get_or_none(id=issue_id)
    if issue is None:
        raise errors.IssueNotFound(details={"issue_id": issue_id})
    documents = await Document.filter(issue_id=issue_id, status="published").order_by("issue_order", "id")
    agencies = await agencies_by_id()
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in issue.sections or []}
    for document in documents:
        sections.setdefault(document.section or UNSECTIONED, []).append(present.summary(document, agencies))
    view = present.issue(issue, document_count=len(documents))
    view["contents"] = [{"section": name, "documents": docs} for name, docs in sections.items() if docs]
    return view
