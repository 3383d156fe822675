"""Queries of subscriptions, lists and feed items (no business rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient

from bulletin.feeds import sql
from bulletin.feeds.model import Criteria, anchor_word, index_terms, required_words
from bulletin.feeds.tables import (
    FeedItem,
    ItemList,
    Keyword,
    ListTerm,
    Membership,
    SubscriberList,
    Subscription,
)
from server import clock, storage

KEYWORD_LOOKUP_CHUNK = 500


def dialect(conn: BaseDBAsyncClient | None = None) -> sql.Dialect:
    """"postgres" or "sqlite" for this connection."""
    return (conn or storage.db()).capabilities.dialect  # type: ignore[return-value]


async def execute(statement: tuple[str, list[Any]], conn: BaseDBAsyncClient | None = None) -> int:
    """Run an INSERT/UPDATE/DELETE; returns the number of rows it changed."""
    text, values = statement
    client = conn or storage.db()
    if dialect(client) == "postgres" and text.lstrip().upper().startswith("INSERT"):
        # Tortoise reads the OID of PostgreSQL's "INSERT oid count" status as the count.
        rows = await client.execute_query_dict(f"WITH w AS ({text} RETURNING 1) SELECT count(*) AS n FROM w", values)
        return int(rows[0]["n"])
    count, _ = await client.execute_query(text, values)
    return count


async def fetch(statement: tuple[str, list[Any]], conn: BaseDBAsyncClient | None = None) -> list[dict[str, Any]]:
    """Run a SELECT; rows as dicts."""
    text, values = statement
    return await (conn or storage.db()).execute_query_dict(text, values)


def as_datetime(value: Any) -> datetime:
    """A timestamp read by raw SQL (SQLite gives text)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


async def find_or_create_list(criteria: Criteria, *, conn: BaseDBAsyncClient) -> int:
    """The id of the list with exactly these criteria, created (with its index terms) if missing.

    INSERT ... ON CONFLICT DO NOTHING, so two people choosing new identical criteria at the same
    moment end up on one list instead of one of them failing.
    """
    key = criteria.key()
    statement = sql.insert_list(dialect=dialect(conn), key=key, criteria=orjson.dumps(criteria.as_dict()).decode(),
                                count=criteria.count, now=clock.now())
    created = await execute(statement, conn)
    row = await SubscriberList.filter(key=key).using_db(conn).only("id").first()
    assert row is not None
    if created:
        terms = [ListTerm(list_id=row.id, criterion=c, value=v) for c, v in index_terms(criteria)]
        await ListTerm.bulk_create(terms, ignore_conflicts=True, using_db=conn)
        await register_keywords(criteria.keywords, conn=conn)
    return row.id


async def register_keywords(keywords: Iterable[str], *, conn: BaseDBAsyncClient) -> None:
    """Remember each keyword's required words and anchor word (once per keyword)."""
    rows = [Keyword(keyword=k, anchor=anchor_word(k), words=" ".join(required_words(k))) for k in keywords]
    if rows:
        await Keyword.bulk_create(rows, ignore_conflicts=True, using_db=conn)


async def keywords_matching(tokens: set[str], *, conn: BaseDBAsyncClient | None = None) -> list[str]:
    """The stored keywords a document satisfies: looked up by anchor word, then checked word by word."""
    found: list[str] = []
    ordered = sorted(tokens)
    for start in range(0, len(ordered), KEYWORD_LOOKUP_CHUNK):
        chunk = ordered[start:start + KEYWORD_LOOKUP_CHUNK]
        rows = await Keyword.filter(anchor__in=chunk).using_db(conn).values_list("keyword", "words")
        found.extend(k for k, words in rows if all(w in tokens for w in words.split(" ")))
    return sorted(set(found))


async def list_criteria(list_ids: Iterable[int]) -> dict[int, Criteria]:
    """{list id: criteria}."""
    rows = await SubscriberList.filter(id__in=list(set(list_ids))).values_list("id", "criteria")
    return {list_id: Criteria.from_dict(criteria) for list_id, criteria in rows}


async def match_lists(item_id: int, probes: Mapping[str, Sequence[str]], *, conn: BaseDBAsyncClient) -> int:
    """Record the lists an item matches (one statement over the term index); returns how many are new."""
    return await execute(sql.match_lists(dialect=dialect(conn), item_id=item_id, probes=probes), conn)


async def audience(probes: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """{accounts, immediate}: who an item with these probes would reach (one statement, nothing written)."""
    row = (await fetch(sql.audience(dialect=dialect(), probes=probes)))[0]
    return {"accounts": int(row["accounts"] or 0), "immediate": int(row["immediate"] or 0)}


async def recipients(item_id: int, *, after: int) -> list[tuple[int, int]]:
    """[(account id, most urgent rank)] of every account the item goes to after ``after``, in id order."""
    rows = await fetch(sql.recipients(dialect=dialect(), item_id=item_id, after=after))
    return [(int(r["user_id"]), int(r["rank"])) for r in rows]


async def insert_entries(item: FeedItem, batch: Sequence[tuple[int, int]], *, conn: BaseDBAsyncClient) -> None:
    """One entry per (account, rank) of the batch; existing entries are kept."""
    text, values = sql.insert_entries(dialect=dialect(conn), item_id=item.id, batch=batch,
                                      published_at=item.published_at, now=clock.now(), digest=item.notify)
    await conn.execute_query(text, values)


async def feed_page(user_id: int, *, before: tuple[datetime, int] | None, limit: int) -> list[dict[str, Any]]:
    """Rows of an account's feed, newest first, strictly after a keyset position."""
    rows = await fetch(sql.feed_page(dialect=dialect(), user_id=user_id, before=before, limit=limit))
    for row in rows:
        row["published_at"] = as_datetime(row["published_at"])
        row["read"] = bool(row["read"])
    return rows


async def account_lists(user_id: int) -> list[tuple[int, int, int | None]]:
    """[(subscription id, list id, enterprise id)] whose matches reach this account's feed."""
    own = await Subscription.filter(user_id=user_id).values_list("id", "list_id")
    enterprises = await Membership.filter(user_id=user_id, notify=True,
                                          enterprise__status="verified").values_list("enterprise_id", flat=True)
    shared = await Subscription.filter(enterprise_id__in=list(enterprises)).values_list(
        "id", "list_id", "enterprise_id") if enterprises else []
    return [(s, lst, None) for s, lst in own] + [(s, lst, e) for s, lst, e in shared]


async def item_lists(item_ids: Sequence[int], list_ids: Sequence[int]) -> list[tuple[int, int]]:
    """[(item id, list id)] among these items and lists."""
    if not item_ids or not list_ids:
        return []
    return await ItemList.filter(item_id__in=list(item_ids), list_id__in=list(set(list_ids))).values_list(
        "item_id", "list_id")
