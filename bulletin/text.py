"""Chinese text segmentation for gazette search (全文检索) and subscription keywords.

Index scheme
------------
``index_tokens(text)`` turns a text into a flat list of tokens that the storage layer joins
with spaces and hands to PostgreSQL ``to_tsvector('simple', ...)`` or to an SQLite FTS5
table using the ``unicode61`` tokenizer. Both engines split the joined string on spaces and
number the tokens 1, 2, 3, ..., so the order below is what makes phrase queries exact.

The text is first folded (NFKC, so full-width ``ＡＢＣ１２３`` becomes ``abc123``; then
lower-cased) and cut into *chunks*: maximal runs of Han ideographs (a CJK chunk) and maximal
runs of other letters and digits (a word chunk); everything else separates chunks.
For each chunk, in text order:

* a CJK chunk emits its overlapping bigrams (``营商环境`` -> ``营商 商环 环境``), then the
  chunk's characters that this document has not emitted yet as unigrams. If every
  character was seen before, it emits its first character anyway: at least one unigram
  always follows a chunk's bigrams, so the bigrams of two chunks are never adjacent and a
  bigram phrase cannot match across punctuation (``公租，租房`` does not match ``公租房``);
* a word chunk emits itself (``2024``, ``abc123``), if at most 64 characters long.

Then, at the end, every jieba word of three or more characters that contains a Han
character (``公租房``, ``15分钟生活圈``): they carry no phrase positions and exist for ranking
and term suggestion. Two-character jieba words are already present as bigrams.

Consequences a reader relies on:

* a one-character query (``税``) is the unigram and finds every document containing it;
* a two-character query (``医保``) is one bigram and finds every document containing it;
* a longer CJK string is the phrase of its bigrams, which matches exactly the documents
  containing that substring inside one CJK chunk (``营商环境`` yes, ``营商、环境`` no);
* letters and digits match as whole words (``2024`` does not match ``20241``).

Fields: index title, summary and body separately (FTS5 columns, or PostgreSQL
``setweight(to_tsvector('simple', title_tokens), 'A') || ...`` for title-over-body ranking).
A field never ends with a bigram, so concatenated tsvectors cannot join a phrase across two
fields. Tokens are ``[a-z0-9...]`` words or pure Han strings, so neither engine's parser
splits them further (checked against PostgreSQL 15 with a C.UTF-8 database and SQLite 3.40).

PostgreSQL limits: positions stop at 16383 (about 8 000 characters of CJK text) and a lexeme
keeps at most 256 positions, so phrase matches in the tail of very long bodies can be
missed; single-token queries are unaffected.

Throughput: about 400 000 characters per second on one core, most of it jieba.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import jieba

USER_DICT_PATH = Path(__file__).with_name("userdict.txt")

# CJK Unified Ideographs, Extension A, compatibility block and the supplementary planes
# (B to H); NFKC already maps most compatibility ideographs to unified ones.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CHUNK_RE = re.compile(f"([{_HAN}]+)|([^\\W_{_HAN}]+)")
_HAN_RE = re.compile(f"[{_HAN}]")
_WORD_CHAR_RE = re.compile(r"[^\W_]")
_MAX_WORD_CHUNK = 64
# Longest stretch of unknown characters a keyword is matched on as one piece.
_RUN_WINDOW = 4


class Chunk(NamedTuple):
    """A maximal run of Han characters (han=True) or of other letters and digits."""

    text: str
    han: bool


def normalize(text: str) -> str:
    """Fold text the way the index does: NFKC (full-width to ASCII), then lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def chunks(text: str) -> Iterator[Chunk]:
    """Yield the CJK and word chunks of already-normalised text, in order."""
    for match in _CHUNK_RE.finditer(text):
        han, word = match.groups()
        yield Chunk(han, True) if han else Chunk(word, False)


