"""The radius query of the spatial index, compiled with numba.

Grid: ``w`` x ``h`` cells of ``dlon`` x ``dlat`` degrees from (``lon0``, ``lat0``); the points are
sorted cell by cell, row after row, and ``cell_start[k]`` is the first point of cell ``k`` (row
``k // w``, column ``k % w``), so the points of a run of cells in one row are one slice.

One query does two things over the cells under the circle's bounding box:

- ``total``: a cell whose four corners lie inside the circle lies wholly inside it (along a
  parallel or a meridian the distance to the centre has one minimum, so its maximum over a cell
  is at a corner); its points are counted at once (from ``cell_start``, or from the filter's
  prefix sums), and only the points of cells on the circle's edge are measured one by one.
- the page: cells are visited in square rings around the centre's cell, keeping the nearest
  ``limit + 1`` by (metres, id); the walk stops at the first ring that cannot hold anything nearer
  than the page's last point.

Distances are squared chords on the unit sphere, turned into metres only for points that may
enter the page; every distance handed out (and compared with a cursor's) comes from the same
expression, so a cursor's distance compares equal on the next page. Written as loops: at 100k
points a query touches a few thousand candidates, where numpy's per-call overhead (some 50
calls) cost several times the arithmetic. The compiled code is cached next to this file
(``cache=True``), so workers load it instead of compiling it again.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from geo.coords import EARTH_RADIUS_M

MASK_NONE, MASK_INDEX_ORDER, MASK_CALLER_ORDER = 0, 1, 2
# Relative slack on squared chords: far above float rounding yet far below any real gap, so a point
# or a cell is only decided on chords when the answer is certain; near ties are measured exactly.
_SLACK = 1e-9
_CORNER_SLACK = 1e-6  # corners come from other trig calls than the points: a wider margin


@njit(cache=True, nogil=True)
def metres_of_chord2(chord2: float) -> float:
    """Great-circle metres of a squared unit-sphere chord."""
    return 2.0 * EARTH_RADIUS_M * math.asin(min(math.sqrt(chord2) * 0.5, 1.0))


@njit(cache=True, nogil=True)
def chord2_of_metres(metres: float) -> float:
    """Squared unit-sphere chord of a great-circle distance (clamped at half the globe)."""
    return (2.0 * math.sin(min(metres / EARTH_RADIUS_M, math.pi) / 2.0)) ** 2


@njit(cache=True, nogil=True)
def circle_box(w, h, lon0, lat0, dlon, dlat, lon, lat, radius_m):
    """(first row, last row, first column, last column) under the circle's bounding box, clipped."""
    delta = radius_m / EARTH_RADIUS_M
    reach = math.degrees(delta) * (1 + 1e-9) + 1e-9
    if abs(lat) + reach >= 89.0:
        west, east = lon0, lon0 + w * dlon
    else:
        # A spherical cap's widest longitude span: asin(sin(delta) / cos(lat)) either side.
        half = math.degrees(math.asin(min(1.0, math.sin(delta) / math.cos(math.radians(lat)))))
        half = half * (1 + 1e-9) + 1e-9
        west, east = lon - half, lon + half
    first_row = max(math.floor((lat - reach - lat0) / dlat), 0)
    last_row = min(math.floor((lat + reach - lat0) / dlat), h - 1)
    first_col = max(math.floor((west - lon0) / dlon), 0)
    last_col = min(math.floor((east - lon0) / dlon), w - 1)
    return first_row, last_row, first_col, last_col


@njit(cache=True, nogil=True)
def _chord2(xyz, i, ox, oy, oz):
    dx, dy, dz = xyz[i, 0] - ox, xyz[i, 1] - oy, xyz[i, 2] - oz
    return dx * dx + dy * dy + dz * dz


@njit(cache=True, nogil=True)
def _kept(mask, mask_kind, order, i):
    if mask_kind == MASK_INDEX_ORDER:
        return mask[i]
    if mask_kind == MASK_CALLER_ORDER:
        return mask[order[i]]
    return True


@njit(cache=True, nogil=True)
def _half_width(lat_r, origin_lat_r, half_delta_sin2):
    """Half the cap's longitude span (radians) along the parallel ``lat_r``; -1 when it misses it."""
    across = half_delta_sin2 - math.sin((lat_r - origin_lat_r) / 2.0) ** 2
    if across < 0.0:
        return -1.0
    scale = math.cos(lat_r) * math.cos(origin_lat_r)
    if across >= scale:
        return math.pi
    return 2.0 * math.asin(math.sqrt(across / scale))


