"""The fan-out and feed statements as SQL text for PostgreSQL and SQLite (pure: text and parameters).

Matching a published item to subscriber lists is one statement over the term index: per
list, count the criteria with a hit and compare with the list's number of non-empty
criteria (lists without criteria match everything), and record the matched lists. The
accounts behind the matched lists (personal subscriptions, and opted-in members of verified
enterprises) are then read in account order, a batch at a time, and written as feed
entries with INSERT ... SELECT ... ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from server.sqlparams import Dialect, Params


def insert_list(*, dialect: Dialect, key: str, criteria: str, count: int, now: Any) -> tuple[str, list[Any]]:
    """INSERT a subscriber list unless one with the same key exists (then nothing happens)."""
    p = Params(dialect)
    return ("INSERT INTO feed_lists (key, criteria, criteria_count, created_at) "
            f"VALUES ({p(key, 'text')}, {p(criteria, 'jsonb')}, {p(count, 'smallint')}, {p(now, 'timestamptz')}) "
            "ON CONFLICT DO NOTHING"), p.values


def match_lists(*, dialect: Dialect, item_id: int, probes: Mapping[str, Sequence[str]]) -> tuple[str, list[Any]]:
    """INSERT the lists an item matches into feed_item_lists (repeats ignored)."""
    p = Params(dialect)
    item = p(item_id)
    matched = _matched(p, probes)
    # Lists nobody follows any more are skipped: a new follower's backfill links them again.
    return (f"INSERT INTO feed_item_lists (list_id, item_id) SELECT m.list_id, {item} FROM ({matched}) m "
            "WHERE EXISTS (SELECT 1 FROM feed_subscriptions s WHERE s.list_id = m.list_id) "
            "ON CONFLICT DO NOTHING"), p.values


def _matched(p: Params, probes: Mapping[str, Sequence[str]]) -> str:
    """SELECT list_id of every list whose criteria an item with these probes meets."""
    matched = "SELECT id AS list_id FROM feed_lists WHERE criteria_count = 0"
    hits = [f"(t.criterion = {p(term, 'text')} AND t.value {p.many(values)})" for term, values in probes.items() if values]
    if hits:
        matched = (
            "SELECT t.list_id FROM feed_list_terms t JOIN feed_lists l ON l.id = t.list_id "
            f"WHERE {' OR '.join(hits)} "
            "GROUP BY t.list_id, l.criteria_count HAVING COUNT(DISTINCT t.criterion) = l.criteria_count "
            f"UNION {matched}"
        )
    return matched


def audience(*, dialect: Dialect, probes: Mapping[str, Sequence[str]]) -> tuple[str, list[Any]]:
    """How many accounts an item with these probes would reach (``accounts``), and how many of them
    follow with an immediate message (``immediate``): the editor's confirmation before publishing."""
    p = Params(dialect)
    matched = _matched(p, probes)
    reached = (
        "SELECT s.user_id AS user_id, s.rank AS rank FROM m JOIN feed_subscriptions s ON s.list_id = m.list_id "
        "WHERE s.user_id IS NOT NULL "
        "UNION ALL "
        "SELECT ms.user_id AS user_id, s.rank AS rank FROM m JOIN feed_subscriptions s ON s.list_id = m.list_id "
        "JOIN feed_enterprises e ON e.id = s.enterprise_id AND e.status = 'verified' "
        "JOIN feed_memberships ms ON ms.enterprise_id = e.id AND ms.notify"
    )
    return (f"WITH m AS ({matched}) SELECT COUNT(*) AS accounts, "
            "COALESCE(SUM(CASE WHEN a.rank = 0 THEN 1 ELSE 0 END), 0) AS immediate "
            f"FROM (SELECT r.user_id, MIN(r.rank) AS rank FROM ({reached}) r GROUP BY r.user_id) a"), p.values


def _recipients(p: Params, item: str) -> str:
    return (
        "SELECT s.user_id AS user_id, s.rank AS rank FROM feed_item_lists m "
        "JOIN feed_subscriptions s ON s.list_id = m.list_id "
        f"WHERE m.item_id = {item} AND s.user_id IS NOT NULL "
        "UNION ALL "
        "SELECT ms.user_id AS user_id, s.rank AS rank FROM feed_item_lists m "
        "JOIN feed_subscriptions s ON s.list_id = m.list_id "
        "JOIN feed_enterprises e ON e.id = s.enterprise_id AND e.status = 'verified' "
        "JOIN feed_memberships ms ON ms.enterprise_id = e.id AND ms.notify "
        f"WHERE m.item_id = {item}"
    )


