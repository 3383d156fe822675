"""The map's points on a grid of cells, in memory: nearest within a radius, and points in a bbox.

Build one :class:`PointGrid` per data version and replace the reference when the data changes
(readers holding the old one keep a consistent snapshot). Points live in a uniform grid of cells
sized to the data (about ``_POINTS_PER_CELL`` points per occupied cell), sorted row by row, so a
query reads one contiguous slice per grid row.

Positions: the caller passes arrays in its own order (say, a list of Poi). Every result and every
``mask`` refers to positions in that order. ``mask`` is a boolean array (true = keep) built from
the filters with :func:`codes_mask` (categories, status), :class:`geo.hours.OpenNowTable`,
:class:`geo.textmatch.SearchKeys` and :func:`combine_masks`; a mask used for many queries can be
prepared once (:meth:`PointGrid.prepare_mask`).

The radius query, in numpy. Grid: ``w`` x ``h`` cells of ``dlon`` x ``dlat`` degrees from
(``lon0``, ``lat0``); ``cell_start[k]`` is the first point of cell ``k`` (row ``k // w``, column
``k % w``), so the points of a run of cells in one row are one slice. One query does two things
over the cells under the circle's bounding box:

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

One module past the house's ~300 lines on purpose: the grid and its queries share every private
attribute, and split in two the radius query had become a mixin reaching into the grid.
"""

from __future__ import annotations

import bisect
import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo import coords
from geo.coords import EARTH_RADIUS_M
from geo.feature_store import Picker, features_page

