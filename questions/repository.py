"""Queries of asking the district that the ORM does not say well: the search projections of the
entries and of published letters.

The engines and tokens are the gazette's (bulletin/textsearch.py, through bulletin.service); this module only knows the
questions tables. A match answers, per published entry in force, whether the question itself
matched (ranked first) and what ranking and facets need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.backends.base.client import BaseDBAsyncClient

from bulletin import service as gazette_search
from server import storage

_PG_UPSERT = """
INSERT INTO questions_entry_search (entry_id, question_tsv, tsv)
VALUES ($1, to_tsvector('simple', $2), setweight(to_tsvector('simple', $2), 'A')
        || setweight(to_tsvector('simple', $3), 'B'))
ON CONFLICT (entry_id) DO UPDATE SET question_tsv = EXCLUDED.question_tsv, tsv = EXCLUDED.tsv
"""
_SQLITE_UPSERT = """
INSERT INTO questions_entry_search (entry_id, question_tokens, answer_tokens) VALUES (?, ?, ?)
ON CONFLICT (entry_id) DO UPDATE SET
    question_tokens = excluded.question_tokens, answer_tokens = excluded.answer_tokens
"""
_PG_MATCH = """
SELECT e.id, e.category, e.solved, s.question_tsv @@ to_tsquery('simple', $1) AS in_question
FROM questions_entry_search s JOIN questions_entries e ON e.id = s.entry_id
WHERE s.tsv @@ to_tsquery('simple', $1) AND e.status = 'published'
  AND (e.valid_from IS NULL OR e.valid_from <= $2) AND (e.valid_until IS NULL OR e.valid_until >= $2)
"""
_SQLITE_MATCH = """
SELECT e.id, e.category, e.solved,
       e.id IN (SELECT rowid FROM questions_entry_fts WHERE questions_entry_fts MATCH ?2) AS in_question
FROM questions_entries e
WHERE e.id IN (SELECT rowid FROM questions_entry_fts WHERE questions_entry_fts MATCH ?1)
  AND e.status = 'published'
  AND (e.valid_from IS NULL OR e.valid_from <= ?3) AND (e.valid_until IS NULL OR e.valid_until >= ?3)
"""


@dataclass(frozen=True, slots=True)
class Hit:
    """A matching entry: question matches rank above answer-only matches, then by 'solved' count."""

    id: int
    category: str
    solved: int
    in_question: bool

    def key(self) -> tuple[int, int, int]:
        """Sort key (ascending = best first)."""
        return (0 if self.in_question else 1, -self.solved, -self.id)


def _db(conn: BaseDBAsyncClient | None) -> BaseDBAsyncClient:
    return conn if conn is not None else storage.db()


async def index_entry(entry_id: int, *, question: str, answer_text: str,
                      conn: BaseDBAsyncClient | None = None) -> None:
    """Put an entry into search, or refresh its row."""
    db = _db(conn)
    values = [entry_id, gazette_search.index_text(question), gazette_search.index_text(answer_text)]
    await db.execute_query(_PG_UPSERT if db.capabilities.dialect == "postgres" else _SQLITE_UPSERT, values)


async def unindex_entry(entry_id: int, *, conn: BaseDBAsyncClient | None = None) -> None:
    """Take an entry out of search (retired)."""
    mark = "$1" if _db(conn).capabilities.dialect == "postgres" else "?"
    await _db(conn).execute_query(f"DELETE FROM questions_entry_search WHERE entry_id = {mark}", [entry_id])


async def match(expression: str, *, today: date) -> list[Hit]:
    """Every published entry in force on ``today`` matching the expression."""
    db = storage.db()
    if db.capabilities.dialect == "postgres":
        async with storage.transaction() as conn:
            await conn.execute_script(gazette_search.PG_SEARCH_SETTINGS)
            rows = await conn.execute_query_dict(_PG_MATCH, [expression, today])
    else:
        in_question = "{question_tokens} : (" + expression + ")"
        rows = await db.execute_query_dict(_SQLITE_MATCH, [expression, in_question, today.isoformat()])
    return [Hit(int(r["id"]), r["category"], int(r["solved"]), bool(r["in_question"])) for r in rows]


_ORDER = " ORDER BY in_question DESC, e.solved DESC, e.id DESC LIMIT {limit}"


async def best(expression: str, *, today: date, limit: int) -> list[Hit]:
    """The ``limit`` best matches, ranked by the database (suggestions: no facets, no totals).

    One statement, without the search settings' transaction: a suggestion is asked at every
    keystroke, and the planner chooses well for a knowledge base's size.
    """
    db = storage.db()
    if db.capabilities.dialect == "postgres":
        rows = await db.execute_query_dict(_PG_MATCH + _ORDER.format(limit=int(limit)), [expression, today])
    else:
        in_question = "{question_tokens} : (" + expression + ")"
        rows = await db.execute_query_dict(_SQLITE_MATCH + _ORDER.format(limit=int(limit)),
                                           [expression, in_question, today.isoformat()])
    return [Hit(int(r["id"]), r["category"], int(r["solved"]), bool(r["in_question"])) for r in rows]


# Published letters: one token field (public title, public body, reply), newest first.
_PG_LETTER_UPSERT = """
INSERT INTO questions_letter_search (letter_id, tsv) VALUES ($1, to_tsvector('simple', $2))
ON CONFLICT (letter_id) DO UPDATE SET tsv = EXCLUDED.tsv
"""
_SQLITE_LETTER_UPSERT = """
INSERT INTO questions_letter_search (letter_id, tokens) VALUES (?, ?)
ON CONFLICT (letter_id) DO UPDATE SET tokens = excluded.tokens
"""
_PG_LETTER_MATCH = """
SELECT letter_id AS id FROM questions_letter_search
WHERE tsv @@ to_tsquery('simple', $1) AND ($2::bigint IS NULL OR letter_id < $2) ORDER BY letter_id DESC LIMIT $3
"""
_SQLITE_LETTER_MATCH = """
SELECT rowid AS id FROM questions_letter_fts
WHERE questions_letter_fts MATCH ?1 AND (?2 IS NULL OR rowid < ?2) ORDER BY rowid DESC LIMIT ?3
"""


async def index_letter(letter_id: int, *, text: str, conn: BaseDBAsyncClient | None = None) -> None:
    """Put a published letter into search, or refresh its row (a second reply after reopening)."""
    db = _db(conn)
    postgres = db.capabilities.dialect == "postgres"
    await db.execute_query(_PG_LETTER_UPSERT if postgres else _SQLITE_LETTER_UPSERT,
                           [letter_id, gazette_search.index_text(text)])


async def match_letters(expression: str, *, before: int | None, limit: int) -> list[int]:
    """Ids of indexed letters matching the expression, newest first, below ``before`` when given."""
    db = storage.db()
    values = [expression, before, limit]
    if db.capabilities.dialect == "postgres":
        async with storage.transaction() as conn:
            await conn.execute_script(gazette_search.PG_SEARCH_SETTINGS)
            rows = await conn.execute_query_dict(_PG_LETTER_MATCH, values)
    else:
        rows = await db.execute_query_dict(_SQLITE_LETTER_MATCH, values)
    return [int(r["id"]) for r in rows]
