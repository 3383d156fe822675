"""Every worker's in-memory snapshot follows the map's change stamp in the database (both backends).

A second SnapshotHolder plays another worker process: it has its own snapshot, and shares only the
database and Redis with the first.
"""

from __future__ import annotations

import asyncio

import pytest

from geo import service, service_edit, snapshot_cache
from geo.errors import MapWarming
from geo.schemas_edit import PoiPatch
from server import stamps, storage
from tests.integration.geo.geo_support import ORIGIN, add_pois, feature


def names(snap) -> set[str]:
    return {frag.split(b'"name":"')[1].split(b'"')[0].decode() for frag in snap.bodies}


async def test_another_workers_read_after_a_change_waits_for_the_new_snapshot(db):
    await add_pois(feature("甲", ORIGIN))
    other = snapshot_cache.SnapshotHolder()
    before = await other.current()
    assert names(before) == {"甲"}

    await add_pois(feature("乙", ORIGIN))
    # The stamp moved: the read does not answer from the old snapshot, it waits for the new one.
    fresh = await other.current()
    assert fresh is not before and names(fresh) == {"甲", "乙"}
    assert await other.current() is fresh
    assert fresh.version == str(await stamps.current("geo"))


async def test_the_stamp_poller_rebuilds_without_waiting_for_a_read(db):
    await add_pois(feature("甲", ORIGIN))
    other = snapshot_cache.SnapshotHolder()
    before = await other.current()
    stamps.on_change("geo", other.follow)
    stop = asyncio.Event()
    poller = asyncio.create_task(stamps.watch(stop, every=0.05))
    try:
        await stamps.read()
        await add_pois(feature("乙", ORIGIN))
        for _ in range(100):
            if other.snapshot is not before:
                break
            await asyncio.sleep(0.02)
        assert other.snapshot is not before and names(other.snapshot) == {"甲", "乙"}
    finally:
        stop.set()
        await poller
        stamps._listeners["geo"].remove(other.follow)


async def test_a_stamp_that_did_not_move_rebuilds_nothing(db):
    await add_pois(feature("甲", ORIGIN))
    other = snapshot_cache.SnapshotHolder()
    first = await other.current()
    for _ in range(3):
        await stamps.read()
        assert await other.current() is first


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


async def test_a_lost_change_log_never_hides_a_change(db):
    await add_pois(feature("甲", ORIGIN))
    other = snapshot_cache.SnapshotHolder()
    await other.current()
    await storage.redis().delete(storage.key("geo", "changes"))  # Redis restarted without persistence
    await add_pois(feature("乙", ORIGIN))
    await storage.redis().delete(storage.key("geo", "changes"))
    assert names(await other.current()) == {"甲", "乙"}


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
