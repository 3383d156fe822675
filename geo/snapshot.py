"""One immutable snapshot of the map, built from the database, answering every read in memory.

The per-POI columns it is built from, and how changed rows are merged into them, live in
geo/snapshot_rows.py.

Memory is the design constraint (100k POIs within ~150 MB): per POI the snapshot keeps a few
numpy entries, its search key and its pre-rendered GeoJSON properties, nothing else. Opening
hours are interned: POIs sharing a timetable share one row of the OpenNowTable, so "open now" over
100k POIs is a vector test over the distinct timetables plus one gather.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo import hours as hours_rules
from geo.categories import DEFAULT_TREE, CategoryNode
from geo.clusters import ClusterIndex
from geo.division_set import DivisionSet
from geo.grid import PointGrid, PreparedMask, codes_mask, combine_masks
from geo.model import POI_STATUSES
from geo.snapshot_rows import FeatureHeads, PoiRows, SnapshotBuilder, Timetables, merge, patch
from geo.textmatch import SearchKeys, normalize_query

BoolArray = NDArray[np.bool_]
_OPEN = POI_STATUSES.index("open")
_CLOSED = POI_STATUSES.index("closed")
_MASK_CACHE = 32
_MAX_PATCHED = 4096  # edits kept beside the shared parts before a merge copies them in (or 1/32 of the POIs)
_UNSEEN: Any = object()


@dataclass(frozen=True, slots=True)
class OpenState:
    """Which POIs are open during one minute (periods are whole minutes, and so are time zone offsets)."""

    epoch_minute: int  # POSIX seconds // 60
    tz: tzinfo
    mask: BoolArray
    # What a read answer depends on: the content and this open state. It changes with the data
    # and whenever some POI opens or closes, not every minute, so ETags of list answers stay valid
    # across minutes in which nothing opened or closed.
    version: str


class MapSnapshot:
    """Everything the map's read endpoints need, for one data version; never mutated once built."""

    def __init__(self, rows: PoiRows, timetables: Timetables, *, version: str | None, divisions: DivisionSet,
                 grid: PointGrid | None = None, clusters: ClusterIndex | None = None,
                 fingerprint: str | None = None) -> None:
        self.version = version
        self.divisions = divisions
        self.rows, self.timetables = rows, timetables
        self.ids, self.lons, self.lats = rows.ids, rows.lons, rows.lats
        self.categories, self.statuses = rows.categories, rows.statuses
        refs = rows.hours_refs.copy()
        # -1 (hours unknown) points at an extra, never-open slot at the end.
        refs[refs < 0] = len(timetables.hours)
        self._hours_refs = refs
        self._hours = hours_rules.OpenNowTable(timetables.hours)
        # Pre-rendered GeoJSON properties (see geo/feature_store.py); heads rendered per page, in WGS-84
        # and GCJ-02 (what every mini-program request asks for).
        self.bodies = rows.bodies
        self.heads = {coord: FeatureHeads(self.ids, self.lons, self.lats, coord) for coord in ("wgs84", "gcj02")}
        self.search = SearchKeys.of_records(rows.keys)
        # Both depend on the points alone: an edit passes them on, updated (see with_changes).
        self.grid = grid or PointGrid(ids=self.ids, lons=self.lons, lats=self.lats)
        self.clusters = clusters or ClusterIndex(lons=self.lons, lats=self.lats)
        self.fingerprint = fingerprint or self._fingerprint(list(timetables.index))
        self._masks: OrderedDict[tuple[Any, ...], BoolArray] = OrderedDict()
        self._prepared: OrderedDict[tuple[Any, ...], PreparedMask] = OrderedDict()
        self._spellings: dict[tuple[Any, ...], tuple[Any, ...] | None] = {}
        self.memo: dict[tuple[Any, ...], Any] = {}  # derived answers (coverage) valid for this version
        self._open_state: OpenState | None = None

    @classmethod
    def build(cls, builder: SnapshotBuilder, *, version: str | None, divisions: DivisionSet) -> MapSnapshot:
        """A snapshot of every row the builder was given."""
        return cls(builder.rows(), builder.timetables, version=version, divisions=divisions)

    def with_changes(self, rows: Iterable[Sequence[Any]], *, removed: Iterable[int] = (),
                     version: str | None) -> MapSnapshot:
        """A new snapshot: this one with ``rows`` (raw, as repository.INDEX_COLUMNS) added or replacing
        their old versions and the POIs ``removed`` gone; every other POI's data is reused.

        Edits and added POIs are written in place (snapshot_rows.patch): the numeric columns are
        copied, the pre-rendered parts shared, the grid and the cluster order updated for the points
        that moved, and the fingerprint chained from this one's, so the cost is a few copies of small
        arrays, not a rebuild. A removal, or too many edits piled up beside the shared parts, merge
        instead (every part copied, the fingerprint taken over everything)."""
        builder = SnapshotBuilder(self.timetables.copy())
        builder.add_rows(rows)
        changed = builder.rows()
        gone = np.fromiter(removed, dtype=np.int64)
        patched = None if np.isin(gone, self.ids).any() else patch(self.rows, changed)
        if patched is None or len(patched[0].bodies.changed) > max(_MAX_PATCHED, len(self) // 32):
            merged = merge(self.rows, changed, gone.tolist())
            same = self._same_points(merged)
            return MapSnapshot(merged, builder.timetables, version=version, divisions=self.divisions,
                               grid=self.grid if same else None, clusters=self.clusters if same else None)
        rows, positions = patched
        grid, clusters = self.grid, self.clusters
        moved = positions[self._moved(rows, positions)]
        if len(moved):
            grid = grid.with_points(moved, rows.ids[moved], rows.lons[moved], rows.lats[moved]) or PointGrid(
                ids=rows.ids, lons=rows.lons, lats=rows.lats)  # a point beyond the grid's extent
            clusters = clusters.with_points(moved, rows.lons, rows.lats)
        return MapSnapshot(rows, builder.timetables, version=version, divisions=self.divisions, grid=grid,
                           clusters=clusters, fingerprint=self._chained(rows, positions, builder.timetables))

    def _same_points(self, rows: PoiRows) -> bool:
        """Whether ``rows`` hold exactly this snapshot's points (ids and coordinates, in order)."""
        return (len(rows) == len(self) and np.array_equal(rows.ids, self.ids) and np.array_equal(rows.lons, self.lons)
                and np.array_equal(rows.lats, self.lats))

    def _moved(self, rows: PoiRows, positions: NDArray[np.int64]) -> BoolArray:
        """Which of the ``positions`` written into ``rows`` hold a point that is new or not where it was."""
        moved = positions >= len(self)
        old = positions[~moved]
        moved[~moved] = (rows.lons[old] != self.lons[old]) | (rows.lats[old] != self.lats[old])
        return moved

    def _chained(self, rows: PoiRows, positions: NDArray[np.int64], timetables: Timetables) -> str:
        """The fingerprint after an in-place edit: this one's, chained with the content written."""
        digest = hashlib.blake2b(self.fingerprint.encode(), digest_size=8)
        digest.update("\x1e".join(list(timetables.index)[len(self.timetables.index):]).encode())
        for column in (rows.ids, rows.lons, rows.lats, rows.categories, rows.statuses, rows.hours_refs):
            digest.update(column[positions].tobytes())
        for position in positions.tolist():
            digest.update(rows.bodies[position])
        return digest.hexdigest()

    def _fingerprint(self, hours_texts: list[str]) -> str:
        """A digest of the content, for ETags that must change even if the version stamp was lost."""
        digest = hashlib.blake2b("\x1e".join(hours_texts).encode(), digest_size=8)
        for column in (self.ids, self.lons, self.lats, self.statuses, self._hours_refs):
            digest.update(column.tobytes())
        digest.update(self.bodies.offsets)
        digest.update(self.bodies.data)
        return digest.hexdigest()

    def remember(self, key: tuple[Any, ...], value: Any) -> None:
        """Keep a derived answer for the life of this snapshot (a bounded number of them)."""
        if len(self.memo) >= _MASK_CACHE:
            self.memo.pop(next(iter(self.memo)))
        self.memo[key] = value

    def __len__(self) -> int:
        return len(self.ids)

    def position_of(self, poi_id: int) -> int | None:
        """Position of a POI in the snapshot's arrays, or None."""
        pos = int(np.searchsorted(self.ids, poi_id))
        return pos if pos < len(self.ids) and self.ids[pos] == poi_id else None

    def _cached(self, key: tuple[Any, ...], make: Any) -> BoolArray:
        found = self._masks.get(key)
        if found is None:
            found = make()
            found.flags.writeable = False
            self._masks[key] = found
            if len(self._masks) > _MASK_CACHE:
                self._masks.popitem(last=False)
        return found

    def open_mask(self, at: datetime, *, tz: tzinfo) -> BoolArray:
        """True where a POI has status open and is within its hours at ``at``."""
        local = at.astimezone(tz)
        # Periods are whole minutes, so the answer is the same for a whole local minute.
        key = ("open", local.date(), local.hour * 60 + local.minute)

        def make() -> BoolArray:
            per_timetable = np.append(self._hours.open_mask(at, tz=tz), False)
            return per_timetable[self._hours_refs] & (self.statuses == _OPEN)

        return self._cached(key, make)

    def open_state(self, at: datetime | float, *, tz: tzinfo) -> OpenState:
        """Which POIs are open during the minute of ``at`` (a datetime or POSIX seconds), as the read
        paths use it; the same object for every read within that minute."""
        epoch_minute = int((at if isinstance(at, float) else at.timestamp()) // 60)
        state = self._open_state
        if state is None or state.epoch_minute != epoch_minute or state.tz is not tz:
            mask = self.open_mask(datetime.fromtimestamp(epoch_minute * 60, tz), tz=tz)
            opened = hashlib.blake2b(np.packbits(mask).tobytes(), digest_size=8).hexdigest()
            state = self._open_state = OpenState(epoch_minute=epoch_minute, tz=tz, mask=mask,
                                                 version=f"{self.version or 0}-{self.fingerprint}-{opened}")
        return state

    def category_mask(self, codes: Sequence[str]) -> BoolArray:
        """True where a POI's category is one of ``codes`` or below one of them."""
        key = ("category", *sorted(codes))
        return self._cached(key, lambda: codes_mask(self.categories, DEFAULT_TREE.expand_ids(codes).tolist()))

    def status_mask(self, statuses: Sequence[str]) -> BoolArray:
        """True where a POI's status is one of ``statuses``."""
        key = ("status", *sorted(statuses))
        return self._cached(key, lambda: codes_mask(self.statuses, [POI_STATUSES.index(s) for s in statuses]))

    def filter_mask(self, *, categories: Sequence[str] | None, statuses: Sequence[str], q: str | None,
                    open_at: datetime | None, tz: tzinfo) -> BoolArray | None:
        """The combined filter of a list request (None keeps every POI); read-only, cached."""
        key = self._filter_key(categories, statuses, q, open_at, tz)
        if key is None:
            return None

        def make() -> BoolArray:
            masks = [
                self.category_mask(categories) if categories else None,
                None if set(statuses) >= set(POI_STATUSES) else self.status_mask(statuses),
                self.search.mask(q) if q else None,
                self.open_mask(open_at, tz=tz) if open_at is not None else None,
            ]
            return combine_masks(*masks)  # type: ignore[return-value]

        return self._cached(key, make)

    def nearby_filter(self, *, categories: Sequence[str] | None, statuses: Sequence[str], q: str | None,
                      open_at: datetime | None, tz: tzinfo) -> PreparedMask | None:
        """:meth:`filter_mask` laid out for the grid's radius queries (cached too)."""
        key = self._filter_key(categories, statuses, q, open_at, tz)
        if key is None:
            return None
        found = self._prepared.get(key)
        if found is None:
            mask = self.filter_mask(categories=categories, statuses=statuses, q=q, open_at=open_at, tz=tz)
            found = self._prepared[key] = self.grid.prepare_mask(mask)  # type: ignore[arg-type]
            if len(self._prepared) > _MASK_CACHE:
                self._prepared.popitem(last=False)
        return found

    def _filter_key(self, categories: Sequence[str] | None, statuses: Sequence[str], q: str | None,
                    open_at: datetime | None, tz: tzinfo) -> tuple[Any, ...] | None:
        """The normalised cache key of a filter (None: it keeps every POI)."""
        # Requests name the same few filters over and over: remember each spelling's normalised key.
        minute = int(open_at.timestamp() // 60) if open_at is not None else None
        spelled = (tuple(categories) if categories else (), tuple(statuses), q or "", minute, tz)
        key = self._spellings.get(spelled, _UNSEEN)
        if key is _UNSEEN:
            key = self._normalised_key(categories, statuses, q, open_at, tz)
            if len(self._spellings) >= 4 * _MASK_CACHE:
                self._spellings.clear()
            self._spellings[spelled] = key
        return key

    @staticmethod
    def _normalised_key(categories: Sequence[str] | None, statuses: Sequence[str], q: str | None,
                        open_at: datetime | None, tz: tzinfo) -> tuple[Any, ...] | None:
        text = normalize_query(q) if q else ""
        minute = None
        if open_at is not None:
            local = open_at.astimezone(tz)
            minute = (local.date(), local.hour * 60 + local.minute)
        every_status = set(statuses) >= set(POI_STATUSES)
        if not categories and every_status and not text and minute is None:
            return None
        return ("filter", tuple(sorted(categories or ())), tuple(sorted(set(statuses))), text, minute)

    def category_tree(self) -> list[CategoryNode]:
        """The category tree with, per node, the number of POIs not closed (descendants included)."""
        found = self.memo.get(("category_tree",))
        if found is None:
            visible = self.categories[self.statuses != _CLOSED]
            counts = np.bincount(visible, minlength=len(DEFAULT_TREE.categories))
            found = DEFAULT_TREE.counted({c.code: int(counts[i]) for i, c in enumerate(DEFAULT_TREE.categories)})
            self.remember(("category_tree",), found)
        return found
