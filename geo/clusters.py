"""Viewport clustering for the map: points and clusters on a quadtree of 64-pixel cells.

At zoom z (Web Mercator, 256-pixel tiles) the world is a grid of 2^(z+2) x 2^(z+2) cells of 64 px,
so each cell splits into four at z+1 and clusters nest across zooms. Points are sorted once by
their Morton (Z-order) code at the finest cell size; the points of any cell are then a contiguous
run found by binary search, and prefix sums give a cluster's count and mean position in O(1).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo.grid import splice

MAX_ZOOM = 20
CELL_PX = 64
MAX_CELLS = 256  # above this many cells in the viewport, group on a coarser zoom
_BITS = MAX_ZOOM + 2  # bits per axis: a 64 px cell at MAX_ZOOM is 1 / 2^22 of the world
_MAX_LAT = 85.05112878  # Web Mercator's square world

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Several points sharing a cell; ``lon``/``lat`` is their mean position.

    ``expansion_zoom`` is the smallest zoom above the requested one at which the members no
    longer share a cell (capped at MAX_ZOOM). ``co_located`` means they still share a cell at
    MAX_ZOOM (the same spot, or a few metres apart): zooming in will not separate them, so a
    client should list them instead.
    """

    lon: float
    lat: float
    point_count: int
    expansion_zoom: int
    co_located: bool


@dataclass(frozen=True, slots=True)
class SinglePoint:
    """A cell holding exactly one point; ``position`` is its index in the caller's arrays."""

    position: int


@dataclass(frozen=True, slots=True)
class Clustering:
    """The answer for one viewport; point counts of ``items`` add up to ``total``."""

    items: list[Cluster | SinglePoint]
    total: int
    grouping_zoom: int  # the zoom whose cells were used; below the requested one if coarsened


