"""The ``q`` filter: Chinese substring of name or address, or pinyin initials of the name.

``sqjk`` finds 社区健康服务中心 because its initials are ``sqjkfwzx``. Each POI gets a search key
once (when the index is built); a query is then a plain substring test over all keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from geo.feature_store import Parts

_FIELD_SEP = "\x1f"  # never survives normalize_query, so a match cannot span two fields
_RECORD_SEP = b"\n"
_DROP = re.compile(r"[\s\x00-\x1f\x7f]+")


def normalize_query(text: str) -> str:
    """Fold full-width forms and case and drop whitespace, as done to the search keys."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=1 << 18)
def name_initials(name: str) -> str:
    """Pinyin initials of a name, lowercase; Latin letters and digits are kept as written."""
    # pypinyin costs ~50 us a name; splitting into words first (pypinyin's own segmenter,
    # so polyphones like 长者 still read right) lets words shared by many names be cached.
    # pypinyin's dictionaries take ~55 MB once imported: only workers that write POIs load them (the
    # search keys of existing POIs are stored with them, so reads and snapshot builds never do).
    from pypinyin.seg.simpleseg import seg as simple_seg

    initials = "".join(_word_initials(word) for word in simple_seg(normalize_query(name)))
    return "".join(ch for ch in initials if ch.isascii() and ch.isalnum())


@lru_cache(maxsize=1 << 16)
def _word_initials(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="default"))


def search_key(name: str, address: str) -> str:
    """Precomputed key of one POI: normalised name, address and name initials."""
    return _FIELD_SEP.join((normalize_query(name), normalize_query(address), name_initials(name)))


def key_matches(key: str, query: str) -> bool:
    """Whether a search key matches a raw query (an empty query matches everything)."""
    needle = normalize_query(query)
    return needle in key


class SearchKeys:
    """All POIs' search keys as UTF-8 records end to end (one ``bytes``), so a rare query costs one
    C-level scan and a million keys take tens of MB, not a str object each. UTF-8 matches a
    substring of characters exactly where it matches their bytes, and no key holds the separator."""

    def __init__(self, keys: Sequence[str]) -> None:
        """Build once per snapshot from :func:`search_key` values (in snapshot order)."""
        self._init(Parts.of(search_record(k) for k in keys))

    @classmethod
    def of_records(cls, records: Parts) -> SearchKeys:
        """From :func:`search_record` values already end to end (the snapshot keeps them so)."""
        found = cls.__new__(cls)
        found._init(records)
        return found

    def _init(self, records: Parts) -> None:
        self._text = records.data
        self._starts = records.offsets[:-1]
        self._changed = records.changed  # edited and added keys, tested one by one (see Parts.with_items)
        self._size = len(records)

    def __len__(self) -> int:
        return self._size

    def mask(self, query: str) -> NDArray[np.bool_]:
        """Boolean array, true where the POI matches ``query``."""
        needle = normalize_query(query).encode()
        if not needle:
            return np.ones(self._size, dtype=bool)
        n = len(self._starts)  # the keys in the shared buffer
        found = np.zeros(self._size, dtype=bool)
        hits = self._text.count(needle)
        if hits > n // 8:
            # Common queries would yield a match object per hit; testing every key is cheaper.
            found[:n] = np.fromiter((needle in k for k in self._text.split(_RECORD_SEP)[:n]), bool, n)
        else:
            positions = np.fromiter((m.start() for m in re.finditer(re.escape(needle), self._text)), np.int64, hits)
            found[np.searchsorted(self._starts, positions, side="right") - 1] = True
        for position, record in self._changed.items():
            found[position] = needle in record
        return found


def search_record(key: str) -> bytes:
    """A search key as :class:`SearchKeys` stores it: UTF-8, then the record separator."""
    return key.encode() + _RECORD_SEP
