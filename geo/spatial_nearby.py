"""Nearest points within a radius on the grid of :class:`geo.spatial_index.SpatialIndex`.

The candidates are the points of the grid cells under the circle's bounding box (a few contiguous
slices of the row-sorted arrays), measured by squared chord on the unit sphere in one pass; only
the page's points are turned into metres. Numpy's per-call cost dominates at this size, so the
query is written as few array operations as possible. Every distance comes from the same
elementwise arithmetic, so a distance handed out in a cursor compares equal on the next page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geo.coords import EARTH_RADIUS_M

if TYPE_CHECKING:
    from geo.spatial_index import SpatialIndex

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class NearbyPage:
    """One page of a radius query, nearest first; ``total`` counts all matches in the radius."""

    positions: IntArray
    distances_m: FloatArray
    total: int
    has_more: bool


@dataclass(frozen=True, slots=True)
class PreparedMask:
    """A filter laid out in the index's own order: one gather less per query, for masks used often."""

    mask: BoolArray  # in the caller's order, as given
    in_order: BoolArray  # in the index's order


class NearbyMixin:
    """The radius queries of SpatialIndex (which provides the grid attributes used here)."""

    def prepare_mask(self: SpatialIndex, mask: BoolArray) -> PreparedMask:
        """Re-lay a mask in the index's order; worth it for masks kept across many queries."""
        self._check_mask(mask)
        return PreparedMask(mask=mask, in_order=np.ascontiguousarray(mask[self._order]))

    def nearby(
        self: SpatialIndex,
        lon: float,
        lat: float,
        radius_m: float,
        *,
        mask: BoolArray | PreparedMask | None = None,
        limit: int = 20,
        after: tuple[float, int] | None = None,
    ) -> NearbyPage:
        """Points within ``radius_m`` (haversine, inclusive) sorted by (distance, id).

        ``after`` is the (distance_m, id) of the last item of the previous page, exactly as
        returned (keyset pagination); ``total`` ignores ``after`` and ``limit``.
        """
        if not radius_m > 0 or limit < 0:
            raise ValueError("radius_m must be positive and limit non-negative")
        found, chord2 = self._in_circle(lon, lat, radius_m, mask)
        total = len(found)
        if after is None:
            page, metres = self._nearest(found, chord2, limit, radius_m)
            return NearbyPage(self._order[found[page]], metres, total, total > limit)
        dist = distance_of(chord2)
        ids = self._ids[found]
        later = (dist > after[0]) | ((dist == after[0]) & (ids > after[1]))
        found, dist, ids = found[later], dist[later], ids[later]
        page = smallest_by_distance_then_id(dist, ids, limit, radius_m=radius_m)
        return NearbyPage(self._order[found[page]], dist[page], total, len(found) > limit)

    def _nearest(self: SpatialIndex, found: IntArray, chord2: FloatArray, limit: int,
                 radius_m: float) -> tuple[IntArray, FloatArray]:
        """The ``limit`` smallest (distance, id): indices into ``found`` and their metres, in order."""
        if limit == 0 or len(found) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0)
        picked = np.arange(len(found))
        if len(found) > 4 * limit:
            # Chords squared grow with the area they enclose: guess one holding ~4x limit points.
            guess = chord2_of(radius_m) * 4 * limit / len(found)
            picked = np.flatnonzero(chord2 <= guess)
            kth = np.partition(chord2[picked], limit - 1)[limit - 1] if len(picked) >= limit else guess
            if len(picked) < limit or kth * (1 + 1e-12) > guess:
                # Too few for the guess, or the k-th sits on its edge: cut a hair above the true k-th
                # chord, so near-ties that round to the same metres are all in and the ids decide
                # among them exactly as on later pages.
                kth = np.partition(chord2, limit - 1)[limit - 1]
                picked = np.flatnonzero(chord2 <= kth * (1 + 1e-12))
        metres = distance_of(chord2[picked])
        order = np.lexsort((self._ids[found[picked]], metres))[:limit]
        return picked[order], metres[order]

    def _in_circle(self: SpatialIndex, lon: float, lat: float, radius_m: float,
                   mask: BoolArray | PreparedMask | None) -> tuple[IntArray, FloatArray]:
        """Sorted-order positions inside the circle (and the mask) with their squared chords."""
        found = self._gather_box(*self._circle_box(lon, lat, radius_m))
        lon_r, lat_r = math.radians(lon), math.radians(lat)
        origin = (math.cos(lat_r) * math.cos(lon_r), math.cos(lat_r) * math.sin(lon_r), math.sin(lat_r))
        # Squared chord from coordinate differences, so short distances keep full precision.
        chord2 = self._x[found]
        chord2 -= origin[0]
        chord2 *= chord2
        for axis, at in ((self._y, origin[1]), (self._z, origin[2])):
            part = axis[found]
            part -= at
            part *= part
            chord2 += part
        keep = chord2 <= chord2_of(radius_m)
        if isinstance(mask, PreparedMask):
            keep &= mask.in_order[found]
        elif mask is not None:
            self._check_mask(mask)
            keep &= mask[self._order[found]]
        return found[keep], chord2[keep]

    def _circle_box(self: SpatialIndex, lon: float, lat: float, radius_m: float) -> tuple[int, int, int, int]:
        """First and last grid row and column under the circle's bounding box (clipped to the grid)."""
        delta = radius_m / EARTH_RADIUS_M
        reach = math.degrees(delta) * (1 + 1e-9) + 1e-9
        if abs(lat) + reach >= 89.0:
            west, east = self._lon0, self._lon0 + self._w * self._dlon
        else:
            # A spherical cap's widest longitude span: asin(sin(delta) / cos(lat)) either side.
            half = math.degrees(math.asin(min(1.0, math.sin(delta) / math.cos(math.radians(lat)))))
            half = half * (1 + 1e-9) + 1e-9
            west, east = lon - half, lon + half
        rows = self._rows_between(lat - reach, lat + reach)
        first_col = max(math.floor((west - self._lon0) / self._dlon), 0)
        last_col = min(math.floor((east - self._lon0) / self._dlon), self._w - 1)
        return rows.start, rows.stop - 1, first_col, last_col

    def _gather_box(self: SpatialIndex, first_row: int, last_row: int, first_col: int, last_col: int) -> IntArray:
        """Sorted-order positions of the points in a block of cells: one contiguous slice per row."""
        if first_row > last_row or first_col > last_col:
            return np.empty(0, dtype=np.int64)
        rows = self._row_base[first_row:last_row + 1]
        bounds = self._cell_start[rows[:, None] + (first_col, last_col + 1)]
        starts = bounds[:, 0]
        lengths = bounds[:, 1] - starts
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        # Concatenated ranges without a Python loop: shift a running arange per range.
        return np.repeat(starts - (ends - lengths), lengths) + np.arange(total)