def recipients(*, dialect: Dialect, item_id: int, after: int) -> tuple[str, list[Any]]:
    """Every account (after ``after``, in id order) an item goes to, with its most urgent rank."""
    p = Params(dialect)
    item = p(item_id)
    return (f"SELECT r.user_id, MIN(r.rank) AS rank FROM ({_recipients(p, item)}) r WHERE r.user_id > {p(after)} "
            "GROUP BY r.user_id ORDER BY r.user_id"), p.values


def insert_entries(*, dialect: Dialect, item_id: int, batch: Sequence[tuple[int, int]], published_at: Any,
                   now: Any, digest: bool) -> tuple[str, list[Any]]:
    """INSERT ... SELECT one entry per (account, rank) of a batch; existing entries are kept.

    The batch travels as two arrays (PostgreSQL) or one JSON array (SQLite): one statement, few
    parameters, however many accounts.
    """
    p = Params(dialect)
    if dialect == "postgres":
        rows = (f"SELECT t.u AS user_id, t.r AS rank FROM unnest({p([u for u, _ in batch], 'int[]')}, "
                f"{p([r for _, r in batch], 'smallint[]')}) AS t(u, r)")
    else:
        rows = ("SELECT json_extract(t.value, '$[0]') AS user_id, json_extract(t.value, '$[1]') AS rank "
                f"FROM json_each({p(json.dumps([list(pair) for pair in batch]))}) t")
    pending = "CASE WHEN b.rank IN (1, 2) THEN b.rank END" if digest else "NULL"
    return (
        "INSERT INTO feed_entries (user_id, item_id, published_at, channel, pending_digest, read, created_at) "
        f"SELECT b.user_id, {p(item_id)}, {p(published_at, 'timestamptz')}, b.rank, {pending}, {_false(dialect)}, "
        f"{p(now, 'timestamptz')} FROM ({rows}) b WHERE true ON CONFLICT DO NOTHING"
    ), p.values


def _false(dialect: Dialect) -> str:
    return "false" if dialect == "postgres" else "0"


def feed_page(*, dialect: Dialect, user_id: int, before: tuple[Any, int] | None, limit: int) -> tuple[str, list[Any]]:
    """One page of an account's feed, newest first, after a keyset position (published_at, item_id)."""
    p = Params(dialect)
    where = f"e.user_id = {p(user_id)}"
    if before is not None:
        where += f" AND (e.published_at, e.item_id) < ({p(before[0], 'timestamptz')}, {p(before[1])})"
    return (
        "SELECT e.item_id, e.published_at, e.read, i.kind, i.ref_id, i.title, i.summary, i.source "
        f"FROM feed_entries e JOIN feed_items i ON i.id = e.item_id WHERE {where} "
        f"ORDER BY e.published_at DESC, e.item_id DESC LIMIT {int(limit)}"
    ), p.values


def backfill_entries(*, dialect: Dialect, list_id: int, user_id: int, since: Any, rank: int,
                     now: Any) -> tuple[str, list[Any]]:
    """INSERT entries for one account for every recent published item of a list (no messages)."""
    p = Params(dialect)
    return (
        "INSERT INTO feed_entries (user_id, item_id, published_at, channel, pending_digest, read, created_at) "
        f"SELECT {p(user_id)}, i.id, i.published_at, {p(rank, 'smallint')}, NULL, {_false(dialect)}, {p(now, 'timestamptz')} "
        "FROM feed_item_lists m JOIN feed_items i ON i.id = m.item_id "
        f"WHERE m.list_id = {p(list_id)} AND i.status = 'published' AND i.published_at >= {p(since, 'timestamptz')} "
        "ON CONFLICT DO NOTHING"
    ), p.values


def prune_entries(*, dialect: Dialect, user_id: int) -> tuple[str, list[Any]]:
    """DELETE an account's document and notice entries that none of its subscriptions match now."""
    p = Params(dialect)
    user = p(user_id)
    return (
        f"DELETE FROM feed_entries WHERE user_id = {user} "
        "AND EXISTS (SELECT 1 FROM feed_items i WHERE i.id = feed_entries.item_id AND i.kind <> 'booking') "
        "AND NOT EXISTS (SELECT 1 FROM feed_item_lists m JOIN feed_subscriptions s ON s.list_id = m.list_id "
        "WHERE m.item_id = feed_entries.item_id AND (s.user_id = "
        f"{user} OR s.enterprise_id IN (SELECT enterprise_id FROM feed_memberships "
        f"WHERE user_id = {user} AND notify)))"
    ), p.values
