"""Great-circle distances for the tests, written out independently of geo.coords and the spatial index."""

from __future__ import annotations

import math

import numpy as np

R = 6371008.8  # IUGG mean radius, the one geo/ uses


def haversine(lon1, lat1, lons, lats):
    """Metres from (``lon1``, ``lat1``) to each of ``lons``/``lats`` (arrays)."""
    p1, p2 = math.radians(lat1), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons) - math.radians(lon1)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R * np.arcsin(np.sqrt(a))
