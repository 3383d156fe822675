"""Immutable in-memory index of POI locations: nearest within a radius, and points in a bbox.

Build one :class:`SpatialIndex` per data version and replace the reference when the data changes
(readers holding the old one keep a consistent snapshot). Points live in a uniform grid of cells
about ``cell_m`` wide, sorted row by row, so a query reads one contiguous slice per grid row.

Positions: the caller passes arrays in its own order (say, a list of Poi). Every result and every
``mask`` refers to positions in that order. ``mask`` is a boolean array (true = keep) built from
the filters with :func:`codes_mask` (categories, status), :class:`geo.hours.OpenNowTable`,
:class:`geo.textmatch.SearchKeys` and :func:`combine_masks`; a mask used for many queries can be
prepared once (:meth:`SpatialIndex.prepare_mask`). The radius queries live in geo/spatial_nearby.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo.coords import EARTH_RADIUS_M
from geo.spatial_nearby import NearbyMixin, NearbyPage, PreparedMask

__all__ = ["BboxPage", "NearbyPage", "PreparedMask", "SpatialIndex", "codes_mask", "combine_masks"]

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


class SpatialIndex(NearbyMixin):
    """Grid index over up to a few hundred thousand WGS-84 points, each with a unique int id."""

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
        # The parallels between rows, for the radius query's per-row spans (geo/spatial_nearby.py).
        self._edge_lat_r = np.radians(self._lat0 + np.arange(self._h + 1) * self._dlat)
        self._edge_cos = np.cos(self._edge_lat_r)
        # How many cells around the centre's the page search starts with: enough for a page on average.
        per_cell = max(1.0, len(ids_a) / max(1, int(np.count_nonzero(np.diff(self._cell_start)))))
        self._first_reach = max(1, math.ceil((math.sqrt(21 / per_cell) - 1) / 2))

    def __len__(self) -> int:
        return len(self._ids)

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


def _cell_size(cells: IntArray) -> float:
    """Cells about ``_POINTS_PER_CELL`` points each where there are points, from their count on 250 m cells:
    the cost of a query follows the points around it, not how many there are in all."""
    per_cell = len(cells) / len(np.unique(cells))
    return min(max(_BASE_CELL_M * math.sqrt(_POINTS_PER_CELL / per_cell), 60.0), 1000.0)


def _unit_vectors(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    cos_lat = np.cos(lat_r)
    return cos_lat * np.cos(lon_r), cos_lat * np.sin(lon_r), np.sin(lat_r)
