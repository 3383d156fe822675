"""Readers' search (全文检索): matches, ranking, facets with counts, keyset cursors, snippets."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import orjson

from bulletin import cache, errors, present, repository_search, snapshots
from bulletin.facet_counts import FACETS, Filters, Selection, Sort, Tiers, pack, select
from bulletin.model import (
    DISCLOSURES,
    DOC_TYPES,
    TOPICS,
)
from bulletin.query import Term, to_fts5_match, to_pg_tsquery
from bulletin.repository import agencies_by_id
from bulletin.search_tokens import ParsedQuery, parse_query, text_query
from bulletin.snippets import snippet
from bulletin.tables import Agency, Document
from server import paging, storage

SNIPPET_CHARS = 120


@dataclass(frozen=True)
class SearchParams:
    """A search request after parsing: the query, the filters (agencies by code or name), the page."""

    q: str = ""
    filters: Filters = Filters()
    sort: Sort | None = None
    limit: int = 20
    cursor: str | None = None

    def fingerprint(self) -> str:
        """Identifies the result set (not the page), so a cursor only works for its own search."""
        fields = {k: v for k, v in asdict(self).items() if k not in ("limit", "cursor")}
        raw = orjson.dumps(fields, default=str, option=orjson.OPT_SORT_KEYS)
        return hashlib.blake2b(raw, digest_size=9).hexdigest()


async def search_documents(params: SearchParams, *, use_cache: bool = True) -> dict[str, Any]:
    """GET /documents: a page of published documents with total, facets and next_cursor."""
    sort: Sort = params.sort or ("relevance" if params.q.strip() else "newest")
    scope = f"{sort}:{params.fingerprint()}"
    after = _after(params.cursor, scope=scope, sort=sort)
    stamp = await cache.version() if use_cache else None
    cache_name = f"search:{scope}:{params.cursor or ''}:{params.limit}"
    if stamp is not None and (cached := await cache.get(stamp, cache_name)) is not None:
        return cached
    agencies = await agencies_by_id()
    filters = _filters(params, agencies)
    query = parse_query(params.q) if params.q.strip() else None
    if params.q.strip() and query is None:
        return _empty(params, agencies)
    found, query = await _select(query, filters=filters, sort=sort, after=after, limit=params.limit + 1)
    page = found.keys[: params.limit]
    result = {
        "items": await _items([k[2] for k in page], query, agencies),
        "total": found.total,
        "facets": _facets(found.facets, params, agencies),
        "next_cursor": _cursor(page[-1], scope=scope, sort=sort) if len(found.keys) > params.limit else None,
    }
    if stamp is not None:
        await cache.put(stamp, cache_name, result)
    return result


async def _select(query: ParsedQuery | None, *, filters: Filters, sort: Sort, after: int | None,
                  limit: int) -> tuple[Selection, ParsedQuery | None]:
    if query is None:
        return select(await snapshots.current(), matched=None, tiers=None, filters=filters, sort=sort,
                      after=after, limit=limit), None
    exact: list[int] = []
    if query.doc_number is not None:
        exact = list(await Document.filter(doc_number_norm=query.doc_number, status="published").values_list(
            "id", flat=True))
    found = await repository_search.match(_expression(query.terms), tiers=sort == "relevance")
    if query.doc_number is not None and not len(found.ids):
        # Nobody states or cites this 文号: search its words instead.
        query = text_query(query.text)
        if query is None:
            return Selection(keys=[], total=0, facets={}), None
        found = await repository_search.match(_expression(query.terms), tiers=sort == "relevance")
    tiers = None
    if found.title is not None and found.head is not None:
        tiers = Tiers(exact=np.asarray(exact, dtype=np.int64), title=found.title, head=found.head)
    snapshot = await snapshots.current(found.token)
    return select(snapshot, matched=found.ids, tiers=tiers, filters=filters, sort=sort, after=after,
                  limit=limit), query


def _expression(terms: tuple[Term, ...]) -> str:
    return to_pg_tsquery(terms) if storage.dialect() == "postgres" else to_fts5_match(terms)


def _agency_ids(values: tuple[int | str, ...], agencies: dict[int, Agency]) -> tuple[int, ...]:
    """The agencies named by code or by name (as topics and types are), or 422 unknown_agency."""
    by_spelling = {spelling: a.id for a in agencies.values() for spelling in (a.code, a.name)}
    unknown = [value for value in values if value not in by_spelling]
    if unknown:
        raise errors.UnknownAgency(details={"fields": [{"field": "agency", "in": "query",
                                                         "code": "unknown_agency", "message": ",".join(unknown)}]})
    return tuple(by_spelling[value] for value in values)


def _filters(params: SearchParams, agencies: dict[int, Agency]) -> Filters:
    return replace(params.filters, agency=_agency_ids(params.filters.agency, agencies))


def _after(cursor: str | None, *, scope: str, sort: Sort) -> int | None:
    if not cursor:
        return None
    try:
        key = paging.decode_cursor(cursor, scope=scope)
        if sort == "relevance":
            tier, day, doc_id = key
        else:
            tier, (day, doc_id) = 0, key
        return pack(int(tier), date.fromisoformat(str(day)), int(doc_id))  # type: ignore[arg-type]
    except (ValueError, TypeError, OverflowError):
        raise errors.InvalidCursor("cursor is not valid for this search") from None


def _cursor(key: tuple[int, date, int], *, scope: str, sort: Sort) -> str:
    tier, day, doc_id = key
    values = (tier, day.isoformat(), doc_id) if sort == "relevance" else (day.isoformat(), doc_id)
    return paging.encode_cursor(values, scope=scope)


_LISTED = ("id", "kind", "status", "title", "doc_number", "agency_id", "topic", "doc_type", "disclosure",
           "validity", "published_on", "summary", "body_text")


async def _items(ids: list[int], query: ParsedQuery | None, agencies: dict[int, Agency]) -> list[dict[str, Any]]:
    documents = {d.id: d for d in await Document.filter(id__in=ids).only(*_LISTED)}
    needles = query.highlights if query else ()
    items = []
    for doc_id in ids:
        document = documents[doc_id]
        item = present.summary(document, agencies)
        item["title_html"] = snippet(document.title, needles, length=len(document.title) + 1)
        item["snippet"] = _snippet(document, needles)
        items.append(item)
    return items


def _snippet(document: Document, needles: tuple[str, ...]) -> str:
    # The body around the first match, else the summary's match, else the start of the body.
    texts = [text for text in (document.body_text, document.summary) if text]
    for text in texts:
        candidate = snippet(text, needles, length=SNIPPET_CHARS)
        if "<em>" in candidate or not needles:
            return candidate
    return snippet(texts[0], (), length=SNIPPET_CHARS) if texts else ""


def _facets(counts: dict[str, dict[str, int]], params: SearchParams,
            agencies: dict[int, Agency]) -> dict[str, list[dict[str, Any]]]:
    by_id = {str(a.id): a for a in agencies.values()}
    chosen = params.filters
    selected = {"agency": [str(agency_id) for agency_id in _agency_ids(chosen.agency, agencies)],
                "topic": list(chosen.topic), "doc_type": list(chosen.doc_type),
                "disclosure": list(chosen.disclosure), "year": [str(y) for y in chosen.year]}
    facets: dict[str, list[dict[str, Any]]] = {}
    for name in FACETS:
        values = dict(counts.get(name, {}))
        for value in selected[name]:
            values.setdefault(value, 0)  # a chosen value stays visible even when nothing is left
        facets[name] = sorted(
            (_facet_value(name, value, count, by_id) for value, count in values.items()),
            key=lambda f: (-f["count"], str(f["value"])) if name != "year" else (-int(f["value"]),))
    return facets


def _facet_value(name: str, value: str, count: int, agencies: dict[str, Agency]) -> dict[str, Any]:
    if name == "agency":
        agency = agencies[value]
        return {"value": agency.code, "label": agency.name, "count": count}
    if name == "year":
        return {"value": value, "label": f"{value}年", "count": count}
    vocabulary = {"topic": TOPICS, "doc_type": DOC_TYPES, "disclosure": DISCLOSURES}[name]
    label = vocabulary.label(value) if value in vocabulary else value
    return {"value": value, "label": label, "count": count}


def _empty(params: SearchParams, agencies: dict[int, Agency]) -> dict[str, Any]:
    return {"items": [], "total": 0, "facets": _facets({}, params, agencies), "next_cursor": None}
