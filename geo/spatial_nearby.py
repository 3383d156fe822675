"""Nearest points within a radius on the grid of :class:`geo.spatial_index.SpatialIndex`, in numpy.

Grid: ``w`` x ``h`` cells of ``dlon`` x ``dlat`` degrees from (``lon0``, ``lat0``); the points are
sorted cell by cell, row after row, and ``cell_start[k]`` is the first point of cell ``k`` (row
``k // w``, column ``k % w``), so the points of a run of cells in one row are one slice.

One query does two things over the cells under the circle's bounding box:

- ``total``: a cell whose four corners lie inside the circle lies wholly inside it (along a
  parallel or a meridian the distance to the centre has one minimum, so its maximum over a cell
  is at a corner); its points are counted at once (from ``cell_start``, or from the filter's
  prefix sums), and only the points of cells on the circle's edge are measured one by one.
- the page: blocks of cells around the centre's cell, doubling, until the block holds ``limit + 1``
  matches nearer than anything outside it can be; those are partially sorted (``argpartition``)
  and ordered by (metres, id).

Distances are squared chords on the unit sphere, turned into metres only for points that may
enter the page; every distance handed out (and compared with a cursor's) comes from the same
expression, so a cursor's distance compares equal on the next page.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geo import coords
from geo.coords import EARTH_RADIUS_M

if TYPE_CHECKING:
    from geo.feature_store import Parts
    from geo.spatial_index import SpatialIndex

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

# Relative slack on squared chords: far above float rounding yet far below any real gap, so a point
# or a cell is only decided on chords when the answer is certain; near ties are measured exactly.
_SLACK = 1e-9
_NO_POSITIONS = np.zeros(0, dtype=np.int64)
_NO_METRES = np.zeros(0, dtype=np.float64)


def metres_of_chord2(chord2: FloatArray) -> FloatArray:
    """Great-circle metres of squared unit-sphere chords."""
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(np.sqrt(chord2) * 0.5, 1.0))


def chord2_of_metres(metres: float) -> float:
    """Squared unit-sphere chord of a great-circle distance (clamped at half the globe)."""
    return (2.0 * math.sin(min(metres / EARTH_RADIUS_M, math.pi) / 2.0)) ** 2


@dataclass(frozen=True, slots=True)
class NearbyPage:
    """One page of a radius query, nearest first; ``total`` counts all matches in the radius."""

    positions: IntArray
    distances_m: FloatArray
    total: int
    has_more: bool
    last_id: int = 0  # id and exact metres of the page's last point (a cursor's content); 0 when empty
    last_m: float = 0.0


@dataclass(frozen=True, slots=True)
class RenderedNearbyPage:
    """One page of a radius query already rendered: ``features`` is the JSON array's contents."""

    features: bytes
    total: int
    has_more: bool
    last_id: int  # id and exact metres of the page's last point (a cursor's content); 0 when empty
    last_m: float


@dataclass(frozen=True, slots=True)
class PreparedMask:
    """A filter laid out in the index's own order: one gather less per query, for masks used often."""

    mask: BoolArray  # in the caller's order, as given
    in_order: BoolArray  # in the index's order
    prefix: NDArray[np.int32]  # prefix[k]: how many set points lie in the grid cells before cell k


@dataclass(frozen=True, slots=True)
class _Circle:
    """One query's circle: centre (degrees and unit vector), radius, and the cells under its box."""

    lon: float
    lat: float
    origin: FloatArray
    radius_m: float
    radius_c2: float
    rows: tuple[int, int]
    cols: tuple[int, int]


class _Filter:
    """A query's filter: which of some sorted positions it keeps, and its running count per cell
    (None for a mask in the caller's order, whose cells cannot be counted whole)."""

    def __init__(self, index: SpatialIndex, mask: BoolArray | PreparedMask | None) -> None:
        self._mask, self._order = None, None
        self.counts: NDArray[np.integer] | None = index._cell_start
        if isinstance(mask, PreparedMask):
            self._mask, self.counts = mask.in_order, mask.prefix
        elif mask is not None:
            index._check_mask(mask)
            self._mask, self._order, self.counts = mask, index._order, None

    def keep(self, found: IntArray) -> BoolArray | None:
        """True where the point at each sorted position passes (None: every point does)."""
        if self._mask is None:
            return None
        return self._mask[found if self._order is None else self._order[found]]


