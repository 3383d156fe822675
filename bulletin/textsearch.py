"""The gazette's Chinese search, offered to other domains for their own tables.

One search engine for the house: the same tokens (jieba words, bigram phrases so that a one- or
two-character word is matched exactly, dictionary words as single tokens) and the same query
language (AND-ed terms as a PostgreSQL tsquery or an SQLite FTS5 MATCH). A domain keeps its own
projection table (``tsvector`` + GIN on PostgreSQL, an FTS5 table on SQLite, see
questions/migrations/0002_search.py) filled with :func:`index_text` and queried with the
expression :func:`match` returns; this module reads no table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bulletin.query import to_fts5_match, to_pg_tsquery
from bulletin.search_tokens import field_tokens, text_query
from bulletin.snippets import snippet

__all__ = ["PG_SEARCH_SETTINGS", "TextMatch", "highlight", "index_text", "match"]

# Set per match on PostgreSQL (see bulletin/repository_search.py for why): GIN rather than a
# sequential scan that detoasts every tsvector, and no JIT.
PG_SEARCH_SETTINGS = "SET LOCAL enable_seqscan = off; SET LOCAL jit = off"


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A parsed query: the engine expression for the dialect and the strings to highlight."""

    expression: str
    highlights: tuple[str, ...]


def index_text(text: str) -> str:
    """The space-joined index tokens of one field (for ``to_tsvector('simple', ...)`` or FTS5)."""
    return " ".join(field_tokens(text))


def match(q: str, *, dialect: str) -> TextMatch | None:
    """The match expression for a reader's query, or None when it holds nothing searchable."""
    query = text_query(q.strip()) if q.strip() else None
    if query is None:
        return None
    expression = to_pg_tsquery(query.terms) if dialect == "postgres" else to_fts5_match(query.terms)
    return TextMatch(expression, query.highlights)


def highlight(text: str, needles: Iterable[str], *, length: int = 120) -> str:
    """``text`` cut around the first match (at most ``length`` characters), HTML-escaped, matches in <em>."""
    return snippet(text, tuple(needles), length=length)
