"""One immutable snapshot of the map, built from the database, answering every read in memory.

Memory is the design constraint (100k POIs within ~150 MB): per POI the snapshot keeps a few
numpy entries, its search key and one pre-rendered GeoJSON fragment (bytes), nothing else. Opening
hours are interned: POIs sharing a timetable share one row of the OpenNowTable, so "open now" over
100k POIs is a vector test over the distinct timetables plus one gather.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from geo import coords
from geo import hours as hours_rules
from geo.categories import DEFAULT_TREE, CategoryNode
from geo.clusters import ClusterIndex
from geo.division_set import DivisionSet
from geo.feature_store import Parts, PartsBuilder
from geo.model import POI_STATUSES
from geo.spatial_index import PreparedMask, SpatialIndex, codes_mask, combine_masks
from geo.textmatch import SearchKeys, normalize_query

BoolArray = NDArray[np.bool_]
_OPEN = POI_STATUSES.index("open")
_CLOSED = POI_STATUSES.index("closed")
_MASK_CACHE = 32
_UNSEEN: Any = object()


def feature_head(poi_id: int, lon: float, lat: float) -> bytes:
    """A Feature's opening up to its properties, with the shortest exact repr of each coordinate."""
    return b'{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%r,%r]},' % (poi_id, lon, lat)


class SnapshotBuilder:
    """Accumulates index rows page by page (in a worker thread), then freezes them."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.lons = array("d")
        self.lats = array("d")
        self.categories = array("h")
        self.statuses = array("b")
        self.hours_refs = array("i")
        self.heads = PartsBuilder()
        self.bodies = PartsBuilder()
        self.keys: list[str] = []
        self.hours_ids: dict[str, int] = {}
        self.hours: list[hours_rules.OpeningHours] = []

    def add_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add raw rows ordered as repository.INDEX_COLUMNS (ids ascending across pages)."""
        for poi_id, lon, lat, category, status, name, address, phone, hall_id, hours, key in rows:
            self.ids.append(poi_id)
            self.lons.append(lon)
            self.lats.append(lat)
            self.categories.append(DEFAULT_TREE.id_of(category))
            self.statuses.append(POI_STATUSES.index(status))
            self.hours_refs.append(self._hours_ref(hours))
            self.keys.append(key)
            props = orjson.dumps({"name": name, "category": category, "category_name": DEFAULT_TREE.name(category),
                                  "address": address, "phone": phone, "status": status, "hall_id": hall_id})
            # Open-ended on purpose: each answer appends its per-request properties (open_now, distance_m).
            self.heads.append(feature_head(poi_id, lon, lat))
            self.bodies.append(b'"properties":' + props[:-1])

    def _hours_ref(self, raw: Any) -> int:
        if raw is None:
            return -1
        text = raw if isinstance(raw, str) else orjson.dumps(raw).decode()
        found = self.hours_ids.get(text)
        if found is None:
            parsed = orjson.loads(text)
            if parsed is None:
                return -1
            found = self.hours_ids[text] = len(self.hours)
            self.hours.append(hours_rules.parse_hours(parsed))
        return found

    def finish(self, *, version: str | None, divisions: DivisionSet) -> MapSnapshot:
        """Freeze into a snapshot (builds the spatial, cluster, text and hours indexes)."""
        return MapSnapshot(self, version=version, divisions=divisions)


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

    def __init__(self, built: SnapshotBuilder, *, version: str | None, divisions: DivisionSet) -> None:
        self.version = version
        self.divisions = divisions
        self.ids = np.frombuffer(built.ids, dtype=np.int64).copy()
        self.lons = np.frombuffer(built.lons, dtype=np.float64).copy()
        self.lats = np.frombuffer(built.lats, dtype=np.float64).copy()
        self.categories = np.frombuffer(built.categories, dtype=np.int16).copy()
        self.statuses = np.frombuffer(built.statuses, dtype=np.int8).copy()
        refs = np.frombuffer(built.hours_refs, dtype=np.int32).copy()
        # -1 (hours unknown) points at an extra, never-open slot at the end.
        refs[refs < 0] = len(built.hours)
        self._hours_refs = refs
        self._hours = hours_rules.OpenNowTable(built.hours)
        # Pre-rendered GeoJSON (see geo/feature_store.py). The mini-program asks for every page in
        # GCJ-02 (what WeChat's <map> speaks), so each point's head is rendered in GCJ-02 too.
        self.bodies = built.bodies.finish()
        gcj_lons, gcj_lats = coords.convert_array(self.lons, self.lats, src="wgs84", dst="gcj02")
        self.heads = {"wgs84": built.heads.finish(),
                      "gcj02": Parts.of(feature_head(*row) for row in zip(self.ids.tolist(), gcj_lons.tolist(),
                                                                           gcj_lats.tolist()))}
        self.search = SearchKeys(built.keys)
        self.spatial = SpatialIndex(ids=self.ids, lons=self.lons, lats=self.lats)
        self.clusters = ClusterIndex(lons=self.lons, lats=self.lats)
        self.fingerprint = self._fingerprint(list(built.hours_ids))
        self._masks: OrderedDict[tuple[Any, ...], BoolArray] = OrderedDict()
        self._prepared: OrderedDict[tuple[Any, ...], PreparedMask] = OrderedDict()
        self._spellings: dict[tuple[Any, ...], tuple[Any, ...] | None] = {}
        self.memo: dict[tuple[Any, ...], Any] = {}  # derived answers (coverage) valid for this version
        self._open_state: OpenState | None = None

    def _fingerprint(self, hours_texts: list[str]) -> str:
        """A digest of the content, for ETags that must change even if the version stamp was lost."""
        digest = hashlib.blake2b("\x1e".join(hours_texts).encode(), digest_size=8)
        for column in (self.ids, self.lons, self.lats, self.statuses, self._hours_refs):
            digest.update(column.tobytes())
        digest.update(self.heads["wgs84"].data)
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
        """:meth:`filter_mask` laid out for the spatial index's radius queries (cached too)."""
        # Requests name the same few filters over and over: remember each spelling's normalised key.
        minute = int(open_at.timestamp() // 60) if open_at is not None else None
        spelled = (tuple(categories) if categories else (), tuple(statuses), q or "", minute, tz)
        key = self._spellings.get(spelled, _UNSEEN)
        if key is _UNSEEN:
            key = self._filter_key(categories, statuses, q, open_at, tz)
            if len(self._spellings) >= 4 * _MASK_CACHE:
                self._spellings.clear()
            self._spellings[spelled] = key
        if key is None:
            return None
        found = self._prepared.get(key)
        if found is None:
            mask = self.filter_mask(categories=categories, statuses=statuses, q=q, open_at=open_at, tz=tz)
            found = self._prepared[key] = self.spatial.prepare_mask(mask)  # type: ignore[arg-type]
            if len(self._prepared) > _MASK_CACHE:
                self._prepared.popitem(last=False)
        return found

    @staticmethod
    def _filter_key(categories: Sequence[str] | None, statuses: Sequence[str], q: str | None,
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