__all__ = ["BboxPage", "NearbyPage", "PointGrid", "PreparedMask", "codes_mask", "combine_masks"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_DEG_M = EARTH_RADIUS_M * math.pi / 180.0  # metres per degree of latitude
_BASE_CELL_M = 250.0
_POINTS_PER_CELL = 8  # per occupied cell: few enough to measure a circle's edge cells cheaply
_MAX_CELLS = 1 << 20  # bounds the cell table (8 MB) even for data spread over all of China


@dataclass(frozen=True, slots=True)
class BboxPage:
    """One page of a bbox query in ascending id order; ``total`` counts all matches in the bbox."""

    positions: IntArray
    total: int
    has_more: bool


def codes_mask(codes: ArrayLike, wanted: Iterable[int]) -> BoolArray:
    """True where ``codes[i]`` (small non-negative ints: category ids, status codes) is wanted."""
    codes = np.asarray(codes)
    wanted_arr = np.fromiter(wanted, dtype=np.int64)
    size = int(max(codes.max(initial=-1), wanted_arr.max(initial=-1))) + 1
    # A lookup table is several times faster than np.isin over 100k codes.
    table = np.zeros(size, dtype=bool)
    table[wanted_arr] = True
    return table[codes]


def combine_masks(*masks: BoolArray | None) -> BoolArray | None:
    """Logical AND of the given masks, ignoring None; None when no filter applies."""
    present = [m for m in masks if m is not None]
    if not present:
        return None
    result = present[0].copy()
    for mask in present[1:]:
        result &= mask
    return result


# Relative slack on squared chords: far above float rounding yet far below any real gap, so a point
# or a cell is only decided on chords when the answer is certain; near ties are measured exactly.
_SLACK = 1e-9
_SMALL_BOX = 8192  # up to this many points under the circle's box, measure them all (fewer numpy calls)
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

    def __init__(self, index: PointGrid, mask: BoolArray | PreparedMask | None) -> None:
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


class PointGrid:
    """WGS-84 points, each with a unique int id, on a grid of cells: radius and bbox queries."""

    def __init__(
        self, *, ids: ArrayLike, lons: ArrayLike, lats: ArrayLike, cell_m: float | None = None
    ) -> None:
        """Build the index (O(n log n)); arrays are in the caller's order. Cells are ``cell_m`` wide,
        by default sized to the data: a few points per occupied cell (see :func:`_cell_size`)."""
        ids_a = np.asarray(ids, dtype=np.int64)
        lon = np.asarray(lons, dtype=np.float64)
        lat = np.asarray(lats, dtype=np.float64)
        if not (ids_a.shape == lon.shape == lat.shape) or ids_a.ndim != 1:
            raise ValueError("ids, lons and lats must be 1-d arrays of one length")
        if len(np.unique(ids_a)) != len(ids_a):
            raise ValueError("ids must be unique")
        self._setup_grid(lon, lat, cell_m or _BASE_CELL_M)
        cells = self._cell_of(lon, lat)
        if cell_m is None and len(cells):
            self._setup_grid(lon, lat, _cell_size(cells))
            cells = self._cell_of(lon, lat)
        order = np.argsort(cells, kind="stable")
        self._order = order
        self._ids = ids_a[order]
        self._lon = lon[order]
        self._lat = lat[order]
        # One row per point: the three coordinates a distance needs share a cache line.
        self._xyz = np.ascontiguousarray(np.column_stack(_unit_vectors(self._lon, self._lat)))
        self._cell_start = np.searchsorted(cells[order], np.arange(self._w * self._h + 1))
        self._row_base = np.arange(self._h, dtype=np.int64) * self._w
        # The parallels between rows, for the radius query's per-row spans (_row_spans).
        self._edge_lat_r = np.radians(self._lat0 + np.arange(self._h + 1) * self._dlat)
        self._edge_cos = np.cos(self._edge_lat_r)
        # How many cells around the centre's the page search starts with: enough for a page on average.
        per_cell = max(1.0, len(ids_a) / max(1, int(np.count_nonzero(np.diff(self._cell_start)))))
        self._first_reach = max(1, math.ceil((math.sqrt(21 / per_cell) - 1) / 2))

    def __len__(self) -> int:
        return len(self._ids)

    def with_points(self, positions: ArrayLike, ids: ArrayLike, lons: ArrayLike, lats: ArrayLike) -> PointGrid | None:
        """A grid with the points at caller ``positions`` moved to (``lons``, ``lats``), or added when a
        position is past the last one (added positions follow the last without a gap), without
        sorting again: the old entries leave their cells and the new ones join the end of theirs.
        Copies the sorted arrays (no per-point Python work); ``self`` is left as it was.
        None when a point falls outside the grid's extent (or past the cell table): build a new grid."""
        at = np.asarray(positions, dtype=np.int64)
        lon = np.asarray(lons, dtype=np.float64)
        lat = np.asarray(lats, dtype=np.float64)
        col, row = self._col(lon), self._row(lat)
        if not (np.all((col >= 0) & (col < self._w)) and np.all((row >= 0) & (row < self._h))):
            return None
        n = len(self._ids)
        added = at >= n
        if np.any(np.sort(at[added]) != np.arange(n, n + int(np.count_nonzero(added)))):
            raise ValueError("added positions must follow the last one without a gap")
        leaving = _sorted_positions(self._order, at[~added])
        cells = row * self._w + col
        # Cell bounds once the moved points have left; each new entry goes to the end of its cell.
        start = self._cell_start - np.searchsorted(leaving, self._cell_start)
        into = start[cells + 1]
        joining = np.argsort(into, kind="stable")
        into = into[joining]
        grid = copy.copy(self)
        for name, values in (("_order", at), ("_ids", ids), ("_lon", lon), ("_lat", lat)):
            setattr(grid, name, splice(getattr(self, name), leaving, into, np.asarray(values)[joining]))
        grid._xyz = splice(self._xyz, leaving, into, np.column_stack(_unit_vectors(lon, lat))[joining])
        grid._cell_start = start + np.searchsorted(np.sort(cells), np.arange(len(start)))
        return grid

    def _check_mask(self, mask: BoolArray | None) -> None:
        if mask is not None and mask.shape != self._ids.shape:
            raise ValueError("mask must have one entry per indexed point")

    def _setup_grid(self, lon: FloatArray, lat: FloatArray, cell_m: float) -> None:
        if len(lon) == 0:
            lon, lat = np.zeros(1), np.zeros(1)
        self._lon0, self._lat0 = float(lon.min()), float(lat.min())
        widest = max(abs(float(lat.min())), abs(float(lat.max())))
        self._dlat = cell_m / _DEG_M
        self._dlon = cell_m / (_DEG_M * max(math.cos(math.radians(widest)), 0.01))
        span_x = (float(lon.max()) - self._lon0) / self._dlon
        span_y = (float(lat.max()) - self._lat0) / self._dlat
        grow = max(1.0, math.sqrt((span_x + 1) * (span_y + 1) / _MAX_CELLS))
        self._dlon *= grow
        self._dlat *= grow
        self._w = int(span_x / grow) + 1
        self._h = int(span_y / grow) + 1

    def _col(self, lon: ArrayLike) -> IntArray:
        return np.floor((np.asarray(lon) - self._lon0) / self._dlon).astype(np.int64)

    def _row(self, lat: ArrayLike) -> IntArray:
        return np.floor((np.asarray(lat) - self._lat0) / self._dlat).astype(np.int64)

    def _rows_between(self, south: float, north: float) -> slice:
        first = max(math.floor((south - self._lat0) / self._dlat), 0)
        last = min(math.floor((north - self._lat0) / self._dlat), self._h - 1)
        return slice(first, max(last + 1, first))

    def _cell_of(self, lon: FloatArray, lat: FloatArray) -> IntArray:
        cx = np.clip(self._col(lon), 0, self._w - 1)
        cy = np.clip(self._row(lat), 0, self._h - 1)
        return cy * self._w + cx

    def within_bbox(
        self,
        min_lon: float,
        min_lat: float,
        max_lon: float,
        max_lat: float,
        *,
        mask: BoolArray | None = None,
        limit: int = 100,
        after: int | None = None,
    ) -> BboxPage:
        """Points in the bbox (edges included) by ascending id; ``after`` is the last id seen."""
        if min_lon > max_lon or min_lat > max_lat or limit < 0:
            raise ValueError("bbox must be min_lon,min_lat,max_lon,max_lat with min <= max")
        self._check_mask(mask)
        rows = self._rows_between(min_lat, max_lat)
        first_col = max(math.floor((min_lon - self._lon0) / self._dlon), 0)
        last_col = min(math.floor((max_lon - self._lon0) / self._dlon), self._w - 1)
        found = self._gather_box(rows.start, rows.stop - 1, first_col, last_col)
        lon, lat = self._lon[found], self._lat[found]
        keep = (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)
        if mask is not None:
            keep &= mask[self._order[found]]
        found = found[keep]
        total = len(found)
        ids = self._ids[found]
        if after is not None:
            found, ids = found[ids > after], ids[ids > after]
        if len(ids) > limit:
            pick = np.argpartition(ids, limit - 1)[:limit] if limit else ids[:0]
        else:
            pick = np.arange(len(ids))
        pick = pick[np.argsort(ids[pick])]
        return BboxPage(positions=self._order[found[pick]], total=total, has_more=len(ids) > limit)

    def prepare_mask(self, mask: BoolArray) -> PreparedMask:
        """Re-lay a mask in the index's order; worth it for masks kept across many queries."""
        self._check_mask(mask)
        in_order = np.ascontiguousarray(mask[self._order])
        running = np.zeros(len(in_order) + 1, dtype=np.int32)
        np.cumsum(in_order, out=running[1:])
        # Whole cells are counted at once: keep the running count at cell boundaries only.
        return PreparedMask(mask=mask, in_order=in_order, prefix=running[self._cell_start])

    def nearby(
        self,
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
        if self._box_population(circle) <= _SMALL_BOX:  # measuring every point is the cheaper way
            found, c2, total = self._matches(circle, keep, circle.rows, circle.cols, after)
            found, metres = self._page_of(found, c2, int(limit) + 1)
        else:
            total = self._count_in_circle(circle, keep)
            found, metres = self._nearest(circle, keep, int(limit) + 1, after)
        shown = min(len(found), int(limit))
        positions = self._order[found[:shown]]
        last_id, last_m = (int(self._ids[found[shown - 1]]), float(metres[shown - 1])) if shown else (0, 0.0)
        return NearbyPage(positions, metres[:shown], total, len(found) > limit, last_id, last_m)

    def nearby_rendered(
        self,
        lon: float,
        lat: float,
        radius_m: float,
        *,
        parts: tuple[Picker, Picker],
        opens: BoolArray,
        src: int = 0,
        mask: BoolArray | PreparedMask | None = None,
        limit: int = 20,
        after: tuple[float, int] | None = None,
    ) -> RenderedNearbyPage:
        """:meth:`nearby` for a point given in system ``src`` (:func:`geo.coords.system_code`), with the
        page rendered from pre-rendered (heads, bodies) ``parts`` in the caller's positions, each
        feature with open_now (from ``opens``) and distance_m."""
        heads, bodies = parts
        if len(heads) != len(self._ids) or len(bodies) != len(self._ids) or len(opens) != len(self._ids):
            raise ValueError("parts and opens must have one entry per indexed point")
        if src:
            lon, lat = coords.convert((lon, lat), coords.SYSTEM_NAMES[src], "wgs84")
        page = self.nearby(lon, lat, radius_m, mask=mask, limit=limit, after=after)
        features = features_page(heads, bodies, page.positions, opens, distances_m=page.distances_m)
        return RenderedNearbyPage(features, page.total, page.has_more, page.last_id, page.last_m)

    def _circle(self, lon: float, lat: float, radius_m: float) -> _Circle | None:
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

    def _chord2(self, found: IntArray, origin: FloatArray) -> FloatArray:
        d = self._xyz[found] - origin
        return d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1] + d[:, 2] * d[:, 2]

    def _count_in_circle(self, circle: _Circle, keep: _Filter) -> int:
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

    def _row_spans(self, circle: _Circle) -> tuple[FloatArray, FloatArray]:
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

    def _nearest(self, circle: _Circle, keep: _Filter, wanted: int,
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
            found, c2, _ = self._matches(circle, keep, rows, cols, after)
            if everything:
                break
            bound = min(4.0 * math.sin(math.radians(reach * self._dlat) / 2.0) ** 2,
                        lon_factor * math.sin(math.radians(reach * self._dlon) / 2.0) ** 2)
            if np.count_nonzero(c2 < bound * (1.0 - _SLACK)) >= wanted:
                break
            reach *= 2
        return self._page_of(found, c2, wanted)

    def _page_of(self, found: IntArray, c2: FloatArray, wanted: int) -> tuple[IntArray, FloatArray]:
        """The ``wanted`` nearest of some matches by (metres, id): sorted positions and metres."""
        if len(found) > wanted:
            # The wanted nearest by chord, plus any near tie with the last of them: ids decide ties.
            cut = np.partition(c2, wanted - 1)[wanted - 1]
            near = c2 <= cut * (1.0 + _SLACK)
            found, c2 = found[near], c2[near]
        metres = metres_of_chord2(c2)
        order = np.lexsort((self._ids[found], metres))[:wanted]
        return found[order], metres[order]

    def _box_population(self, circle: _Circle) -> int:
        """How many points lie in the cells under the circle's bounding box."""
        rows = self._row_base[circle.rows[0]:circle.rows[1] + 1]
        return int((self._cell_start[rows + circle.cols[1] + 1] - self._cell_start[rows + circle.cols[0]]).sum())

    def _matches(self, circle: _Circle, keep: _Filter, rows: tuple[int, int], cols: tuple[int, int],
                 after: tuple[float, int] | None) -> tuple[IntArray, FloatArray, int]:
        """Sorted positions and squared chords of the matches in a block of cells after the cursor, and
        how many matches the block holds before the cursor is applied."""
        found = self._gather_box(rows[0], rows[1], cols[0], cols[1])
        c2 = self._chord2(found, circle.origin)
        good = c2 <= circle.radius_c2
        kept = keep.keep(found)
        if kept is not None:
            good &= kept
        matches = int(np.count_nonzero(good))
        if after is not None:
            after_m, after_id = float(after[0]), int(after[1])
            after_c2 = chord2_of_metres(after_m)
            good &= c2 >= after_c2 * (1.0 - _SLACK)
            close = np.flatnonzero(good & (c2 <= after_c2 * (1.0 + _SLACK)))
            if len(close):  # near the cursor: compare exact metres, then ids
                metres = metres_of_chord2(c2[close])
                good[close] = (metres > after_m) | ((metres == after_m) & (self._ids[found[close]] > after_id))
        return found[good], c2[good], matches

    def _gather_runs(self, first_cells: IntArray, stop_cells: IntArray) -> IntArray:
        """Sorted-order positions of the points in runs of cells ``first_cells[k]..stop_cells[k] - 1``."""
        starts = self._cell_start[first_cells]
        lengths = np.maximum(self._cell_start[np.maximum(stop_cells, first_cells)] - starts, 0)
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        # Concatenated ranges without a Python loop: shift a running arange per range.
        return np.repeat(starts - (ends - lengths), lengths) + np.arange(total)

    def _gather_box(self, first_row: int, last_row: int, first_col: int, last_col: int) -> IntArray:
        """Sorted-order positions of the points in a block of cells: one contiguous slice per row."""
        if first_row > last_row or first_col > last_col:
            return np.empty(0, dtype=np.int64)
        rows = self._row_base[first_row:last_row + 1]
        return self._gather_runs(rows + first_col, rows + last_col + 1)

def splice(array: NDArray[np.generic], leaving: IntArray, into: IntArray, values: NDArray[np.generic]) -> NDArray[np.generic]:
    """``np.insert(np.delete(array, leaving), into, values)`` (rows of a 2-d ``array``) in one copy:
    ``leaving`` and ``into`` ascending, ``into`` counted once the ``leaving`` rows are gone."""
    if len(leaving) + len(into) > 64:  # many edits: numpy's two passes beat a Python loop
        return np.insert(np.delete(array, leaving, axis=0), into, values, axis=0)
    # Where each insertion falls in ``array``'s own positions (before the kept row it precedes).
    at = into + np.searchsorted(leaving - np.arange(len(leaving)), into, side="right")
    events = sorted([(int(p), 0, j) for j, p in enumerate(at.tolist())] + [(int(p), 1, -1) for p in leaving.tolist()])
    out = np.empty((len(array) - len(leaving) + len(into), *array.shape[1:]), dtype=array.dtype)
    read = write = 0
    for position, leaves, j in events:
        out[write:write + position - read] = array[read:position]
        write, read = write + position - read, position
        if leaves:
            read += 1
        else:
            out[write] = values[j]
            write += 1
    out[write:] = array[read:]
    return out


def _sorted_positions(order: IntArray, positions: IntArray) -> IntArray:
    """Where some caller positions sit in a sort ``order`` (one sequential pass, not a scatter of all)."""
    if not len(positions):
        return _NO_POSITIONS
    return np.flatnonzero(np.isin(order, positions, kind="table"))


def _cell_size(cells: IntArray) -> float:
    """Cells about ``_POINTS_PER_CELL`` points each where there are points, from their count on 250 m cells:
    the cost of a query follows the points around it, not how many there are in all."""
    per_cell = len(cells) / len(np.unique(cells))
    return min(max(_BASE_CELL_M * math.sqrt(_POINTS_PER_CELL / per_cell), 60.0), 1000.0)


def _unit_vectors(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    cos_lat = np.cos(lat_r)
    return cos_lat * np.cos(lon_r), cos_lat * np.sin(lon_r), np.sin(lat_r)
