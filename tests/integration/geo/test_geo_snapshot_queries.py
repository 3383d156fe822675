"""The snapshot built from the database answers nearby queries like a brute-force scan (both backends).

The list endpoint hands the spatial index a prepared (cached, re-laid) filter; later pages and
one-off filters take another path. Both must agree with an independent haversine scan, and with
each other on every page.
"""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

import numpy as np
import orjson

from geo import coords, render, snapshot_cache
from geo.schemas import STATUS_DEFAULT
from server import clock
from tests.integration.geo.geo_support import ORIGIN, add_pois, feature, haversine, offset

SH = ZoneInfo("Asia/Shanghai")


async def test_prepared_filters_match_a_brute_force_scan_on_every_page(db):
    rng = random.Random(11)
    spots = [offset(ORIGIN, rng.gauss(0, 1500), rng.gauss(0, 1500)) for _ in range(150)]
    spots += spots[:20]  # co-located points: exact distance ties
    statuses = [rng.choice(["open", "open", "temporarily_closed", "closed"]) for _ in spots]
    categories = [rng.choice(["health.clinic", "elderly.canteen", "hall.community"]) for _ in spots]
    ids = await add_pois(*(feature(f"点{i}", p, c, status=s)
                           for i, (p, c, s) in enumerate(zip(spots, categories, statuses))))
    snap = await snapshot_cache.current()
    for trial in range(12):
        here = offset(ORIGIN, rng.uniform(-2000, 2000), rng.uniform(-2000, 2000))
        radius = rng.choice([300.0, 1000.0, 2500.0, 6000.0])
        wanted = None if trial % 3 else ["health"]
        prepared = snap.nearby_filter(categories=wanted, statuses=STATUS_DEFAULT, q=None, open_at=None, tz=SH)
        expected = sorted((haversine(here, p), ids[i]) for i, p in enumerate(spots)
                          if statuses[i] != "closed" and (wanted is None or categories[i].startswith("health"))
                          and haversine(here, p) <= radius)
        walked, after = [], None
        while True:
            page = snap.grid.nearby(*here, radius, mask=prepared, limit=7, after=after)
            assert page.total == len(expected)
            walked += [(float(d), int(snap.ids[p])) for p, d in zip(page.positions, page.distances_m)]
            if not page.has_more:
                break
            after = walked[-1]
        assert [poi_id for _, poi_id in walked] == [poi_id for _, poi_id in expected]
        assert all(abs(d - want) < 1e-6 for (d, _), (want, _) in zip(walked, expected))


async def test_gcj02_features_come_from_prerendered_heads_with_exact_conversions(db):
    # The mini-program's pages (coord=gcj02) use heads rendered once per snapshot; they must say
    # what converting each point on the fly says, with every property of the WGS-84 rendering.
    await add_pois(*(feature(f"点{i}", offset(ORIGIN, 300 * i, -200 * i), status=s)
                     for i, s in enumerate(["open", "open", "temporarily_closed", "open"])))
    snap = await snapshot_cache.current()
    positions = np.arange(len(snap))
    opens = snap.open_state(clock.now(), tz=SH).mask
    metres = np.array([0.4, 12.5, 13.5, 2999.6])
    gcj = render.poi_features(snap, positions, coord="gcj02", opens=opens, distances_m=metres)
    wgs = render.poi_features(snap, positions, coord="wgs84", opens=opens, distances_m=metres)
    for pos, fast, plain in zip(positions.tolist(), gcj, wgs):
        fast_json, plain_json = orjson.loads(fast), orjson.loads(plain)
        converted = coords.convert((float(snap.lons[pos]), float(snap.lats[pos])), "wgs84", "gcj02")
        assert tuple(fast_json["geometry"]["coordinates"]) == converted
        assert fast_json["id"] == plain_json["id"] == int(snap.ids[pos])
        assert fast_json["properties"] == plain_json["properties"]
    assert [orjson.loads(f)["properties"]["distance_m"] for f in gcj] == [0, 12, 14, 3000]


async def test_joined_pages_are_byte_for_byte_the_per_feature_rendering(db):
    # List pages in WGS-84 and GCJ-02 are joined from the snapshot's parts in one pass
    # (geo/feature_store.py); clusters and BD-09 format feature by feature. Both must agree exactly.
    await add_pois(*(feature(f"点{i}", offset(ORIGIN, 150 * i, 90 * i), status=s)
                     for i, s in enumerate(["open", "temporarily_closed", "open", "open", "open"])))
    snap = await snapshot_cache.current()
    opens = snap.open_state(clock.now(), tz=SH).mask
    members = {"total": 5, "next_cursor": None}
    pages = [(np.array([3, 0, 4]), np.array([0.5, 1.5, 123456.49])), (np.arange(len(snap)), None),
             (np.array([], dtype=np.int64), None)]
    for coord in ("wgs84", "gcj02", "bd09"):
        for positions, metres in pages:
            page = render.poi_collection(snap, positions, coord=coord, opens=opens, members=members,
                                         distances_m=metres)
            items = render.poi_features(snap, positions, coord=coord, opens=opens, distances_m=metres)
            assert page == render.collection(items, coord=coord, members=members)
            assert [f["id"] for f in orjson.loads(page)["features"]] == snap.ids[positions].tolist()
