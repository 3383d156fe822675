"""Residents' side of 一号答: search with category facets, suggestions as one types, reading an
answer, "solved" / "not solved", and the direct-answer rate the console shows."""

from __future__ import annotations

import hashlib
from typing import Any

from tortoise.expressions import F, Q

from bulletin import service as gazette
from questions import errors, present, repository, service_categories, service_departments
from questions.repository import Hit
from questions.tables import Ask, Entry
from server import clock, paging, storage

SNIPPET_CHARS = 90
_LISTED = ("id", "question", "answer_text", "category", "solved", "department_id")


def _in_force() -> Q:
    today = clock.today()
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today))


async def _hits(q: str) -> tuple[list[Hit], tuple[str, ...]]:
    """Matching published entries in force, best first, and the strings to highlight."""
    if not q.strip():
        rows = await Entry.filter(_in_force(), status="published").values_list("id", "category", "solved")
        hits = [Hit(int(i), c, int(s), False) for i, c, s in rows]
        return sorted(hits, key=Hit.key), ()
    found = gazette.match(q, dialect=storage.dialect())
    if found is None:
        return [], ()
    return sorted(await repository.match(found.expression, today=clock.today()), key=Hit.key), found.highlights


def _scope(q: str, categories: tuple[str, ...]) -> str:
    return hashlib.blake2b(f"{q.strip()}\x1f{','.join(sorted(categories))}".encode(), digest_size=8).hexdigest()


def _after(cursor: str | None, scope: str) -> tuple[int, ...] | None:
    if not cursor:
        return None
    try:
        key = paging.decode_cursor(cursor, scope=scope)
        return tuple(int(v) for v in key)  # type: ignore[arg-type]
    except (paging.InvalidCursor, ValueError, TypeError):
        raise errors.ValidationFailed.field("cursor", "游标无效或不属于本次搜索", location="query",
                                            code="invalid_cursor") from None


async def search_answers(*, q: str, categories: tuple[str, ...] = (), limit: int = 20,
                         cursor: str | None = None) -> dict[str, Any]:
    """GET /questions/answers: entries matching q (question matches first), category facets, a page."""
    scope = _scope(q, categories)
    after = _after(cursor, scope)
    hits, needles = await _hits(q)
    labels = await service_categories.labels()
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.category] = counts.get(hit.category, 0) + 1
    chosen = [h for h in hits if not categories or h.category in categories]
    if after is not None:
        chosen = [h for h in chosen if h.key() > after]
    page = chosen[:limit]
    return {"items": await _items(page, needles, labels), "total": len(
        [h for h in hits if not categories or h.category in categories]),
            "facets": {"category": [{"value": c, "label": labels.get(c, c), "count": n}
                                    for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]},
            "next_cursor": paging.encode_cursor(list(page[-1].key()), scope=scope) if len(chosen) > limit else None}


async def _items(page: list[Hit], needles: tuple[str, ...], labels: dict[str, str]) -> list[dict[str, Any]]:
    entries = {e.id: e for e in await Entry.filter(id__in=[h.id for h in page]).only(*_LISTED)}
    items = []
    for hit in page:
        entry = entries[hit.id]
        items.append({"id": entry.id, "question": entry.question,
                      "question_html": gazette.highlight(entry.question, needles, length=len(entry.question) + 1),
                      "snippet": gazette.highlight(entry.answer_text, needles, length=SNIPPET_CHARS),
                      "category": {"value": entry.category, "label": labels.get(entry.category, entry.category)},
                      "solved": entry.solved, "question_matched": hit.in_question})
    return items


async def suggest(q: str, *, limit: int = 5) -> dict[str, Any]:
    """GET /questions/suggest: the best answers for what the resident has typed so far."""
    found = gazette.match(q, dialect=storage.dialect()) if q.strip() else None
    if found is None:
        return {"items": []}
    page, needles = await repository.best(found.expression, today=clock.today(), limit=limit), found.highlights
    entries = {e.id: e for e in await Entry.filter(id__in=[h.id for h in page]).only("id", "question", "category")}
    return {"items": [{"id": h.id, "question": entries[h.id].question, "category": entries[h.id].category,
                       "question_html": gazette.highlight(entries[h.id].question, needles,
                                                          length=len(entries[h.id].question) + 1)}
                      for h in page]}


async def read_answer(entry_id: int) -> dict[str, Any]:
    """GET /questions/answers/{id}: a published entry in force; each reading counts a view."""
    entry = await Entry.filter(_in_force(), id=entry_id, status="published").first()
    if entry is None:
        raise errors.EntryNotFound(details={"entry_id": entry_id})
    await Entry.filter(id=entry_id).update(views=F("views") + 1)
    entry.views += 1
    return present.public_entry(entry, categories=await service_categories.labels(),
                                departments=await service_departments.names())


async def record_feedback(entry_id: int, *, solved: bool, user_id: int) -> dict[str, Any]:
    """POST /questions/answers/{id}/feedback: "this solved it" or not; one vote per person and entry
    (a changed mind moves the vote). Each vote is a question asked, for the direct-answer rate."""
    outcome = "solved" if solved else "not_solved"
    async with storage.transaction() as conn:
        entry = await Entry.filter(id=entry_id, status="published").using_db(conn).select_for_update().first()
        if entry is None:
            raise errors.EntryNotFound(details={"entry_id": entry_id})
        ask = await Ask.filter(entry_id=entry_id, user_id=user_id).using_db(conn).first()
        if ask is None:
            ask = await Ask.create(entry_id=entry_id, category=entry.category, outcome=outcome, user_id=user_id,
                                   created_at=clock.now(), using_db=conn)
            await _count(entry_id, outcome, +1, conn)
        elif ask.outcome != outcome and ask.outcome in ("solved", "not_solved"):
            await _count(entry_id, ask.outcome, -1, conn)
            await _count(entry_id, outcome, +1, conn)
            ask.outcome = outcome
            await ask.save(using_db=conn, update_fields=["outcome"])
    entry = await Entry.get(id=entry_id)
    return {"ask_id": ask.id, "outcome": ask.outcome, "solved": entry.solved, "not_solved": entry.not_solved}


async def _count(entry_id: int, outcome: str, step: int, conn: Any) -> None:
    column = "solved" if outcome == "solved" else "not_solved"
    await Entry.filter(id=entry_id).using_db(conn).update(**{column: F(column) + step})
