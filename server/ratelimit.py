"""Rate limits shared by every worker, kept in Redis.

Abuse limits (:func:`check`): named limits from ``BIANMIN_RATE_LIMITS`` ("N/period"), each counted
per client IP, per account or per username, declared on endpoints (``@endpoint(limits=...)``) and
answered 429 ``rate_limited`` with ``Retry-After``. Each is a sliding window approximated from two
fixed windows (this one and the last, weighted by how much of the last still overlaps): one
pipelined INCR + EXPIRE + GET, atomic in Redis, so every worker counts in the same place and a
burst at a window's edge cannot pass twice the limit. When Redis is down the limits are off (they
fail open): reads keep working, and logins stay protected by the lock-out in the database
(server/lockout.py).

The client IP is the socket peer, or, when the peer is one of ``BIANMIN_TRUSTED_PROXIES``, the
right-most address in ``X-Forwarded-For`` that is not a trusted proxy (what the left of it says
is the client's word, not the proxy's). IPv6 clients are counted by their /64.

Fixed windows (:func:`hit`) also pace the WeChat sending rate (:class:`Throttle`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import time
from collections.abc import Iterable
from typing import Any

from redis.exceptions import RedisError
from sanic import Request

from server import clock, config, errors, storage

log = logging.getLogger("bianmin.ratelimit")
KEYS = {  # what each limit counts by
    "staff_login_user": "username", "staff_login_ip": "ip", "wechat_login_ip": "ip", "booking": "account",
    "search": "ip", "suggest": "ip", "map": "ip", "coverage": "ip", "enterprise_register": "account",
    "phone_reveal": "account",
}


class RateLimited(errors.TooManyRequests):
    code = "rate_limited"
    message = "请求过于频繁，请稍后再试"


def client_ip(request: Request) -> str:
    """The caller's address: the peer, or what trusted proxies say in X-Forwarded-For."""
    peer = request.ip or ""
    trusted = config.current().trusted_proxies
    if not trusted or not _is_in(peer, trusted):
        return peer
    found = peer
    for hop in reversed((request.headers.get("x-forwarded-for") or "").split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address a proxy of ours wrote: trust nothing left of it
        found = hop
        if not _is_in(hop, trusted):
            break
    return found


def _is_in(address: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _ip_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) + "/64"
    return str(ip)


def subject(kind: str, request: Request, *, user: Any = None, username: str | None = None) -> str | None:
    """Who a limit counts: the client IP, the account id or the username typed (None: nobody to count)."""
    if kind == "ip":
        return _ip_key(client_ip(request))
    if kind == "account":
        return str(user.id) if user is not None else None
    return username.strip().lower() if isinstance(username, str) else None


async def check(names: Iterable[str], request: Request, *, user: Any = None, username: str | None = None) -> None:
    """Count this request against each named limit; 429 ``rate_limited`` when one is exceeded."""
    limits = config.current().rate_limits
    for name in names:
        rate = limits.get(name)
        who = subject(KEYS[name], request, user=user, username=username) if rate else None
        if rate is None or who is None:
            continue
        wait = await count(name, who, limit=rate[0], period_s=rate[1])
        if wait:
            raise RateLimited(retry_after=wait, limit=name)


async def count(name: str, who: str, *, limit: int, period_s: int) -> int:
    """Count one request; 0 when allowed, else the seconds until it would be (fails open without Redis)."""
    now = clock.timestamp()
    window = int(now // period_s)
    elapsed = now - window * period_s
    current_key = storage.key("rl", name, who, window)
    try:
        pipe = storage.redis().pipeline(transaction=True)
        pipe.incr(current_key)
        pipe.expire(current_key, 2 * period_s)
        pipe.get(storage.key("rl", name, who, window - 1))
        current, _, previous = await pipe.execute()
    except RedisError as exc:
        log.warning("rate limits off, Redis unavailable: %s", type(exc).__name__)
        return 0
    return _wait(int(current), int(previous or 0), limit=limit, period_s=period_s, elapsed=elapsed)


def _wait(current: int, previous: int, *, limit: int, period_s: int, elapsed: float) -> int:
    """0 when ``previous * (1 - elapsed/period) + current`` (this request included) is within ``limit``,
    else the seconds until one more request would be."""
    if previous * (1 - elapsed / period_s) + current <= limit:
        return 0
    room = limit - current - 1
    if room >= 0:  # the last window's share must fade to ``room``
        return max(1, math.ceil(period_s * (1 - room / previous) - elapsed))
    # this window alone is full: wait until it is the last one and has faded enough
    return max(1, math.ceil(period_s - elapsed + period_s * (1 - (limit - 1) / current)))


async def hit(name: str, *, limit: int, window_s: int) -> tuple[bool, int]:
    """Count one event; returns (allowed, seconds until the window resets)."""
    bucket = int(time.time() // window_s)
    key = storage.key("rl", name, bucket)
    pipe = storage.redis().pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, window_s + 1)
    count, _ = await pipe.execute()
    reset_in = window_s - int(time.time() % window_s)
    return count <= limit, max(1, reset_in)


class Throttle:
    """Wait for a place in a shared per-second budget (e.g. 300 WeChat sends per second)."""

    def __init__(self, name: str, *, per_second: int):
        self.name = name
        self.per_second = per_second

    async def acquire(self) -> None:
        while True:
            allowed, _ = await hit(self.name, limit=self.per_second, window_s=1)
            if allowed:
                return
            await asyncio.sleep(1 - (time.time() % 1) + 0.001)
