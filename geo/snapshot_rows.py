"""The per-POI columns a map snapshot is built from: from raw database rows, and merged with a few changed
rows without reading the others again.

A full build reads and renders every POI (about a second at 100k). After an edit the index needs
only the rows that changed: :func:`patch` writes them over their old versions, and appends new POIs
(whose ids are above every other), copying the small numeric columns and sharing the pre-rendered
parts (see Parts.with_items); :func:`merge`, for anything else (a POI removed, an id that falls
between others), drops the old versions, adds the new ones and keeps id order, copying every part.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from geo import coords
from geo import hours as hours_rules
from geo.categories import DEFAULT_TREE
from geo.feature_store import Parts, PartsBuilder
from geo.model import POI_STATUSES
from geo.textmatch import search_record


def feature_head(poi_id: int, lon: float, lat: float) -> bytes:
    """A Feature's opening up to its properties, with the shortest exact repr of each coordinate."""
    return b'{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%r,%r]},' % (poi_id, lon, lat)


class FeatureHeads:
    """Each POI's Feature head (:func:`feature_head`) in one coordinate system, rendered when a page asks
    for it from the snapshot's columns: a page's twenty heads cost microseconds, while keeping them
    rendered cost ~95 bytes a POI per system (190 MB at 1M) and a second of every build."""

    __slots__ = ("coord", "ids", "lats", "lons")

    def __init__(self, ids: NDArray[np.int64], lons: NDArray[np.float64], lats: NDArray[np.float64],
                 coord: str) -> None:
        self.ids, self.lons, self.lats, self.coord = ids, lons, lats, coord

    def __len__(self) -> int:
        return len(self.ids)

    def pick(self, positions: NDArray[np.int64]) -> list[bytes]:
        """The heads at ``positions`` (checked: IndexError outside), in that order."""
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions) and (positions.min() < 0 or positions.max() >= len(self)):
            raise IndexError("position out of range")
        lons, lats = self.lons[positions], self.lats[positions]
        if self.coord != "wgs84":
            lons, lats = coords.convert_array(lons, lats, src="wgs84", dst=self.coord)
        return [feature_head(*head) for head in zip(self.ids[positions].tolist(), lons.tolist(), lats.tolist())]

    def __getitem__(self, i: int) -> bytes:
        return self.pick(np.array([i]))[0]

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self), 65536):
            yield from self.pick(np.arange(start, min(start + 65536, len(self))))


@dataclass(frozen=True, slots=True)
class Timetables:
    """Distinct opening hours, interned: POIs sharing a timetable share its index."""

    index: dict[str, int]  # the timetable's JSON text -> its position in ``hours``
    hours: list[hours_rules.OpeningHours]

    def copy(self) -> Timetables:
        return Timetables(dict(self.index), list(self.hours))


@dataclass(frozen=True, slots=True)
class PoiRows:
    """One entry per POI, in ascending id order."""

    ids: NDArray[np.int64]
    lons: NDArray[np.float64]
    lats: NDArray[np.float64]
    categories: NDArray[np.int16]
    statuses: NDArray[np.int8]
    hours_refs: NDArray[np.int32]  # into Timetables.hours; -1 when the hours are unknown
    keys: Parts  # search keys as records (geo/textmatch.py's search_record)
    bodies: Parts  # pre-rendered properties, open-ended (geo/feature_store.py)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, positions: NDArray[np.int64]) -> PoiRows:
        return PoiRows(self.ids[positions], self.lons[positions], self.lats[positions],
                       self.categories[positions], self.statuses[positions], self.hours_refs[positions],
                       self.keys.take(positions), self.bodies.take(positions))

    @staticmethod
    def concat(first: PoiRows, second: PoiRows) -> PoiRows:
        return PoiRows(*(np.concatenate((getattr(first, name), getattr(second, name)))
                         for name in ("ids", "lons", "lats", "categories", "statuses", "hours_refs")),
                       Parts.concat(first.keys, second.keys), Parts.concat(first.bodies, second.bodies))


