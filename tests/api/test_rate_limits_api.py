"""Rate limits over HTTP (both backends): 429 rate_limited with Retry-After, counted per client IP
(through trusted proxies only), per account and per username, shared in Redis, off while Redis is down."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network

from server import accounts, clock, config
from tests.support.outage import redis_down

SEARCH = "/api/v1/gazette/documents"


@contextlib.contextmanager
def limits(*, proxies: str = "", **rates: tuple[int, int]) -> Iterator[None]:
    """These limits (others stay raised) and trusted proxies for the block."""
    before = config.current()
    trusted = tuple(ip_network(p) for p in proxies.split(",") if p)
    config.install(dataclasses.replace(before, rate_limits={**before.rate_limits, **rates}, trusted_proxies=trusted))
    try:
        yield
    finally:
        config.install(before)


async def test_a_search_flood_is_answered_429_with_retry_after(client, db):
    clock.freeze(datetime(2026, 3, 9, 2, 0, 10, tzinfo=UTC))
    with limits(search=(3, 60)):
        for _ in range(3):
            assert (await client.get(SEARCH, params={"q": "社保"})).status_code == 200
        refused = await client.get(SEARCH, params={"q": "社保"})
        assert refused.status_code == 429
        error = refused.json()["error"]
        assert error["code"] == "rate_limited" and error["message"] == "请求过于频繁，请稍后再试"
        assert error["details"]["limit"] == "search"
        assert 0 < int(refused.headers["retry-after"]) <= 120
        assert (await client.get("/api/v1/gazette/suggest", params={"q": "社"})).status_code == 200  # its own limit
        clock.advance(timedelta(seconds=int(refused.headers["retry-after"])))
        assert (await client.get(SEARCH, params={"q": "社保"})).status_code == 200


async def test_client_ip_comes_from_forwarded_for_only_behind_a_trusted_proxy(client, db):
    clock.freeze(datetime(2026, 3, 9, 2, 0, 10, tzinfo=UTC))
    with limits(search=(1, 60)):  # the test client's peer is 127.0.0.1, not trusted
        assert (await client.get(SEARCH, headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 200
        assert (await client.get(SEARCH, headers={"X-Forwarded-For": "198.51.100.2"})).status_code == 429
    clock.advance(timedelta(minutes=5))
    with limits(search=(1, 60), proxies="127.0.0.1/32"):
        assert (await client.get(SEARCH, headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 200
        assert (await client.get(SEARCH, headers={"X-Forwarded-For": "198.51.100.2"})).status_code == 200
        spoofed = {"X-Forwarded-For": "203.0.113.7, 198.51.100.1"}  # the caller's own entry is not trusted
        assert (await client.get(SEARCH, headers=spoofed)).status_code == 429


async def test_staff_login_is_limited_per_username(client, db):
    await accounts.create_user(username="clerk.chu", password="right password", role="staff")
    login = {"username": "Clerk.Chu ", "password": "right password"}
    with limits(staff_login_user=(2, 60)):
        assert (await client.post("/api/v1/auth/staff", json=login)).status_code == 200
        assert (await client.post("/api/v1/auth/staff", json=login)).status_code == 200
        refused = await client.post("/api/v1/auth/staff", json=login | {"username": "clerk.chu"})
        assert refused.status_code == 429 and refused.json()["error"]["details"]["limit"] == "staff_login_user"
        await accounts.create_user(username="clerk.wei", password="right password", role="staff")
        other = await client.post("/api/v1/auth/staff", json={"username": "clerk.wei", "password": "right password"})
        assert other.status_code == 200


async def test_booking_attempts_are_limited_per_account(client, db):
    first, second = await client.login_dev(), await client.login_dev()
    attempt = {"slot_id": 999_999, "service_id": 999_999, "name": "李娜", "id_number": "11010519491231002X",
               "phone": "13712345678"}
    with limits(booking=(2, 60)):
        for _ in range(2):
            assert (await client.post("/api/v1/bookings", json=attempt, headers=first)).status_code == 404
        refused = await client.post("/api/v1/bookings", json=attempt, headers=first)
        assert refused.status_code == 429 and refused.json()["error"]["details"]["limit"] == "booking"
        assert (await client.post("/api/v1/bookings", json=attempt, headers=second)).status_code == 404


async def test_limits_are_off_while_redis_is_down(client, db):
    with limits(search=(1, 60)):
        async with redis_down():
            for _ in range(3):
                assert (await client.get(SEARCH)).status_code == 200


async def test_openapi_documents_the_429(client, db):
    document = (await client.get("/openapi.json")).json()
    for path, method in [(SEARCH, "get"), ("/api/v1/auth/staff", "post"), ("/api/v1/bookings", "post"),
                         ("/api/v1/map/coverage", "get"), ("/api/v1/enterprises", "post")]:
        assert "429" in document["paths"][path][method]["responses"], path


async def test_every_map_read_documents_its_limit_and_the_warming_503(client, db):
    """Each map read is answered from the worker's snapshot (503 map_warming while a new worker builds it) and
    counts in the map group (a scraper walking the division tree is limited like one walking the points)."""
    document = (await client.get("/openapi.json")).json()
    reads = [path for path, methods in document["paths"].items()
             if path.startswith("/api/v1/map/") and "get" in methods]
    assert len(reads) >= 7, reads
    for path in reads:
        responses = document["paths"][path]["get"]["responses"]
        assert {"429", "503"} <= set(responses), path
    with limits(map=(1, 60)):
        assert (await client.get("/api/v1/map/divisions")).status_code == 200
        refused = await client.get("/api/v1/map/divisions")
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
