"""Redis stopped under traffic and started again (PostgreSQL + a private redis-server): bookings, the map,
the gazette, a signed-in resident's pages and logins (WeChat, staff) keep working without it, /readyz says it is down, and when
it is back everything is served again without a restart."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import signal
from collections import Counter

import pytest

from appointments.tables import Booking, Slot
from server import accounts, config, storage, wechat
from tests.faults.support import PrivateRedis
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    freeze,
    local,
    make_hall,
    slot_at,
)
from tests.integration.geo.geo_support import ORIGIN, add_pois, feature, offset
from tests.support.ids import make_id_number


@pytest.fixture
async def redis_of_our_own(db, tmp_path):
    """Point this process's storage at a private redis-server for the test, then back at the shared one."""
    if not db.is_postgres:
        pytest.skip("the embedded fakeredis lives in the process and cannot be stopped")
    server = PrivateRedis(tmp_path).start()
    shared = storage.current()
    settings = dataclasses.replace(db.settings, redis_url=server.url)
    redis_async, redis_sync = storage._redis_clients(settings)
    private = dataclasses.replace(shared, settings=settings, redis=redis_async, redis_sync=redis_sync)
    storage._current = private
    config.install(settings)
    wechat.install(wechat.WeChat(settings=settings, storage=private))
    try:
        yield server
    finally:
        server.stop()
        storage._current = shared
        config.install(db.settings)
        wechat.install(wechat.WeChat(settings=db.settings, storage=shared))
        await redis_async.aclose()
        redis_sync.close()


CLERK = {"username": "clerk-faults", "password": "pw-窗口-20261207"}


def booking_body(world, slot_id: int, n: int) -> dict:
    return {"slot_id": slot_id, "service_id": world.service_id, "name": "赵敏", "phone": "13500135000",
            "id_number": make_id_number(seq=n, birth=dt.date(1979, 8, 8))}


async def traffic(client, world, slot_id: int, residents: list[dict], first: int, wx) -> Counter:
    """One round of what residents do: book, look at their bookings and the hall, the map, the gazette; and
    logins (WeChat, and a clerk's)."""
    calls = [client.post("/api/v1/auth/wechat", json={"code": wx.login_code()}),
             client.post("/api/v1/auth/staff", json=CLERK)]
    for n, headers in enumerate(residents):
        calls += [
            client.post("/api/v1/bookings", json=booking_body(world, slot_id, first + n), headers=headers),
            client.get("/api/v1/bookings", headers=headers),
            client.get("/api/v1/me", headers=headers),
            client.get(f"/api/v1/halls/{world.hall_id}/availability", headers=headers),
            client.get("/api/v1/map/pois", params={"lon": ORIGIN[0], "lat": ORIGIN[1], "radius": 3000}),
            client.get("/api/v1/gazette/documents", params={"q": "学位"}),
            client.get("/api/v1/feed", headers=headers),
        ]
    responses = await asyncio.gather(*calls)
    bad = [(r.request.url.path, r.status_code, r.text[:200]) for r in responses if r.status_code >= 500]
    assert not bad, bad
    return Counter(r.status_code for r in responses)


async def test_redis_stopped_and_restarted_under_traffic(client, wx, redis_of_our_own):
    freeze(MONDAY_10)
    world = await make_hall(schedule={"periods": {d: [["09:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
                                      "slot_minutes": 60, "capacity": 30},
                            rules={"max_account_bookings_per_day": 50, "max_persons_per_account_month": 50})
    slot_id = await slot_at(world, local(3, 10, 9))
    await add_pois(*(feature(f"便民服务点{i}", offset(ORIGIN, 100 * i, 50 * i)) for i in range(5)))
    residents = [await client.login_dev() for _ in range(6)]
    await accounts.create_user(**CLERK, role="staff", halls=[world.hall_id])

    await traffic(client, world, slot_id, residents, first=0, wx=wx)
    assert (await client.get("/readyz")).status_code == 200

    async def stop_mid_round() -> None:
        await asyncio.sleep(0.05)
        redis_of_our_own.stop()

    await asyncio.gather(traffic(client, world, slot_id, residents, first=6, wx=wx), stop_mid_round())
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["error"]["details"]["down"] == ["redis"]
    await traffic(client, world, slot_id, residents, first=12, wx=wx)

    redis_of_our_own.start()  # empty, as a Redis without persistence comes back
    for _ in range(50):
        if (await client.get("/readyz")).status_code == 200:
            break
        await asyncio.sleep(0.1)
    assert (await client.get("/readyz")).status_code == 200, "Redis is seen again without a restart"
    await traffic(client, world, slot_id, residents, first=18, wx=wx)
    assert await storage.redis().ping()

    made = await Booking.filter(slot_id=slot_id).count()
    assert made == (await Slot.get(id=slot_id)).booked == 24, "every booking made with Redis down or up is kept"


async def test_a_logout_while_redis_hangs_holds_when_it_answers_again(client, redis_of_our_own):
    """Redis frozen (SIGSTOP: a partition, not a restart), so it comes back still caching the session."""
    me = await client.login_dev()
    assert (await client.get("/api/v1/me", headers=me)).status_code == 200  # the session is now cached in Redis
    pid = redis_of_our_own.process.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        logout = await client.post("/api/v1/auth/logout", headers=me)
        assert logout.status_code < 300, logout.text
    finally:
        os.kill(pid, signal.SIGCONT)
    assert await storage.redis().ping()
    for _ in range(3):
        assert (await client.get("/api/v1/me", headers=me)).status_code == 401, "a revoked session was accepted"