@njit(cache=True, nogil=True)
def count_in_circle(cell_start, w, lon0, lat0, dlon, dlat, box, xyz, order, mask, prefix, mask_kind,
                    lon, lat, ox, oy, oz, radius_m, radius_c2):
    """Points inside the circle (and the filter): per grid row, the run of cells wholly inside at
    once, the cells the circle's edge crosses point by point, and the rest not at all."""
    first_row, last_row, first_col, last_col = box
    delta = radius_m / EARTH_RADIUS_M
    origin_lat_r = math.radians(lat)
    half_delta_sin2 = math.sin(delta / 2.0) ** 2
    # Where the cap is widest (sin = sin(lat) / cos(delta)), and how wide it is there.
    widest_sin = math.sin(origin_lat_r) / math.cos(delta) if delta < math.pi / 2 else 2.0
    widest_r = math.asin(widest_sin) if abs(widest_sin) <= 1.0 else math.nan
    widest_hw = math.pi
    if math.sin(delta) < math.cos(origin_lat_r):
        widest_hw = math.asin(math.sin(delta) / math.cos(origin_lat_r))
    total = 0
    south_hw = _half_width(math.radians(lat0 + first_row * dlat), origin_lat_r, half_delta_sin2)
    for row in range(first_row, last_row + 1):
        south_r, north_r = math.radians(lat0 + row * dlat), math.radians(lat0 + (row + 1) * dlat)
        north_hw = _half_width(north_r, origin_lat_r, half_delta_sin2)
        outer = max(south_hw, north_hw)
        if south_r <= widest_r <= north_r:
            outer = widest_hw
        inner = min(south_hw, north_hw)
        south_hw = north_hw
        if outer < 0.0:
            continue
        outer = math.degrees(outer) * (1.0 + 1e-7) + 1e-12
        low = max(math.floor((lon - outer - lon0) / dlon), first_col)
        high = min(math.floor((lon + outer - lon0) / dlon), last_col)
        base = row * w
        # Cells whose four corners are inside, with a margin: wholly inside (see the module doc).
        inner_low, inner_high = high + 1, high
        if inner > 0.0 and mask_kind != MASK_CALLER_ORDER:
            inner = math.degrees(inner) * (1.0 - 1e-7)
            inner_low = max(math.ceil((lon - inner - lon0) / dlon), low)
            inner_high = min(math.floor((lon + inner - lon0) / dlon) - 1, high)
            if inner_low > inner_high:
                inner_low, inner_high = high + 1, high
            else:
                first_cell, stop_cell = base + inner_low, base + inner_high + 1
                if mask_kind == MASK_NONE:
                    total += cell_start[stop_cell] - cell_start[first_cell]
                else:  # per-cell running counts: no cell_start load to wait for first
                    total += prefix[stop_cell] - prefix[first_cell]
        for first, last in ((low, inner_low - 1), (inner_high + 1, high)):
            if first > last:
                continue
            for i in range(cell_start[base + first], cell_start[base + last + 1]):
                if _chord2(xyz, i, ox, oy, oz) <= radius_c2 and _kept(mask, mask_kind, order, i):
                    total += 1
    return total


@njit(cache=True, nogil=True)
def _offer(start, stop, xyz, ids, order, mask, mask_kind, ox, oy, oz, radius_c2,
           use_after, after_lo, after_hi, after_m, after_id, page_pos, page_m, page_id, page_c2, size):
    """Offer points ``start..stop`` to the page (sorted by metres, then id); returns its new size."""
    capacity = len(page_pos)
    for i in range(start, stop):
        c2 = _chord2(xyz, i, ox, oy, oz)
        if c2 > radius_c2 or not _kept(mask, mask_kind, order, i):
            continue
        if size == capacity and c2 > page_c2[size - 1] * (1.0 + _SLACK):
            continue
        if use_after and c2 < after_lo:
            continue
        metres = metres_of_chord2(c2)
        point_id = ids[i]
        if use_after and c2 <= after_hi and (metres < after_m or (metres == after_m and point_id <= after_id)):
            continue
        if size == capacity:
            last = page_m[size - 1]
            if metres > last or (metres == last and point_id > page_id[size - 1]):
                continue
            j = size - 1
        else:
            j = size
            size += 1
        while j > 0 and (page_m[j - 1] > metres or (page_m[j - 1] == metres and page_id[j - 1] > point_id)):
            page_pos[j], page_m[j] = page_pos[j - 1], page_m[j - 1]
            page_id[j], page_c2[j] = page_id[j - 1], page_c2[j - 1]
            j -= 1
        page_pos[j], page_m[j], page_id[j], page_c2[j] = i, metres, point_id, c2
    return size