def chord2_of(distance_m: float) -> float:
    """Squared unit-sphere chord of a great-circle distance."""
    return (2.0 * math.sin(min(distance_m / EARTH_RADIUS_M, math.pi) / 2.0)) ** 2


def distance_of(chord2: FloatArray) -> FloatArray:
    """Great-circle metres of squared unit-sphere chords (elementwise, so always the same float)."""
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(np.sqrt(chord2) * 0.5, 1.0))


def smallest_by_distance_then_id(dist: FloatArray, ids: IntArray, limit: int, *, radius_m: float) -> IntArray:
    """Indices of the ``limit`` smallest (distance, id) pairs, in order."""
    if limit == 0 or len(dist) == 0:
        return np.empty(0, dtype=np.int64)
    candidates = np.arange(len(dist))
    if len(dist) > 4 * limit:
        # Guess a distance that holds ~4x limit points if they were spread evenly over the
        # disc (or ring, after a cursor); a cheap scan then avoids a partition of thousands.
        inner = float(dist.min()) ** 2
        guess = math.sqrt(inner + (radius_m**2 - inner) * 4 * limit / len(dist))
        candidates = np.flatnonzero(dist <= guess)
        if len(candidates) < limit:
            candidates = np.argpartition(dist, limit - 1)[:limit]
            kth = dist[candidates].max()
            # Ties may straddle the cut: keep every tied point so the ids decide.
            candidates = np.flatnonzero(dist <= kth)
    ordered = candidates[np.lexsort((ids[candidates], dist[candidates]))]
    return ordered[:limit]