class NearbyMixin:
    """The radius queries of SpatialIndex (which provides the grid attributes used here)."""

    def prepare_mask(self: SpatialIndex, mask: BoolArray) -> PreparedMask:
        """Re-lay a mask in the index's order; worth it for masks kept across many queries."""
        self._check_mask(mask)
        in_order = np.ascontiguousarray(mask[self._order])
        running = np.zeros(len(in_order) + 1, dtype=np.int32)
        np.cumsum(in_order, out=running[1:])
        # Whole cells are counted at once: keep the running count at cell boundaries only.
        return PreparedMask(mask=mask, in_order=in_order, prefix=running[self._cell_start])

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
        keep = _Filter(self, mask)
        circle = self._circle(float(lon), float(lat), float(radius_m))
        if circle is None:
            return NearbyPage(_NO_POSITIONS, _NO_METRES, 0, False)
        total = self._count_in_circle(circle, keep)
        found, metres = self._nearest(circle, keep, int(limit) + 1, after)
        shown = min(len(found), int(limit))
        positions = self._order[found[:shown]]
        last_id, last_m = (int(self._ids[found[shown - 1]]), float(metres[shown - 1])) if shown else (0, 0.0)
        return NearbyPage(positions, metres[:shown], total, len(found) > limit, last_id, last_m)

    def nearby_rendered(
        self: SpatialIndex,
        lon: float,
        lat: float,
        radius_m: float,
        *,
        parts: tuple[Parts, Parts],
        opens: BoolArray,
        src: int = 0,
        mask: BoolArray | PreparedMask | None = None,
        limit: int = 20,
        after: tuple[float, int] | None = None,
    ) -> RenderedNearbyPage:
        """:meth:`nearby` for a point given in system ``src`` (:func:`geo.coords.system_code`), with the
        page rendered from pre-rendered (heads, bodies) ``parts`` in the caller's positions, each
        feature with open_now (from ``opens``) and distance_m."""
        from geo.feature_store import features_page

        heads, bodies = parts
        if len(heads) != len(self._ids) or len(bodies) != len(self._ids) or len(opens) != len(self._ids):
            raise ValueError("parts and opens must have one entry per indexed point")
        if src:
            lon, lat = coords.convert((lon, lat), coords.SYSTEM_NAMES[src], "wgs84")
        page = self.nearby(lon, lat, radius_m, mask=mask, limit=limit, after=after)
        features = features_page(heads, bodies, page.positions, opens, distances_m=page.distances_m)
        return RenderedNearbyPage(features, page.total, page.has_more, page.last_id, page.last_m)

    def _circle(self: SpatialIndex, lon: float, lat: float, radius_m: float) -> _Circle | None:
        """The circle and the cells under its bounding box (clipped to the grid); None if it misses."""
        delta = radius_m / EARTH_RADIUS_M
        reach = math.degrees(delta) * (1 + 1e-9) + 1e-9
        if abs(lat) + reach >= 89.0:
            west, east = self._lon0, self._lon0 + self._w * self._dlon
        else:
            # A spherical cap's widest longitude span: asin(sin(delta) / cos(lat)) either side.
            half = math.degrees(math.asin(min(1.0, math.sin(delta) / math.cos(math.radians(lat)))))
            half = half * (1 + 1e-9) + 1e-9
            west, east = lon - half, lon + half
        rows = (max(math.floor((lat - reach - self._lat0) / self._dlat), 0),
                min(math.floor((lat + reach - self._lat0) / self._dlat), self._h - 1))
        cols = (max(math.floor((west - self._lon0) / self._dlon), 0),
                min(math.floor((east - self._lon0) / self._dlon), self._w - 1))
        if rows[0] > rows[1] or cols[0] > cols[1]:
            return None
        lon_r, lat_r = math.radians(lon), math.radians(lat)
        origin = np.array([math.cos(lat_r) * math.cos(lon_r), math.cos(lat_r) * math.sin(lon_r), math.sin(lat_r)])
        return _Circle(lon, lat, origin, radius_m, chord2_of_metres(radius_m), rows, cols)

    def _chord2(self: SpatialIndex, found: IntArray, origin: FloatArray) -> FloatArray:
        d = self._xyz[found] - origin
        return d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1] + d[:, 2] * d[:, 2]

    def _count_in_circle(self: SpatialIndex, circle: _Circle, keep: _Filter) -> int:
        """Points inside the circle (and the filter): per grid row, the run of cells wholly inside at
        once, the cells the circle's edge crosses point by point, and the rest not at all."""
        first, last = circle.rows
        outer, inner = self._row_spans(circle)
        # Columns in cell units from the grid's west edge; a row the cap misses gets low > high.
        at = (circle.lon - self._lon0) / self._dlon
        west, east = circle.cols
        low = np.clip(np.floor(at - outer), west, east + 1).astype(np.int64)
        high = np.clip(np.floor(at + outer), west - 1, east).astype(np.int64)
        # Cells whose four corners are inside, with a margin: wholly inside (see the module doc).
        inner_low = np.maximum(np.ceil(at - inner), low).astype(np.int64)
        inner_high = np.minimum(np.floor(at + inner) - 1, high).astype(np.int64)
        whole = inner_low <= inner_high
        if keep.counts is None:  # a filter in the caller's order: every cell is measured
            whole[:] = False
        inner_low, inner_high = np.where(whole, inner_low, high + 1), np.where(whole, inner_high, high)
        base = self._row_base[first:last + 1]
        # Per row: cells [low, inner_low) and (inner_high, high] are measured, the rest counted whole.
        a, b, c, d = base + low, base + inner_low, base + inner_high + 1, base + high + 1
        total = int((keep.counts[c] - keep.counts[b]).sum()) if whole.any() else 0
        edges = self._gather_runs(np.concatenate((a, c)), np.concatenate((b, d)))
        inside = self._chord2(edges, circle.origin) <= circle.radius_c2
        kept = keep.keep(edges)
        return total + int(np.count_nonzero(inside if kept is None else inside & kept))

    def _row_spans(self: SpatialIndex, circle: _Circle) -> tuple[FloatArray, FloatArray]:
        """Per grid row of the circle's box, in cells of longitude: half the span the cap covers
        somewhere in the row (widened; negative when it misses the row) and everywhere in it (narrowed)."""
        first, last = circle.rows
        delta = circle.radius_m / EARTH_RADIUS_M
        origin_lat_r = math.radians(circle.lat)
        # Half the cap's longitude span along each parallel between the rows; -1 where it misses it.
        edges_r, edges_cos = self._edge_lat_r[first:last + 2], self._edge_cos[first:last + 2]
        across = math.sin(delta / 2.0) ** 2 - np.sin((edges_r - origin_lat_r) * 0.5) ** 2
        scale = edges_cos * math.cos(origin_lat_r)
        with np.errstate(divide="ignore", invalid="ignore"):
            hw = 2.0 * np.arcsin(np.sqrt(np.clip(across / scale, 0.0, 1.0)))
        hw = np.where(across < 0.0, -1.0, np.where(across >= scale, math.pi, hw))
        outer, inner = np.maximum(hw[:-1], hw[1:]), np.minimum(hw[:-1], hw[1:])
        # Where the cap is widest (sin = sin(lat) / cos(delta)), and how wide it is there.
        widest_sin = math.sin(origin_lat_r) / math.cos(delta) if delta < math.pi / 2 else 2.0
        if abs(widest_sin) <= 1.0:
            widest_hw = math.pi
            if math.sin(delta) < math.cos(origin_lat_r):
                widest_hw = math.asin(math.sin(delta) / math.cos(origin_lat_r))
            row = bisect.bisect_right(edges_r.tolist(), math.asin(widest_sin)) - 1
            for k in (row - 1, row, row + 1):  # an edge within rounding of the widest parallel: both rows
                if 0 <= k < len(outer):
                    outer[k] = max(outer[k], widest_hw)
        to_cells = 180.0 / math.pi / self._dlon
        outer = np.where(outer < 0.0, -1e9, outer * (to_cells * (1.0 + 1e-7)) + 1e-12 / self._dlon)
        return outer, np.maximum(inner, 0.0) * (to_cells * (1.0 - 1e-7))

    def _nearest(self: SpatialIndex, circle: _Circle, keep: _Filter, wanted: int,
                 after: tuple[float, int] | None) -> tuple[IntArray, FloatArray]:
        """Sorted positions and metres of the ``wanted`` nearest matches after the cursor."""
        centre_row = math.floor((circle.lat - self._lat0) / self._dlat)
        centre_col = math.floor((circle.lon - self._lon0) / self._dlon)
        (first_row, last_row), (first_col, last_col) = circle.rows, circle.cols
        # Lower bound of the squared chord to anything k whole cells away: k cells of latitude, or
        # of longitude at the box's most poleward latitude (where a degree of longitude is shortest).
        poleward = max(abs(self._lat0 + first_row * self._dlat), abs(self._lat0 + (last_row + 1) * self._dlat))
        lon_factor = 4.0 * math.cos(math.radians(min(poleward, 90.0))) ** 2
        reach = self._first_reach
        while True:
            rows = (max(centre_row - reach, first_row), min(centre_row + reach, last_row))
            cols = (max(centre_col - reach, first_col), min(centre_col + reach, last_col))
            everything = rows == circle.rows and cols == circle.cols
            found, c2 = self._matches(circle, keep, rows, cols, after)
            if everything:
                break
            bound = min(4.0 * math.sin(math.radians(reach * self._dlat) / 2.0) ** 2,
                        lon_factor * math.sin(math.radians(reach * self._dlon) / 2.0) ** 2)
            if np.count_nonzero(c2 < bound * (1.0 - _SLACK)) >= wanted:
                break
            reach *= 2
        if len(found) > wanted:
            # The wanted nearest by chord, plus any near tie with the last of them: ids decide ties.
            cut = np.partition(c2, wanted - 1)[wanted - 1]
            near = c2 <= cut * (1.0 + _SLACK)
            found, c2 = found[near], c2[near]
        metres = metres_of_chord2(c2)
        order = np.lexsort((self._ids[found], metres))[:wanted]
        return found[order], metres[order]

    def _matches(self: SpatialIndex, circle: _Circle, keep: _Filter, rows: tuple[int, int], cols: tuple[int, int],
                 after: tuple[float, int] | None) -> tuple[IntArray, FloatArray]:
        """Sorted positions and squared chords of the matches in a block of cells (after the cursor)."""
        found = self._gather_box(rows[0], rows[1], cols[0], cols[1])
        c2 = self._chord2(found, circle.origin)
        good = c2 <= circle.radius_c2
        kept = keep.keep(found)
        if kept is not None:
            good &= kept
        if after is not None:
            after_m, after_id = float(after[0]), int(after[1])
            after_c2 = chord2_of_metres(after_m)
            good &= c2 >= after_c2 * (1.0 - _SLACK)
            close = np.flatnonzero(good & (c2 <= after_c2 * (1.0 + _SLACK)))
            if len(close):  # near the cursor: compare exact metres, then ids
                metres = metres_of_chord2(c2[close])
                good[close] = (metres > after_m) | ((metres == after_m) & (self._ids[found[close]] > after_id))
        return found[good], c2[good]

    def _gather_runs(self: SpatialIndex, first_cells: IntArray, stop_cells: IntArray) -> IntArray:
        """Sorted-order positions of the points in runs of cells ``first_cells[k]..stop_cells[k] - 1``."""
        starts = self._cell_start[first_cells]
        lengths = np.maximum(self._cell_start[np.maximum(stop_cells, first_cells)] - starts, 0)
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        # Concatenated ranges without a Python loop: shift a running arange per range.
        return np.repeat(starts - (ends - lengths), lengths) + np.arange(total)

    def _gather_box(self: SpatialIndex, first_row: int, last_row: int, first_col: int, last_col: int) -> IntArray:
        """Sorted-order positions of the points in a block of cells: one contiguous slice per row."""
        if first_row > last_row or first_col > last_col:
            return np.empty(0, dtype=np.int64)
        rows = self._row_base[first_row:last_row + 1]
        return self._gather_runs(rows + first_col, rows + last_col + 1)

