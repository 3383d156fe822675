"""A nearby list page in one compiled call: the point's conversion, the radius query and the rendering.

Each call from Python into numba costs a few microseconds in a busy server (argument checks and
boxing, all on cold caches between requests), several times the work of a 3 km query itself. The
map's hottest request therefore crosses once: the input point is converted to WGS-84, the page is
found (geo/spatial_kernel.py) and copied out of the snapshot's pre-rendered parts
(geo/feature_store.py) before returning to Python with the features, the total and what the
next page's cursor needs.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from geo.coords import to_wgs84
from geo.feature_store import render_page
from geo.spatial_kernel import nearby_page

_NOTHING = np.zeros(0, dtype=np.uint8)


@njit(cache=True, nogil=True)
def nearby_features(cell_start, w, h, lon0, lat0, dlon, dlat, xyz, ids, order, mask, prefix, mask_kind,
                    lon, lat, src, radius_m, limit, after_m, after_id, use_after,
                    head_data, head_off, body_data, body_off, opens):
    """(features joined by commas as uint8, total in the circle, more after this page, last id, last
    metres) for the point (``lon``, ``lat``) given in system ``src``; arguments as :func:`nearby_page`
    and :func:`render_page`."""
    x, y = to_wgs84(lon, lat, src)
    positions, metres, total, has_more, last_id, last_m = nearby_page(
        cell_start, w, h, lon0, lat0, dlon, dlat, xyz, ids, order, mask, prefix, mask_kind,
        x, y, radius_m, limit, after_m, after_id, use_after)
    body = render_page(head_data, head_off, body_data, body_off, positions, opens, metres, True,
                       _NOTHING, _NOTHING, _NOTHING)
    return body, total, has_more, last_id, last_m