def merge(old: PoiRows, changed: PoiRows, removed: Iterable[int] = ()) -> PoiRows:
    """``old`` without the POIs in ``changed`` or ``removed``, plus ``changed``, in id order."""
    gone = np.concatenate((changed.ids, np.fromiter(removed, dtype=np.int64)))
    both = PoiRows.concat(old, changed)
    kept = np.flatnonzero(np.concatenate((~np.isin(old.ids, gone), np.ones(len(changed), dtype=bool))))
    return both.take(kept[np.argsort(both.ids[kept], kind="stable")])


_COLUMNS = ("ids", "lons", "lats", "categories", "statuses", "hours_refs")
_PARTS = ("keys", "bodies")


def patch(old: PoiRows, changed: PoiRows) -> tuple[PoiRows, NDArray[np.int64]] | None:
    """``old`` with ``changed``'s POIs written over their old versions and new ones appended, and the
    positions ``changed``'s rows took; None when a new POI's id is not above every id of ``old``
    (positions would shift: :func:`merge` instead)."""
    order = np.argsort(changed.ids, kind="stable")
    changed = changed.take(order) if len(order) and np.any(np.diff(order) != 1) else changed
    at = np.searchsorted(old.ids, changed.ids)
    exists = np.zeros(len(changed), dtype=bool)
    inside = at < len(old)
    exists[inside] = old.ids[at[inside]] == changed.ids[inside]
    added = ~exists
    if len(old) and np.any(changed.ids[added] <= old.ids[-1]):
        return None
    size = len(old) + int(np.count_nonzero(added))
    positions = np.where(exists, at, len(old) + np.cumsum(added) - 1).astype(np.int64)
    columns = []
    for name in _COLUMNS:
        before = getattr(old, name)
        column = np.empty(size, dtype=before.dtype)
        column[:len(old)] = before
        column[positions] = getattr(changed, name)
        columns.append(column)
    at_list = positions.tolist()
    parts = [getattr(old, name).with_items(dict(zip(at_list, getattr(changed, name))), size) for name in _PARTS]
    return PoiRows(*columns, *parts), positions


class SnapshotBuilder:
    """Turns raw rows (page by page, in a worker thread) into :class:`PoiRows`."""

    def __init__(self, timetables: Timetables | None = None) -> None:
        self.timetables = timetables or Timetables({}, [])
        self._ids = array("q")
        self._lons = array("d")
        self._lats = array("d")
        self._categories = array("h")
        self._statuses = array("b")
        self._hours_refs = array("i")
        self._bodies = PartsBuilder()
        self._keys = PartsBuilder()

    def add_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add raw rows ordered as repository.INDEX_COLUMNS (ids ascending across pages)."""
        for poi_id, lon, lat, category, status, name, address, phone, hall_id, hours, key in rows:
            self._ids.append(poi_id)
            self._lons.append(lon)
            self._lats.append(lat)
            self._categories.append(DEFAULT_TREE.id_of(category))
            self._statuses.append(POI_STATUSES.index(status))
            self._hours_refs.append(self._hours_ref(hours))
            self._keys.append(search_record(key))
            props = orjson.dumps({"name": name, "category": category, "category_name": DEFAULT_TREE.name(category),
                                  "address": address, "phone": phone, "status": status, "hall_id": hall_id})
            # Open-ended on purpose: each answer appends its per-request properties (open_now, distance_m).
            self._bodies.append(b'"properties":' + props[:-1])

    def _hours_ref(self, raw: Any) -> int:
        if raw is None:
            return -1
        text = raw if isinstance(raw, str) else orjson.dumps(raw).decode()
        table = self.timetables
        found = table.index.get(text)
        if found is None:
            parsed = orjson.loads(text)
            if parsed is None:
                return -1
            found = table.index[text] = len(table.hours)
            table.hours.append(hours_rules.parse_hours(parsed))
        return found

    def rows(self) -> PoiRows:
        """The rows added so far."""
        return PoiRows(*(np.frombuffer(column, dtype=dtype).copy() for column, dtype in (
            (self._ids, np.int64), (self._lons, np.float64), (self._lats, np.float64), (self._categories, np.int16),
            (self._statuses, np.int8), (self._hours_refs, np.int32))), self._keys.finish(), self._bodies.finish())