def bigrams(run: str) -> list[str]:
    """Overlapping two-character windows of a CJK run; empty for a single character."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def contains_han(text: str) -> bool:
    """Whether text contains at least one Han ideograph."""
    return _HAN_RE.search(text) is not None


class _Segmenter:
    """One jieba tokenizer with the government user dictionary, built on first use."""

    def __init__(self, user_dict: Path) -> None:
        self._user_dict = user_dict
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def tokenizer(self) -> jieba.Tokenizer:
        tokenizer = self._tokenizer
        if tokenizer is not None:
            return tokenizer
        with self._lock:
            if self._tokenizer is None:
                # jieba logs "Building prefix dict..." at DEBUG on its own handler.
                jieba.setLogLevel(logging.WARNING)
                built = jieba.Tokenizer()
                built.initialize()
                built.load_userdict(str(self._user_dict))
                # Publish only once fully loaded, so other threads never see half a dictionary.
                self._tokenizer = built
            return self._tokenizer


_segmenter = _Segmenter(USER_DICT_PATH)


def load_dictionary() -> None:
    """Load jieba and the user dictionary now (about 1.5 s) instead of on first use."""
    _segmenter.tokenizer()


def words(text: str) -> list[str]:
    """jieba words of normalised text (no HMM, so a string always segments the same way)."""
    return [w for w in _segmenter.tokenizer().cut(text, HMM=False) if _WORD_CHAR_RE.search(w)]


def index_tokens(text: str) -> list[str]:
    """Tokens a document is indexed with; see the module docstring for the scheme."""
    folded = normalize(text)
    return [*_phrase_tokens(folded), *_long_words(folded)]


def phrase_tokens(text: str) -> list[str]:
    """index_tokens without the trailing jieba words: the positional part, no segmentation."""
    return _phrase_tokens(normalize(text))


def _phrase_tokens(folded: str) -> list[str]:
    tokens: list[str] = []
    seen_chars: set[str] = set()
    for chunk in chunks(folded):
        if not chunk.han:
            if len(chunk.text) <= _MAX_WORD_CHUNK:
                tokens.append(chunk.text)
            continue
        tokens.extend(bigrams(chunk.text))
        fresh = [c for c in dict.fromkeys(chunk.text) if c not in seen_chars]
        seen_chars.update(fresh)
        tokens.extend(fresh or chunk.text[0])
    return tokens


def dictionary_words_in(run: str, *, min_chars: int = 3) -> Iterator[str]:
    """Every dictionary word (jieba's plus the user dictionary) occurring in a CJK run.

    jieba keeps every prefix of every word in its table (with frequency 0 when the prefix
    is not a word itself), so the walk from each start stops as soon as no word can follow.
    """
    frequencies = _segmenter.tokenizer().FREQ
    size = len(run)
    shortest = max(min_chars, 2)
    for start in range(size - shortest + 1):
        # Every word of two or more characters has its first two characters in the table.
        if run[start:start + 2] not in frequencies:
            continue
        for end in range(start + shortest, size + 1):
            frequency = frequencies.get(run[start:end])
            if frequency is None:
                break
            if frequency:
                yield run[start:end]


def is_dictionary_word(word: str) -> bool:
    """Whether jieba's dictionary or the user dictionary lists word (already normalised)."""
    return bool(_segmenter.tokenizer().FREQ.get(word))


def _long_words(folded: str) -> Iterator[str]:
    for word in words(folded):
        if len(word) >= 3 and _is_single_token(word) and contains_han(word):
            yield word


def _is_single_token(word: str) -> bool:
    # A word with an inner separator (jieba keeps "." or "-" in words) would be split by
    # the engines' tokenizers and shift every later position.
    return len(word) <= _MAX_WORD_CHUNK and "".join(c.text for c in chunks(word)) == word


def index_string(text: str) -> str:
    """The space-joined index tokens, ready for to_tsvector('simple', ...) or FTS5."""
    return " ".join(index_tokens(text))


def keyword_tokens(text: str) -> set[str]:
    """Words a document offers to subscription keywords (see keyword_words for the rules)."""
    folded = normalize(text)
    tokenizer = _segmenter.tokenizer()
    cut = list(tokenizer.cut(folded, HMM=False))
    tokens = {w for w in cut if _WORD_CHAR_RE.search(w)}
    for word in [w for w in tokens if len(w) > 2]:
        # Every dictionary word inside a longer one (优化营商环境 holds 营商环境, 营商, 环境);
        # jieba's search mode only offers the two- and three-character ones.
        tokens.update(_dictionary_subwords(word, tokenizer.FREQ))
    tokens.update(_HAN_RE.findall(folded))
    for run in _unknown_runs(cut):
        tokens.update(
            run[i : i + n] for n in range(2, _RUN_WINDOW + 1) for i in range(len(run) - n + 1)
        )
    return tokens


def _dictionary_subwords(word: str, frequencies: dict[str, int]) -> Iterator[str]:
    for start in range(len(word)):
        for end in range(start + 2, min(len(word), start + 12) + 1):
            piece = word[start:end]
            if piece != word and frequencies.get(piece):
                yield piece


def keyword_words(keyword: str) -> tuple[str, ...]:
    """What a subscription keyword needs in a document: all of its jieba words.

    jieba leaves strings it does not know as single characters (莲塘 -> 莲 / 塘). Such a run
    must occur as written, not as scattered characters, so it is kept whole (runs longer
    than four characters become their four-character windows); a one-character keyword
    (税) matches any document containing the character, like a one-character search.
    """
    pieces: list[str] = []
    singles = ""
    for word in [*_segmenter.tokenizer().cut(normalize(keyword), HMM=False), " "]:
        if len(word) == 1 and contains_han(word):
            singles += word
            continue
        pieces.extend(_run_pieces(singles))
        singles = ""
        if _WORD_CHAR_RE.search(word):
            pieces.append(word)
    return tuple(dict.fromkeys(pieces))


def _run_pieces(run: str) -> list[str]:
    if len(run) <= _RUN_WINDOW:
        return [run] if run else []
    return [run[i : i + _RUN_WINDOW] for i in range(len(run) - _RUN_WINDOW + 1)]


def _unknown_runs(cut: Iterable[str]) -> Iterator[str]:
    # Consecutive single Han characters in jieba's output: text it had no word for.
    run = ""
    for word in cut:
        if len(word) == 1 and contains_han(word):
            run += word
            continue
        if len(run) > 1:
            yield run
        run = ""
    if len(run) > 1:
        yield run


def keyword_matches(keyword: str, tokens_or_text: str | Iterable[str]) -> bool:
    """Whether a subscription keyword matches a document given as text or as keyword_tokens."""
    if isinstance(tokens_or_text, str):
        tokens: set[str] | frozenset[str] = keyword_tokens(tokens_or_text)
    elif isinstance(tokens_or_text, (set, frozenset)):
        tokens = tokens_or_text
    else:
        tokens = set(tokens_or_text)
    wanted = keyword_words(keyword)
    return bool(wanted) and all(word in tokens for word in wanted)
