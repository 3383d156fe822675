"""Search result snippets: a window of plain text with the matches wrapped in <em>…</em>.

The output is HTML: everything outside the <em> tags is escaped, so a document that
contains "<script>" shows it as text. Matching folds text the way the index does (NFKC and
lower case), so ``ＡＢＣ`` in a document is highlighted for the query ``abc``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

ELLIPSIS = "…"


class HasText(Protocol):
    """Anything with the text to highlight, such as bulletin.query.Term."""

    @property
    def text(self) -> str: ...


Needle = str | HasText
_WHITESPACE_RE = re.compile(r"\s+")


def snippet(text: str, terms: Iterable[Needle], *, length: int = 120) -> str:
    """HTML of about `length` characters around the first match, matches in <em>, cut with …."""
    flat = _WHITESPACE_RE.sub(" ", text).strip()
    spans = find_matches(flat, terms)
    start, end = _window(len(flat), spans, length)
    pieces = [ELLIPSIS] if start > 0 else []
    cursor = start
    for left, right in spans:
        left, right = max(left, start), min(right, end)
        if left >= right:
            continue
        pieces.append(html.escape(flat[cursor:left]))
        pieces.append(f"<em>{html.escape(flat[left:right])}</em>")
        cursor = right
    pieces.append(html.escape(flat[cursor:end]))
    if end < len(flat):
        pieces.append(ELLIPSIS)
    return "".join(pieces)


def find_matches(text: str, terms: Iterable[Needle]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of text where any term occurs, case- and width-folded."""
    folded, origin = _fold(text)
    needles = (t if isinstance(t, str) else t.text for t in terms)
    spans: list[tuple[int, int]] = []
    for term in {_fold(n)[0] for n in needles if n.strip()}:
        for match in re.finditer(re.escape(term), folded):
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return _merge(sorted(spans))


def _fold(text: str) -> tuple[str, list[int] | range]:
    # Fold one character at a time so every folded position maps back to the original
    # character (NFKC of a whole string can join or split characters).
    pieces = {char: _fold_char(char) for char in set(text)}
    if all(len(piece) == 1 for piece in pieces.values()):
        # The usual case: one character in, one out, so a translation table does it in C.
        return text.translate(str.maketrans(pieces)), range(len(text))
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = pieces[char]
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).lower()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _window(size: int, spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    if size <= length:
        return 0, size
    if not spans:
        return 0, length
    first_start, first_end = spans[0]
    # Centre the first match so the reader sees context on both sides; near the end of the
    # text the window slides back so it is always full.
    before = max((length - (first_end - first_start)) // 2, 0)
    start = max(0, min(first_start - before, size - length))
    return start, start + length
