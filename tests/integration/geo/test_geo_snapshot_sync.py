"""Every worker's in-memory index follows the Redis version stamp (both backends).

A second SnapshotHolder plays another worker process: it has its own snapshot and its own clock for
the stamp checks, and shares only the database and Redis with the first.
"""

from __future__ import annotations

import asyncio

import pytest

from geo import service, service_edit, snapshot_cache
from geo.errors import MapWarming
from geo.schemas_edit import PoiPatch
from server import storage
from tests.integration.geo.geo_support import ORIGIN, add_pois, feature


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def names(snap) -> set[str]:
    return {frag.split(b'"name":"')[1].split(b'"')[0].decode() for frag in snap.bodies}


async def test_another_worker_sees_a_change_after_its_next_stamp_check(db):
    await add_pois(feature("甲", ORIGIN))
    ticker = Ticker()
    other = snapshot_cache.SnapshotHolder(monotonic=ticker)
    before = await other.current()
    assert names(before) == {"甲"}

    await add_pois(feature("乙", ORIGIN))
    ticker.now += 0.2  # within the check interval: no Redis read, the old snapshot answers
    assert await other.current() is before
    ticker.now += 0.4  # past 0.5 s: the stamp moved, a rebuild starts in the background
    assert await other.current() is before and other.rebuilding
    fresh = await other.settled()
    assert fresh is not before and names(fresh) == {"甲", "乙"}
    assert await other.current() is fresh
    assert fresh.version == await storage.redis().get(storage.key("geo", "version"))


async def test_a_stamp_that_did_not_move_rebuilds_nothing(db):
    await add_pois(feature("甲", ORIGIN))
    ticker = Ticker()
    other = snapshot_cache.SnapshotHolder(monotonic=ticker)
    first = await other.current()
    for _ in range(3):
        ticker.now += 1.0
        assert await other.current() is first and not other.rebuilding


async def test_the_writing_worker_reads_its_own_write_at_once(db):
    [poi_id] = await add_pois(feature("甲", ORIGIN))
    await snapshot_cache.current()
    await service_edit.update_poi(poi_id, PoiPatch.model_validate(
        {"type": "Feature", "properties": {"name": "丙"}}), coord="wgs84")
    assert names(await snapshot_cache.current()) == {"丙"}
    await service.link_hall(poi_id, 7)
    # Readers arriving together after a write all wait for the one rebuild that includes it.
    seen = await asyncio.gather(*(snapshot_cache.current() for _ in range(5)))
    assert all(b'"hall_id":7' in snap.bodies[snap.position_of(poi_id)] for snap in seen)
    assert len({id(snap) for snap in seen}) == 1


async def test_a_lost_stamp_never_matches_an_old_snapshot_by_chance(db):
    await add_pois(feature("甲", ORIGIN))
    old = (await snapshot_cache.current()).version
    await storage.redis().delete(storage.key("geo", "version"))  # Redis restarted without persistence
    await add_pois(feature("乙", ORIGIN))
    new = await storage.redis().get(storage.key("geo", "version"))
    assert new is not None and new != old and int(new) > 1


async def test_readers_keep_a_whole_snapshot_while_a_new_one_is_swapped_in(db):
    await add_pois(*(feature(f"点{i}", ORIGIN) for i in range(5)))
    held = await snapshot_cache.current()
    await add_pois(*(feature(f"新{i}", ORIGIN) for i in range(3)))
    swapped = await snapshot_cache.current()
    assert len(held) == 5 and len(held.grid) == 5 and len(held.bodies) == 5
    assert len(swapped) == 8 and len(swapped.grid) == 8


async def test_a_worker_serves_at_once_and_map_reads_wait_then_answer_warming_until_its_first_snapshot(db, monkeypatch):
    # At start-up the first snapshot is built in the background (seconds at a million points, past the
    # supervisor's patience): reads wait a little, then answer 503 map_warming instead of hanging.
    await add_pois(feature("甲", ORIGIN))
    gate = asyncio.Event()
    real_build = snapshot_cache.build_snapshot

    async def slow_build(version):
        await gate.wait()
        return await real_build(version)

    monkeypatch.setattr(snapshot_cache, "build_snapshot", slow_build)
    monkeypatch.setattr(snapshot_cache, "WARMING_WAIT_S", 0.05)
    other = snapshot_cache.SnapshotHolder()
    other.start()
    assert other.rebuilding and other.snapshot is None
    with pytest.raises(MapWarming) as warming:
        await other.current()
    assert (warming.value.status, warming.value.code, warming.value.headers["Retry-After"]) == (503, "map_warming", "2")
    gate.set()
    await other.settled()
    assert names(await other.current()) == {"甲"}
