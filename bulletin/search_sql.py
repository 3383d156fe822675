"""The search statements, for PostgreSQL (tsvector + GIN) and SQLite (FTS5), as text and parameters.

The engines answer only which published documents match, as comma-separated id lists
(string_agg / group_concat: one value to transfer and parse, not one row per document),
together with the version token of the search projection, read in the same statement so
both come from one database snapshot. Ranking tiers need two more lists: the documents
with every term in the title, and in title, 文号 or summary. Facets, totals and pages are
computed from these lists by bulletin.facet_counts.
"""

from __future__ import annotations

from typing import Any

from server.sqlparams import Dialect, Params

_TOKEN = "(SELECT token FROM gazette_search_state WHERE id = 1) AS token"


def _pg_ids(column: str, query: str) -> str:
    return f"(SELECT string_agg(document_id::text, ',') FROM gazette_search WHERE {column} @@ {query})"


def _fts_ids(match: str) -> str:
    return f"(SELECT group_concat(rowid) FROM gazette_fts WHERE gazette_fts MATCH {match})"


def match_statement(*, dialect: Dialect, expression: str, tiers: bool) -> tuple[str, list[Any]]:
    """SQL returning token, ids (and title_ids, head_ids when tiers) for a tsquery or FTS5 expression."""
    b = Params(dialect)
    if dialect == "postgres":
        query = f"to_tsquery('simple', {b(expression, 'text')})"
        columns = [f"{_pg_ids('tsv', query)} AS ids"]
        if tiers:
            columns += [f"{_pg_ids('title_tsv', query)} AS title_ids", f"{_pg_ids('head_tsv', query)} AS head_ids"]
    else:
        columns = [f"{_fts_ids(b(expression, ''))} AS ids"]
        if tiers:
            columns += [f"{_fts_ids(b('{title_tokens} : (' + expression + ')', ''))} AS title_ids",
                        f"{_fts_ids(b('{title_tokens head_tokens} : (' + expression + ')', ''))} AS head_ids"]
    return f"SELECT {_TOKEN}, {', '.join(columns)}", b.values


def snapshot_statement(*, dialect: Dialect) -> str:
    """SQL returning the token and every published document's facet columns as comma-separated lists.

    All aggregates of one query level see the rows in the same order, so the lists align.
    Published documents are exactly those with a gazette_search row: both change together.
    """
    if dialect == "postgres":
        agg, days = "string_agg({}, ',')", "(published_on - DATE '1970-01-01')::text"
        number = "{}::text"
    else:
        agg, days = "group_concat({}, ',')", "CAST(julianday(published_on) - 2440587.5 AS INTEGER)"
        number = "{}"
    columns = [agg.format(number.format("id")) + " AS ids",
               agg.format(number.format("agency_id")) + " AS agency", agg.format(days) + " AS days"]
    columns += [agg.format(f"coalesce({name}, '')") + f" AS {name}"
                for name in ("kind", "topic", "doc_type", "disclosure", "validity")]
    return (f"SELECT {_TOKEN}, count(*) AS n, {', '.join(columns)} FROM gazette_documents "
            "WHERE status = 'published'")


def bump_statement(*, dialect: Dialect, token: str) -> tuple[str, list[Any]]:
    """SQL replacing the search projection's version token."""
    mark = "$1" if dialect == "postgres" else "?1"
    return (f"INSERT INTO gazette_search_state (id, token) VALUES (1, {mark}) "
            "ON CONFLICT (id) DO UPDATE SET token = excluded.token"), [token]


def title_match_statement(*, dialect: Dialect, expression: str, limit: int) -> tuple[str, list[Any]]:
    """SQL for the newest published documents whose title holds every term (suggestions)."""
    b = Params(dialect)
    if dialect == "postgres":
        matching = ("SELECT document_id FROM gazette_search WHERE title_tsv @@ "
                    f"to_tsquery('simple', {b(expression, 'text')})")
    else:
        matching = f"SELECT rowid FROM gazette_fts WHERE gazette_fts MATCH {b('{title_tokens} : (' + expression + ')', '')}"
    return (f"SELECT d.id FROM gazette_documents d WHERE d.status = 'published' AND d.id IN ({matching}) "
            f"ORDER BY d.published_on DESC, d.id DESC LIMIT {int(limit)}"), b.values