@njit(cache=True, nogil=True)
def nearby_page(cell_start, w, h, lon0, lat0, dlon, dlat, xyz, ids, order,
                mask, prefix, mask_kind, lon, lat, radius_m, limit, after_m, after_id, use_after):
    """(caller positions, metres, total in the circle, more after this page, last id, last metres)
    of one page; the last two (0 and 0.0 for an empty page) are what a cursor needs.

    ``xyz`` (unit vectors, one row per point) and ``ids`` are in the index's order and ``order`` maps
    it to the caller's; ``mask`` is read per ``mask_kind``, ``prefix[k]`` counts its points in the
    cells before cell ``k`` (for ``MASK_INDEX_ORDER``); ``(after_m, after_id)`` is the cursor when
    ``use_after``.
    """
    box = circle_box(w, h, lon0, lat0, dlon, dlat, lon, lat, radius_m)
    first_row, last_row, first_col, last_col = box
    if first_row > last_row or first_col > last_col:
        return np.empty(0, np.int64), np.empty(0), 0, False, 0, 0.0
    lon_r, lat_r = math.radians(lon), math.radians(lat)
    ox, oy, oz = math.cos(lat_r) * math.cos(lon_r), math.cos(lat_r) * math.sin(lon_r), math.sin(lat_r)
    radius_c2 = chord2_of_metres(radius_m)
    total = count_in_circle(cell_start, w, lon0, lat0, dlon, dlat, box, xyz, order, mask, prefix,
                            mask_kind, lon, lat, ox, oy, oz, radius_m, radius_c2)
    after_lo = after_hi = 0.0
    if use_after:
        after_c2 = chord2_of_metres(after_m)
        after_lo, after_hi = after_c2 * (1.0 - _SLACK), after_c2 * (1.0 + _SLACK)
    # Lower bounds of the squared chord to ring k: k - 1 whole cells of latitude, or of longitude
    # at the box's most poleward latitude (where a degree of longitude is shortest).
    poleward = max(abs(lat0 + first_row * dlat), abs(lat0 + (last_row + 1) * dlat))
    lon_factor = 4.0 * math.cos(math.radians(min(poleward, 90.0))) ** 2
    centre_row = math.floor((lat - lat0) / dlat)
    centre_col = math.floor((lon - lon0) / dlon)
    capacity = limit + 1
    page_pos = np.empty(capacity, np.int64)
    page_m = np.empty(capacity, np.float64)
    page_id = np.empty(capacity, np.int64)
    page_c2 = np.empty(capacity, np.float64)
    size = 0
    ring = 0
    while True:
        if size == capacity and ring >= 1:
            lat_bound = 4.0 * math.sin(math.radians((ring - 1) * dlat) / 2.0) ** 2
            lon_bound = lon_factor * math.sin(math.radians((ring - 1) * dlon) / 2.0) ** 2
            if min(lat_bound, lon_bound) > page_c2[size - 1] * (1.0 + _SLACK):
                break
        top, bottom = centre_row - ring, centre_row + ring
        left, right = centre_col - ring, centre_col + ring
        for row in range(max(top, first_row), min(bottom, last_row) + 1):
            base = row * w
            whole = row == top or row == bottom  # a whole side of the ring is one slice
            for side in range(2):
                low, high = (max(left, first_col), min(right, last_col)) if whole else (left, left)
                if side == 1:
                    if whole or ring == 0:
                        break
                    low = high = right
                if low < first_col or high > last_col or low > high:
                    continue
                size = _offer(cell_start[base + low], cell_start[base + high + 1], xyz, ids, order,
                              mask, mask_kind, ox, oy, oz, radius_c2, use_after, after_lo, after_hi,
                              after_m, after_id, page_pos, page_m, page_id, page_c2, size)
        if top <= first_row and bottom >= last_row and left <= first_col and right >= last_col:
            break
        ring += 1
    shown = min(size, limit)
    positions = np.empty(shown, np.int64)
    for j in range(shown):
        positions[j] = order[page_pos[j]]
    last_id, last_m = (page_id[shown - 1], page_m[shown - 1]) if shown else (0, 0.0)
    return positions, page_m[:shown].copy(), total, size > limit, last_id, last_m