def mercator_xy(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Web Mercator coordinates scaled to the unit square (x east, y south, both in [0, 1])."""
    lon = np.asarray(lons, dtype=np.float64)
    lat = np.radians(np.clip(np.asarray(lats, dtype=np.float64), -_MAX_LAT, _MAX_LAT))
    x = (lon + 180.0) / 360.0
    y = 0.5 - np.arcsinh(np.tan(lat)) / (2.0 * math.pi)
    return x, y


def _spread_bits(v: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Insert a zero bit above each of the low 32 bits (the Morton interleave step)."""
    v = v.astype(np.uint64)
    for shift, pattern in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        v = (v | (v << np.uint64(shift))) & np.uint64(pattern)
    return v


def morton(cx: ArrayLike, cy: ArrayLike) -> NDArray[np.uint64]:
    """Z-order code of integer cell coordinates (x in the even bits, y in the odd bits)."""
    return _spread_bits(np.asarray(cx, dtype=np.uint64)) | (
        _spread_bits(np.asarray(cy, dtype=np.uint64)) << np.uint64(1)
    )


def _codes_of(lon: FloatArray, lat: FloatArray) -> NDArray[np.uint64]:
    """Morton codes of points at the finest cell size."""
    return morton(*_cells(*mercator_xy(lon, lat), MAX_ZOOM))


def _cells(x: FloatArray, y: FloatArray, level: int) -> tuple[IntArray, IntArray]:
    """Cell column and row of unit-square coordinates on the grid of a zoom."""
    n = 1 << (level + 2)
    cx = np.clip(np.floor(x * n), 0, n - 1).astype(np.int64)
    cy = np.clip(np.floor(y * n), 0, n - 1).astype(np.int64)
    return cx, cy


@dataclass(frozen=True, slots=True)
class _Runs:
    """Per-cell aggregates: count, coordinate sums, first and last code, one position."""

    cell: NDArray[np.uint64]
    count: IntArray
    sum_lon: FloatArray
    sum_lat: FloatArray
    first: NDArray[np.uint64]
    last: NDArray[np.uint64]
    some: IntArray  # sorted-order position of one member (the only one when count == 1)


class ClusterIndex:
    """Points sorted by Morton code with prefix sums; immutable, build once per data version."""

    def __init__(self, *, lons: ArrayLike, lats: ArrayLike) -> None:
        """Build from WGS-84 arrays in the caller's order (positions refer to that order)."""
        lon = np.asarray(lons, dtype=np.float64)
        lat = np.asarray(lats, dtype=np.float64)
        if lon.shape != lat.shape or lon.ndim != 1:
            raise ValueError("lons and lats must be 1-d arrays of one length")
        codes = _codes_of(lon, lat)
        order = np.argsort(codes, kind="stable")
        self._order = order
        self._codes = codes[order]
        self._lon = lon[order]
        self._lat = lat[order]
        self._sums(lon, lat)

    def _sums(self, lon: FloatArray, lat: FloatArray) -> None:
        # Sums relative to a central point keep the prefix sums small and exact enough.
        self._ref = (float(lon.mean()), float(lat.mean())) if len(lon) else (0.0, 0.0)
        self._cum_lon = _running_sum(self._lon - self._ref[0])
        self._cum_lat = _running_sum(self._lat - self._ref[1])

    def with_points(self, positions: ArrayLike, lons: ArrayLike, lats: ArrayLike) -> ClusterIndex:
        """The index of ``lons``/``lats`` (every point, in the caller's order) when only the points at
        ``positions`` moved or were added (past the last position): those leave the Morton order and
        join it again where a build would put them, without sorting everything. ``self`` is unchanged."""
        at = np.asarray(positions, dtype=np.int64)
        lon = np.asarray(lons, dtype=np.float64)
        lat = np.asarray(lats, dtype=np.float64)
        n = len(self._codes)
        staying = at[at < n]
        leaving = np.flatnonzero(np.isin(self._order, staying, kind="table")) if len(staying) else staying
        order, codes = np.delete(self._order, leaving), np.delete(self._codes, leaving)
        new_codes = _codes_of(lon[at], lat[at])
        joining = np.lexsort((at, new_codes))
        # A build sorts by code, then by caller position (a stable sort): find that place for each.
        into = []
        for code, position in zip(new_codes[joining].tolist(), at[joining].tolist()):
            low = int(np.searchsorted(codes, np.uint64(code), side="left"))
            high = int(np.searchsorted(codes, np.uint64(code), side="right"))
            into.append(low + int(np.searchsorted(order[low:high], position)))
        into_a = np.asarray(into, dtype=np.int64)
        index = copy.copy(self)
        index._order = np.insert(order, into_a, at[joining])
        index._codes = np.insert(codes, into_a, new_codes[joining])
        index._lon = splice(self._lon, leaving, into_a, lon[at[joining]])
        index._lat = splice(self._lat, leaving, into_a, lat[at[joining]])
        index._sums(lon, lat)
        return index

    def __len__(self) -> int:
        return len(self._codes)

    def cluster(
        self,
        min_lon: float,
        min_lat: float,
        max_lon: float,
        max_lat: float,
        *,
        zoom: int,
        mask: BoolArray | None = None,
    ) -> Clustering:
        """Points and clusters of the bbox (edges included) at ``zoom``; ``mask`` filters points."""
        integral = isinstance(zoom, (int, np.integer)) and not isinstance(zoom, bool)
        if not (integral and 0 <= zoom <= MAX_ZOOM):
            raise ValueError(f"zoom must be an integer from 0 to {MAX_ZOOM}")
        zoom = int(zoom)
        if min_lon > max_lon or min_lat > max_lat:
            raise ValueError("bbox must be min_lon,min_lat,max_lon,max_lat with min <= max")
        if mask is not None and mask.shape != self._codes.shape:
            raise ValueError("mask must have one entry per indexed point")
        bbox = (min_lon, min_lat, max_lon, max_lat)
        level, cell, interior = self._viewport_cells(bbox, zoom)
        shift = np.uint64(2 * (_BITS - level - 2))
        start = np.searchsorted(self._codes, cell << shift)
        end = np.searchsorted(self._codes, (cell + np.uint64(1)) << shift)
        if mask is None:
            # Cells wholly inside the bbox take their sums from the prefix arrays; only cells
            # on the edge need a look at each point.
            runs = _join(
                self._whole_runs(cell[interior], start[interior], end[interior]),
                self._filtered_runs(cell[~interior], start[~interior], end[~interior], bbox),
            )
        else:
            runs = self._filtered_runs(cell, start, end, bbox, mask)
        items = self._items(runs, zoom)
        return Clustering(items=items, total=int(runs.count.sum()), grouping_zoom=level)

    def _viewport_cells(
        self, bbox: tuple[float, float, float, float], zoom: int
    ) -> tuple[int, NDArray[np.uint64], BoolArray]:
        """Grouping zoom, Morton codes of the viewport's cells (sorted), and which are inside."""
        (x0, x1), (y0, y1) = mercator_xy([bbox[0], bbox[2]], [bbox[3], bbox[1]])
        cx, cy = _cells(np.array([x0, x1]), np.array([y0, y1]), zoom)
        level = zoom
        while (cx[1] - cx[0] + 1) * (cy[1] - cy[0] + 1) > MAX_CELLS and level > 0:
            level, cx, cy = level - 1, cx >> 1, cy >> 1
        grid_x, grid_y = np.meshgrid(np.arange(cx[0], cx[1] + 1), np.arange(cy[0], cy[1] + 1))
        gx, gy = grid_x.ravel(), grid_y.ravel()
        inside = (cx[0] < gx) & (gx < cx[1]) & (cy[0] < gy) & (gy < cy[1])
        codes = morton(gx, gy)
        order = np.argsort(codes)
        return level, codes[order], inside[order]

    def _whole_runs(self, cell: NDArray[np.uint64], start: IntArray, end: IntArray) -> _Runs:
        if len(self._codes) == 0:
            return _empty_runs()
        # Empty cells get a clamped, meaningless index; their zero count drops them later.
        first_index = np.minimum(start, len(self._codes) - 1)
        last_index = np.maximum(end - 1, 0)
        return _Runs(
            cell=cell,
            count=end - start,
            sum_lon=self._cum_lon[end] - self._cum_lon[start],
            sum_lat=self._cum_lat[end] - self._cum_lat[start],
            first=self._codes[first_index],
            last=self._codes[last_index],
            some=first_index,
        )

    def _filtered_runs(
        self,
        cell: NDArray[np.uint64],
        start: IntArray,
        end: IntArray,
        bbox: tuple[float, float, float, float],
        mask: BoolArray | None = None,
    ) -> _Runs:
        lengths = end - start
        offsets_end = np.cumsum(lengths)
        pos = np.repeat(start - (offsets_end - lengths), lengths) + np.arange(lengths.sum())
        lon, lat = self._lon[pos], self._lat[pos]
        keep = (lon >= bbox[0]) & (lon <= bbox[2]) & (lat >= bbox[1]) & (lat <= bbox[3])
        if mask is not None:
            keep &= mask[self._order[pos]]
        kept = pos[keep]
        if len(kept) == 0:
            return _empty_runs()
        # Kept points of cell k are kept[a[k]:b[k]]: prefix counts map run bounds to kept bounds.
        seen = np.concatenate(([0], np.cumsum(keep)))
        a, b = seen[offsets_end - lengths], seen[offsets_end]
        cum_lon = _running_sum(self._lon[kept] - self._ref[0])
        cum_lat = _running_sum(self._lat[kept] - self._ref[1])
        first = kept[np.minimum(a, len(kept) - 1)]
        return _Runs(
            cell=cell,
            count=b - a,
            sum_lon=cum_lon[b] - cum_lon[a],
            sum_lat=cum_lat[b] - cum_lat[a],
            first=self._codes[first],
            last=self._codes[kept[np.maximum(b - 1, 0)]],
            some=first,
        )

    def _items(self, runs: _Runs, zoom: int) -> list[Cluster | SinglePoint]:
        """Turn non-empty runs into points and clusters, in Morton order of their cells."""
        used = np.flatnonzero(runs.count > 0)
        used = used[np.argsort(runs.cell[used], kind="stable")]
        count = runs.count[used]
        diff = runs.first[used] ^ runs.last[used]
        # Highest differing bit h of the first and last code: the members share cells down to
        # zoom MAX_ZOOM - h // 2 - 1 and split at MAX_ZOOM - h // 2.
        high_bit = np.frexp(diff.astype(np.float64))[1] - 1
        split = np.where(diff == 0, MAX_ZOOM, MAX_ZOOM - high_bit // 2)
        expansion = np.minimum(np.maximum(split, zoom + 1), MAX_ZOOM)
        lon = runs.sum_lon[used] / np.maximum(count, 1) + self._ref[0]
        lat = runs.sum_lat[used] / np.maximum(count, 1) + self._ref[1]
        positions = self._order[runs.some[used]]
        items: list[Cluster | SinglePoint] = []
        for i in range(len(used)):
            if count[i] == 1:
                items.append(SinglePoint(position=int(positions[i])))
            else:
                items.append(
                    Cluster(
                        lon=float(lon[i]),
                        lat=float(lat[i]),
                        point_count=int(count[i]),
                        expansion_zoom=int(expansion[i]),
                        co_located=bool(diff[i] == 0),
                    )
                )
        return items


def _running_sum(values: FloatArray) -> FloatArray:
    """0, then the running sums of ``values``."""
    out = np.empty(len(values) + 1)
    out[0] = 0.0
    np.cumsum(values, out=out[1:])
    return out


def _empty_runs() -> _Runs:
    none_u = np.empty(0, dtype=np.uint64)
    none_i = np.empty(0, dtype=np.int64)
    none_f = np.empty(0, dtype=np.float64)
    return _Runs(none_u, none_i, none_f, none_f, none_u, none_u, none_i)


def _join(a: _Runs, b: _Runs) -> _Runs:
    return _Runs(*(np.concatenate((getattr(a, f.name), getattr(b, f.name))) for f in fields(_Runs)))
