"""Queries on gazette documents, agencies, issues, tags and links (no business rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from bulletin import errors
from bulletin.html import plain_text
from bulletin.repository_search import IndexEntry
from bulletin.search_tokens import search_fields
from bulletin.tables import Agency, Document, DocumentTag, InterpretationLink, Issue

TAG_KINDS = {"divisions": "division", "industries": "industry", "sizes": "size"}


async def document_or_404(document_id: int, *, using_db: BaseDBAsyncClient | None = None,
                          for_update: bool = False) -> Document:
    """The document with this id in any status, or 404."""
    query = Document.filter(id=document_id)
    if for_update:
        query = query.select_for_update()
    document = await query.using_db(using_db).first()
    if document is None:
        raise errors.DocumentNotFound(details={"document_id": document_id})
    return document


async def agencies_by_id() -> dict[int, Agency]:
    """Every agency by id (a small table, read whole)."""
    return {a.id: a for a in await Agency.all().order_by("sort_order", "id")}


async def agency_by_code(code: str, *, using_db: BaseDBAsyncClient | None = None) -> Agency:
    """The agency with this code (or this name, as topics take labels), or 422 unknown_agency."""
    agency = await Agency.filter(Q(code=code) | Q(name=code)).using_db(using_db).first()
    if agency is None:
        raise errors.UnknownAgency(details={"fields": [{"field": "agency", "in": "body",
                                                         "code": "unknown_agency", "message": code}]})
    return agency


async def issue_or_422(issue_id: int, *, using_db: BaseDBAsyncClient | None = None) -> Issue:
    """The issue a document is placed in, or 422 unknown_issue."""
    issue = await Issue.filter(id=issue_id).using_db(using_db).first()
    if issue is None:
        raise errors.UnknownIssue(details={"issue_id": issue_id})
    return issue


async def replace_tags(document_id: int, tags: Mapping[str, Iterable[str]], *,
                       conn: BaseDBAsyncClient) -> None:
    """Replace the given tag kinds (divisions, industries, sizes) of a document."""
    for field, values in tags.items():
        kind = TAG_KINDS[field]
        await DocumentTag.filter(document_id=document_id, kind=kind).using_db(conn).delete()
        rows = [DocumentTag(document_id=document_id, kind=kind, value=v) for v in dict.fromkeys(values)]
        if rows:
            await DocumentTag.bulk_create(rows, using_db=conn)


async def tags_of(document_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """{document_id: {"divisions": [...], "industries": [...], "sizes": [...]}}."""
    result: dict[int, dict[str, list[str]]] = {
        i: {field: [] for field in TAG_KINDS} for i in document_ids
    }
    fields_by_kind = {kind: field for field, kind in TAG_KINDS.items()}
    rows = await DocumentTag.filter(document_id__in=list(document_ids)).order_by("id")
    for row in rows:
        result[row.document_id][fields_by_kind[row.kind]].append(row.value)
    return result


async def interpretation_links(document_id: int) -> tuple[list[Document], list[Document]]:
    """(interpretations of this document, documents this interpretation covers), published only."""
    links = await InterpretationLink.filter(
        Q(document_id=document_id) | Q(interpretation_id=document_id)).order_by("id")
    ids = {link.interpretation_id if link.document_id == document_id else link.document_id
           for link in links}
    docs = {d.id: d for d in await Document.filter(id__in=list(ids), status="published")}
    interpretations = [docs[link.interpretation_id] for link in links
                       if link.document_id == document_id and link.interpretation_id in docs]
    covered = [docs[link.document_id] for link in links
               if link.interpretation_id == document_id and link.document_id in docs]
    return interpretations, covered


async def replace_interpretations(document_id: int, interpretation_ids: Sequence[int], *,
                                  conn: BaseDBAsyncClient) -> None:
    """Exactly these interpretations cover the document from now on."""
    await InterpretationLink.filter(document_id=document_id).using_db(conn).delete()
    rows = [InterpretationLink(document_id=document_id, interpretation_id=i)
            for i in dict.fromkeys(interpretation_ids)]
    if rows:
        await InterpretationLink.bulk_create(rows, using_db=conn)


async def neighbours_in_issue(document: Document) -> tuple[Document | None, Document | None]:
    """The published documents before and after this one in its issue's table of contents."""
    if document.issue_id is None:
        return None, None
    siblings = await Document.filter(issue_id=document.issue_id, status="published").order_by(
        "issue_order", "id").only("id", "title", "kind", "doc_number", "published_on", "issue_order")
    ids = [d.id for d in siblings]
    if document.id not in ids:
        return None, None
    at = ids.index(document.id)
    return (siblings[at - 1] if at > 0 else None), (siblings[at + 1] if at + 1 < len(ids) else None)


def index_entry(document: Document) -> IndexEntry:
    """What the search engines index for a published document."""
    return IndexEntry(document.id, search_fields(title=document.title, doc_number=document.doc_number,
                                                 summary=document.summary, body_text=document.body_text))


def body_text_of(body_html: str) -> str:
    """Plain text of a sanitised body, for search and snippets."""
    return plain_text(body_html)
