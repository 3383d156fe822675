"""Nearest points within a radius on the grid of :class:`geo.spatial_index.SpatialIndex`.

The candidates are the points of the grid cells under the circle's bounding box (a few contiguous
slices of the row-sorted arrays); the compiled loop in geo/spatial_kernel.py measures them by
squared chord on the unit sphere, counts the matches and keeps the page. This module picks the
cells and the filter's layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geo.nearby_kernel import nearby_features
from geo.spatial_kernel import MASK_CALLER_ORDER, MASK_INDEX_ORDER, MASK_NONE, nearby_page

if TYPE_CHECKING:
    from geo.feature_store import Parts
    from geo.spatial_index import SpatialIndex

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _cursor(after: tuple[float, int] | None) -> tuple[float, int, bool]:
    """The kernel's (after_m, after_id, use_after) for a page cursor or none."""
    return (float(after[0]), int(after[1]), True) if after else (0.0, 0, False)


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

    features: NDArray[np.uint8]
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
        bits, prefix, kind = self._mask_layout(radius_m, limit, mask)
        positions, metres, total, has_more, last_id, last_m = nearby_page(
            *self._grid, bits, prefix, kind, float(lon), float(lat), float(radius_m), int(limit), *_cursor(after))
        return NearbyPage(positions, metres, total, has_more, last_id, last_m)

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
        feature with open_now (from ``opens``) and distance_m: one compiled call (geo/nearby_kernel.py).
        """
        bits, prefix, kind = self._mask_layout(radius_m, limit, mask)
        heads, bodies = parts
        if len(heads) != len(self._ids) or len(bodies) != len(self._ids) or len(opens) != len(self._ids):
            raise ValueError("parts and opens must have one entry per indexed point")
        features, total, has_more, last_id, last_m = nearby_features(
            *self._grid, bits, prefix, kind, float(lon), float(lat), src, float(radius_m), int(limit),
            *_cursor(after), heads.data, heads.offsets, bodies.data, bodies.offsets, opens)
        return RenderedNearbyPage(features, total, has_more, last_id, last_m)

    def _mask_layout(self: SpatialIndex, radius_m: float, limit: int,
                     mask: BoolArray | PreparedMask | None) -> tuple[BoolArray, NDArray[np.int32], int]:
        """The kernel's view of a filter: (bits, prefix counts, kind); checks the query's bounds too."""
        if not radius_m > 0 or limit < 0:
            raise ValueError("radius_m must be positive and limit non-negative")
        if isinstance(mask, PreparedMask):
            return mask.in_order, mask.prefix, MASK_INDEX_ORDER
        if mask is not None:
            self._check_mask(mask)
            return mask, self._no_prefix, MASK_CALLER_ORDER
        return self._no_mask, self._no_prefix, MASK_NONE

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
