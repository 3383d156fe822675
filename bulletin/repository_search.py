"""The search projection: keeping ``gazette_search`` in step with published documents, and querying it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tortoise.backends.base.client import BaseDBAsyncClient

from bulletin.facet_counts import TEXT_COLUMNS, Snapshot
from bulletin.search_sql import (
    bump_statement,
    match_statement,
    snapshot_statement,
    title_match_statement,
)
from bulletin.search_tokens import SearchFields
from server import storage

UPSERT_BATCH = 200

_PG_UPSERT = """
INSERT INTO gazette_search (document_id, tsv, title_tsv, head_tsv)
SELECT d.id,
       setweight(to_tsvector('simple', d.t), 'A') || setweight(to_tsvector('simple', d.h), 'B')
           || setweight(to_tsvector('simple', d.b), 'C'),
       to_tsvector('simple', d.t),
       to_tsvector('simple', d.t) || to_tsvector('simple', d.h)
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS d(id, t, h, b)
ON CONFLICT (document_id) DO UPDATE SET
    tsv = EXCLUDED.tsv, title_tsv = EXCLUDED.title_tsv, head_tsv = EXCLUDED.head_tsv
"""

_SQLITE_UPSERT = """
INSERT INTO gazette_search (document_id, title_tokens, head_tokens, body_tokens) VALUES (?, ?, ?, ?)
ON CONFLICT (document_id) DO UPDATE SET
    title_tokens = excluded.title_tokens, head_tokens = excluded.head_tokens, body_tokens = excluded.body_tokens
"""

# Per match on PostgreSQL. The planner does not cost detoasting, so for a common term it
# prefers a sequential scan that unpacks every tsvector (seconds at 100k documents) over the
# GIN bitmap that needs none; large bitmaps must not go lossy (a lossy page is rechecked row
# by row, detoasting again); and JIT compilation costs more than it saves here.
_PG_SEARCH_SETTINGS = "SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'; SET LOCAL jit = off"


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One published document as the search engines index it."""

    document_id: int
    fields: SearchFields

    def row(self) -> list[Any]:
        return [self.document_id, self.fields.title, self.fields.head, self.fields.body]


@dataclass(frozen=True)
class MatchIds:
    """Ids the engine matched (and, for ranking, those matching in the title / title+head)."""

    token: str | None
    ids: NDArray[np.int64]
    title: NDArray[np.int64] | None = None
    head: NDArray[np.int64] | None = None


def _connection(conn: BaseDBAsyncClient | None) -> BaseDBAsyncClient:
    return conn if conn is not None else storage.db()


async def _bump(db: BaseDBAsyncClient) -> None:
    sql, values = bump_statement(dialect=db.capabilities.dialect, token=secrets.token_hex(16))
    await db.execute_query(sql, values)


async def upsert(entries: Sequence[IndexEntry], *, conn: BaseDBAsyncClient | None = None) -> None:
    """Insert or refresh the search rows of published documents (and the projection's version)."""
    db = _connection(conn)
    for start in range(0, len(entries), UPSERT_BATCH):
        rows = [e.row() for e in entries[start:start + UPSERT_BATCH]]
        if db.capabilities.dialect == "postgres":
            await db.execute_query(_PG_UPSERT, [list(column) for column in zip(*rows)])
        else:
            await db.execute_many(_SQLITE_UPSERT, rows)
    await _bump(db)


async def remove(document_ids: Sequence[int], *, conn: BaseDBAsyncClient | None = None) -> None:
    """Take documents out of search (withdrawn)."""
    from bulletin.tables import SearchRow

    db = _connection(conn)
    await SearchRow.filter(document_id__in=list(document_ids)).using_db(db).delete()
    await _bump(db)


def _ids(text: str | None) -> NDArray[np.int64]:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(str(text), dtype=np.int64, sep=",")


async def match(expression: str, *, tiers: bool) -> MatchIds:
    """Ids of the published documents matching a tsquery / FTS5 expression, with the version token."""
    db = storage.db()
    sql, values = match_statement(dialect=db.capabilities.dialect, expression=expression, tiers=tiers)
    if db.capabilities.dialect == "postgres":
        async with storage.transaction() as conn:
            await conn.execute_script(_PG_SEARCH_SETTINGS)
            row = (await conn.execute_query_dict(sql, values))[0]
    else:
        row = (await db.execute_query_dict(sql, values))[0]
    if not tiers:
        return MatchIds(row["token"], _ids(row["ids"]))
    return MatchIds(row["token"], _ids(row["ids"]), _ids(row["title_ids"]), _ids(row["head_ids"]))


async def version_token() -> str | None:
    """The search projection's current version token (None before anything was published)."""
    rows = await storage.db().execute_query_dict("SELECT token FROM gazette_search_state WHERE id = 1")
    return rows[0]["token"] if rows else None


async def snapshot() -> Snapshot:
    """Every published document's facet columns, with the token of the same database snapshot."""
    db = storage.db()
    row = (await db.execute_query_dict(snapshot_statement(dialect=db.capabilities.dialect)))[0]
    if not row["n"]:
        empty: list[str] = []
        return Snapshot.build(row["token"], ids=[], agency=[], days=[], text={n: empty for n in TEXT_COLUMNS})
    text = {name: str(row[name]).split(",") for name in TEXT_COLUMNS}
    return Snapshot.build(row["token"], ids=_ids(row["ids"]), agency=_ids(row["agency"]),
                          days=_ids(row["days"]), text=text)


async def title_matches(expression: str, *, limit: int) -> list[int]:
    """Ids of the newest published documents whose title holds every term."""
    db = storage.db()
    sql, values = title_match_statement(dialect=db.capabilities.dialect, expression=expression, limit=limit)
    return [int(r["id"]) for r in await db.execute_query_dict(sql, values)]
