"""Keyset cursors past 10 000 results: every document exactly once, in order, with an exact total."""

from __future__ import annotations

from datetime import date, timedelta

from bulletin import repository_bulk
from bulletin.service_search import SearchParams, search_documents
from bulletin.tables import Agency, Document
from server import clock

COUNT = 10_050
LIMIT = 100


async def _generated_set() -> dict[int, tuple[int, date]]:
    """COUNT published documents mentioning 补贴; every 7th has it in the title. {id: (tier, day)}."""
    agency = await Agency.get(code="lhrlj")
    now = clock.now()
    rows = []
    for n in range(COUNT):
        in_title = n % 7 == 0
        title = f"关于发放第{n}批就业补贴的通知" if in_title else f"关于第{n}批就业见习的通知"
        # Few distinct dates, so most of the order is decided by the id tie-break.
        rows.append(Document(title=title, index_number=f"PAGE-{n:05d}", agency_id=agency.id, doc_type="notice",
                             validity="valid", published_on=date(2024, 1, 1) + timedelta(days=n % 37),
                             summary="", body="按规定发放补贴。", body_format="markdown", body_html="",
                             body_text="按规定发放补贴。", status="published", published_at=now, created_at=now,
                             updated_at=now))
    ids = await repository_bulk.insert_published(rows)
    return {i: (2 if n % 7 == 0 else 0, rows[n].published_on) for n, i in enumerate(ids)}


async def _walk(**params) -> tuple[list[int], set[int]]:
    seen: list[int] = []
    totals = set()
    cursor = None
    while True:
        page = await search_documents(SearchParams(limit=LIMIT, cursor=cursor, **params), use_cache=False)
        totals.add(page["total"])
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, totals


async def test_relevance_and_oldest_orders_page_through_more_than_ten_thousand_rows(db):
    expected = await _generated_set()
    by_relevance, totals = await _walk(q="补贴")
    assert totals == {COUNT}
    assert len(by_relevance) == COUNT and set(by_relevance) == set(expected)
    keys = [(expected[i][0], expected[i][1], i) for i in by_relevance]
    assert keys == sorted(keys, reverse=True)  # title matches first, then newest, then highest id
    by_date, totals = await _walk(sort="oldest")
    assert totals == {COUNT}
    assert by_date == sorted(expected, key=lambda i: (expected[i][1], i))
