"""What the search engines index for one document, and how a query is matched against it.

Each document gives three token strings (space-joined, for PostgreSQL
``to_tsvector('simple', ...)`` or an FTS5 ``unicode61`` table), one per field weight:
title (A), head = 文号 + summary (B) and body (C). A field's tokens are

* ``bulletin.text.phrase_tokens``: bigrams and unigrams with exact positions, so any
  one- or two-character word is one token and a longer string is a phrase of bigrams;
* every dictionary word of three or more characters occurring anywhere in the field
  (``营商环境`` inside ``优化营商环境``, whatever jieba's segmentation chose), once each;
* one opaque token per 文号 the field states or cites, from its normal form, so a 文号
  typed in any bracket style is a single-token lookup.

Why dictionary words: a term like ``营商环境`` as a phrase of three bigrams forces the
engine to re-read the positions of every candidate (PostgreSQL detoasts each tsvector),
which costs hundreds of milliseconds for a common term; as one token it is a pure index
lookup, and because every occurrence of a dictionary word emits the token, the lookup is
exact. ``search_terms`` makes the query side use those tokens.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bulletin.docnumber import cited_doc_numbers, looks_like_doc_number, normalize_doc_number
from bulletin.query import Term, query_terms
from bulletin.text import (
    chunks,
    contains_han,
    dictionary_words_in,
    is_dictionary_word,
    normalize,
    phrase_tokens,
)

DOC_NUMBER_TOKEN_PREFIX = "wh"
MIN_DICTIONARY_WORD = 3
# Beyond this much text a field is cut before indexing: PostgreSQL keeps positions only up
# to 16383 and a tsvector under 1 MB, and no gazette document is near this long.
MAX_FIELD_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class SearchFields:
    """The three space-joined token strings of a document, by weight."""

    title: str
    head: str
    body: str


def doc_number_token(normalized: str) -> str:
    """The single index token standing for a normalised 文号 (letters and digits only)."""
    digest = hashlib.blake2b(normalized.encode(), digest_size=8).hexdigest()
    return DOC_NUMBER_TOKEN_PREFIX + digest


def field_tokens(text: str, *, doc_numbers: tuple[str, ...] = ()) -> list[str]:
    """Index tokens of one field: positional tokens, dictionary words, 文号 tokens."""
    text = text[:MAX_FIELD_CHARS]
    tokens = phrase_tokens(text)
    words: dict[str, None] = {}
    for chunk in chunks(normalize(text)):
        if chunk.han and len(chunk.text) >= MIN_DICTIONARY_WORD:
            words.update(dict.fromkeys(dictionary_words_in(chunk.text, min_chars=MIN_DICTIONARY_WORD)))
    tokens.extend(words)
    numbers = dict.fromkeys([*doc_numbers, *cited_doc_numbers(text)])
    tokens.extend(doc_number_token(n) for n in numbers)
    return tokens


def search_fields(*, title: str, doc_number: str | None, summary: str, body_text: str) -> SearchFields:
    """The token strings a document is indexed with."""
    own = (normalize_doc_number(doc_number),) if doc_number else ()
    head_text = f"{doc_number or ''}\n{summary}"
    return SearchFields(
        title=" ".join(field_tokens(title)),
        head=" ".join(field_tokens(head_text, doc_numbers=own)),
        body=" ".join(field_tokens(body_text)),
    )


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A parsed search: AND-ed terms, plus the 文号 when the query is one."""

    text: str
    terms: tuple[Term, ...]
    doc_number: str | None = None

    @property
    def highlights(self) -> tuple[str, ...]:
        """Strings to highlight in titles and snippets (a 文号 also as the reader typed it)."""
        texts = tuple(t.text for t in self.terms)
        return (*texts, self.text) if self.doc_number else texts


def parse_query(q: str) -> ParsedQuery | None:
    """The search for a user's query; None when it holds nothing searchable."""
    q = q.strip()
    if not q:
        return None
    if looks_like_doc_number(q):
        number = normalize_doc_number(q)
        return ParsedQuery(q, (Term((doc_number_token(number),), number),), doc_number=number)
    terms = search_terms(query_terms(q))
    return ParsedQuery(q, tuple(terms)) if terms else None


def text_query(q: str) -> ParsedQuery | None:
    """The plain word search for q, even when q looks like a 文号 (the fallback)."""
    terms = search_terms(query_terms(q))
    return ParsedQuery(q, tuple(terms)) if terms else None


def search_terms(terms: list[Term]) -> list[Term]:
    """Query terms with every multi-character dictionary word turned into its single token."""
    return [_as_word(term) for term in terms]


def _as_word(term: Term) -> Term:
    text = term.text
    if (term.is_phrase and len(text) >= MIN_DICTIONARY_WORD and _all_han(text)
            and is_dictionary_word(text)):
        return Term((text,), text)
    return term


def _all_han(text: str) -> bool:
    return all(contains_han(c) for c in text)
