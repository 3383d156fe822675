"""Facets, totals and keyset pages over the published documents, computed in memory with numpy.

The search engines (GIN, FTS5) answer only "which documents match"; everything else comes
from a columnar snapshot of the search projection (id, agency, topic, type, 五公开 category,
validity, kind, date: a few bytes per document) that each process keeps. Counting five
facets over 100 000 matches is a handful of vectorised passes here, where SQL grouping
costs tens of milliseconds; and browsing without a query needs no database work at all.

Order keys pack (tier, day, id) into one int64, so a keyset cursor is one comparison and
ties are impossible: tier (2 bits) << 51 | days since 1970 (20 bits) << 31 | id (31 bits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Sort = Literal["relevance", "newest", "oldest"]
FACETS = ("agency", "topic", "doc_type", "disclosure", "year")
TEXT_COLUMNS = ("kind", "topic", "doc_type", "disclosure", "validity")
EPOCH = date(1970, 1, 1)
_DAY_SHIFT, _TIER_SHIFT = 31, 51
_ID_LIMIT, _DAY_LIMIT = 1 << 31, 1 << 20


@dataclass(frozen=True)
class Filters:
    """The gazette's one filter type: what a search, the API's query and the facets agree on.

    Facet filters take several values (OR within a facet). ``agency`` holds codes or names as a
    reader gave them, and agency ids once the search has resolved them (:func:`select` takes ids).
    """

    agency: tuple[int | str, ...] = ()
    topic: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    disclosure: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    validity: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    published_from: date | None = None
    published_to: date | None = None


@dataclass(frozen=True)
class Coded:
    """A text column as small integer codes into its distinct values ("" for none)."""

    values: tuple[str, ...]
    codes: NDArray[np.int32]

    @classmethod
    def of(cls, texts: Sequence[str]) -> Coded:
        values, codes = np.unique(np.asarray(texts, dtype=object).astype(str), return_inverse=True)
        return cls(tuple(str(v) for v in values), codes.astype(np.int32))

    def mask(self, wanted: Sequence[str]) -> NDArray[np.bool_]:
        """Rows whose value is one of wanted."""
        known = [self.values.index(w) for w in wanted if w in self.values]
        return np.isin(self.codes, known)


@dataclass(frozen=True)
class Snapshot:
    """The published documents' facet columns, sorted by id; token names the data version."""

    token: str | None
    ids: NDArray[np.int64]
    agency: NDArray[np.int64]
    days: NDArray[np.int64]
    years: NDArray[np.int64]
    text: dict[str, Coded] = field(default_factory=dict)

    @classmethod
    def build(cls, token: str | None, *, ids: Sequence[int], agency: Sequence[int], days: Sequence[int],
              text: dict[str, Sequence[str]]) -> Snapshot:
        """A snapshot from columns in any row order."""
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        day_numbers = np.asarray(days, dtype=np.int64)[order]
        years = day_numbers.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return cls(token=token, ids=np.asarray(ids, dtype=np.int64)[order],
                   agency=np.asarray(agency, dtype=np.int64)[order], days=day_numbers, years=years,
                   text={name: Coded.of(np.asarray(text[name], dtype=object)[order]) for name in TEXT_COLUMNS})

    def positions(self, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        """Row positions of those ids that are in the snapshot."""
        at = np.searchsorted(self.ids, ids)
        inside = at < len(self.ids)
        at = at[inside]
        return at[self.ids[at] == ids[inside]]


@dataclass(frozen=True)
class Tiers:
    """Ids ranked above plain matches: the 文号 itself (3), title (2), title/文号/summary (1)."""

    exact: NDArray[np.int64]
    title: NDArray[np.int64]
    head: NDArray[np.int64]


@dataclass(frozen=True)
class Selection:
    """One page of keys (tier, day, id), the total, and facet counts {facet: {value: count}}."""

    keys: list[tuple[int, date, int]]
    total: int
    facets: dict[str, dict[str, int]]


def pack(tier: int, day: date, doc_id: int) -> int:
    """The order key of one document."""
    return (tier << _TIER_SHIFT) | ((day - EPOCH).days << _DAY_SHIFT) | doc_id


def unpack(key: int) -> tuple[int, date, int]:
    """(tier, day, id) of an order key."""
    day = date.fromordinal(EPOCH.toordinal() + ((key >> _DAY_SHIFT) & (_DAY_LIMIT - 1)))
    return key >> _TIER_SHIFT, day, key & (_ID_LIMIT - 1)


def _filter_masks(snap: Snapshot, rows: NDArray[np.int64], filters: Filters) -> dict[str, NDArray[np.bool_]]:
    masks: dict[str, NDArray[np.bool_]] = {}
    if filters.agency:
        masks["agency"] = np.isin(snap.agency[rows], filters.agency)
    for name in ("topic", "doc_type", "disclosure"):
        if getattr(filters, name):
            masks[name] = snap.text[name].mask(getattr(filters, name))[rows]
    if filters.year:
        masks["year"] = np.isin(snap.years[rows], filters.year)
    return masks


def _base_mask(snap: Snapshot, rows: NDArray[np.int64], filters: Filters) -> NDArray[np.bool_]:
    keep = np.ones(len(rows), dtype=bool)
    if filters.validity:
        keep &= snap.text["validity"].mask(filters.validity)[rows]
    if filters.kind:
        keep &= snap.text["kind"].mask(filters.kind)[rows]
    if filters.published_from:
        keep &= snap.days[rows] >= (filters.published_from - EPOCH).days
    if filters.published_to:
        keep &= snap.days[rows] <= (filters.published_to - EPOCH).days
    return keep


def _all(masks: dict[str, NDArray[np.bool_]], base: NDArray[np.bool_], *, without: str = "") -> NDArray[np.bool_]:
    result = base.copy()
    for name, mask in masks.items():
        if name != without:
            result &= mask
    return result


def _counts(values: NDArray[np.int64]) -> dict[str, int]:
    if not len(values):
        return {}
    low = int(values.min())
    counts = np.bincount(values - low)
    return {str(low + i): int(c) for i, c in enumerate(counts) if c}


def _facet_counts(snap: Snapshot, rows: NDArray[np.int64], masks: dict[str, NDArray[np.bool_]],
                  base: NDArray[np.bool_]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        chosen = rows[_all(masks, base, without=name)]
        if name == "agency":
            facets[name] = _counts(snap.agency[chosen])
        elif name == "year":
            facets[name] = _counts(snap.years[chosen])
        else:
            coded = snap.text[name]
            counts = np.bincount(coded.codes[chosen], minlength=len(coded.values))
            facets[name] = {coded.values[i]: int(c) for i, c in enumerate(counts) if c and coded.values[i]}
    return facets


def _tiers(snap: Snapshot, rows: NDArray[np.int64], tiers: Tiers | None) -> NDArray[np.int64]:
    if tiers is None:
        return np.zeros(len(rows), dtype=np.int64)
    tier = np.zeros(len(snap.ids), dtype=np.int64)
    for level, members in ((1, tiers.head), (2, tiers.title), (3, tiers.exact)):
        tier[snap.positions(members)] = level
    return tier[rows]


def select(snap: Snapshot, *, matched: NDArray[np.int64] | None, tiers: Tiers | None, filters: Filters,
           sort: Sort, after: int | None, limit: int) -> Selection:
    """The page after the key `after` (None: the first page), the exact total and the facets."""
    rows = np.arange(len(snap.ids)) if matched is None else snap.positions(matched)
    base = _base_mask(snap, rows, filters)
    masks = _filter_masks(snap, rows, filters)
    facets = _facet_counts(snap, rows, masks, base)
    chosen = rows[_all(masks, base)]
    keys = (snap.days[chosen] << _DAY_SHIFT) | snap.ids[chosen]
    if sort == "relevance":
        keys |= _tiers(snap, chosen, tiers) << _TIER_SHIFT
    descending = sort != "oldest"
    if after is not None:
        keys = keys[keys < after] if descending else keys[keys > after]
    if len(keys) > limit:
        cut = np.argpartition(-keys if descending else keys, limit - 1)[:limit]
        keys = keys[cut]
    keys = np.sort(keys)[::-1] if descending else np.sort(keys)
    return Selection(keys=[unpack(int(k)) for k in keys], total=len(chosen), facets=facets)
