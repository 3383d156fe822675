"""User search queries -> AND-ed terms -> PostgreSQL tsquery or SQLite FTS5 MATCH strings.

A query is cut at spaces and into chunks like a document (``bulletin.text``); a letter/digit
chunk becomes a one-token term, and a CJK chunk is cut into words by jieba (``公租房申请条件``
-> 公租房 / 申请 / 条件), each word becoming one term: the phrase of its bigrams, or a unigram
for a single character. Consecutive single characters jieba could not group are kept
together as one phrase (``深罗府办``), and lone function characters (的, 和, ...) are dropped
when the query has other terms. Terms are AND-ed. Because documents are
indexed as described in ``bulletin.text``, a term matches exactly the documents containing
its text (CJK) or its word (letters and digits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bulletin.text import bigrams, chunks, normalize, words

# Single-character function words dropped when the query has other terms: requiring 的 in a
# document rejects nothing useful, and a query of only 的 still searches for it.
_FUNCTION_CHARS = frozenset("的了和与及或之等地得着吗呢啊吧")
MAX_TERMS = 12
MAX_QUERY_CHARS = 200


@dataclass(frozen=True, slots=True)
class Term:
    """One AND-ed search term: a phrase of index tokens and the text it stands for."""

    tokens: tuple[str, ...]
    text: str

    @property
    def is_phrase(self) -> bool:
        """Whether the term needs adjacent tokens (more than one token)."""
        return len(self.tokens) > 1


def query_terms(q: str, *, max_terms: int = MAX_TERMS) -> list[Term]:
    """Turn a user query into AND-ed terms (at most max_terms, in query order, no repeats)."""
    terms: dict[tuple[str, ...], Term] = {}
    for part in normalize(q[:MAX_QUERY_CHARS]).split():
        for chunk in chunks(part):
            pieces = _han_pieces(chunk.text) if chunk.han else [chunk.text]
            for piece in pieces:
                term = _term(piece, han=chunk.han)
                terms.setdefault(term.tokens, term)
    found = list(terms.values())
    if any(not _is_function_char(t) for t in found):
        found = [t for t in found if not _is_function_char(t)]
    return found[:max_terms]


def _han_pieces(run: str) -> list[str]:
    # jieba leaves strings it does not know as single characters (深罗府办 -> 深/罗/府/办);
    # AND-ing those would match any document holding the four characters anywhere, so a
    # stretch of single characters is kept together as one phrase.
    pieces: list[str] = []
    singles = ""
    for word in words(run):
        if len(word) == 1:
            singles += word
            continue
        if singles:
            pieces.append(singles)
            singles = ""
        pieces.append(word)
    if singles:
        pieces.append(singles)
    return pieces


def _term(text: str, *, han: bool) -> Term:
    if han and len(text) > 1:
        return Term(tuple(bigrams(text)), text)
    return Term((text,), text)


def _is_function_char(term: Term) -> bool:
    return term.text in _FUNCTION_CHARS


def to_pg_tsquery(terms: Sequence[Term]) -> str:
    """tsquery text for to_tsquery('simple', ...): phrases with <->, terms joined by &."""
    if not terms:
        raise ValueError("no search terms: check query_terms() before building a tsquery")
    parts = []
    for term in terms:
        phrase = " <-> ".join(_pg_quote(token) for token in term.tokens)
        parts.append(f"({phrase})" if term.is_phrase else phrase)
    return " & ".join(parts)


def _pg_quote(token: str) -> str:
    # Inside a quoted tsquery lexeme only the quote and the backslash are special.
    escaped = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def to_fts5_match(terms: Sequence[Term]) -> str:
    """FTS5 MATCH expression: each term a quoted phrase, terms joined by AND."""
    if not terms:
        raise ValueError("no search terms: check query_terms() before building a MATCH")
    return " AND ".join(_fts5_phrase(term.tokens) for term in terms)


def _fts5_phrase(tokens: tuple[str, ...]) -> str:
    # A double-quoted FTS5 string is a phrase; a quote inside is written twice.
    body = " ".join(tokens).replace('"', '""')
    return f'"{body}"'
