"""Rate limits shared by every worker, kept in Redis.

Fixed windows (INCR + EXPIRE): simple, exact per window, and supported by fakeredis
without Lua. Used for the staff login lock-out and the WeChat sending rate.
"""

from __future__ import annotations

import asyncio
import time

from server import storage


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


async def failures(name: str) -> tuple[int, int]:
    """(count, ttl seconds) of a failure counter such as failed logins."""
    key = storage.key("fail", name)
    pipe = storage.redis().pipeline(transaction=False)
    pipe.get(key)
    pipe.ttl(key)
    count, ttl = await pipe.execute()
    return int(count or 0), max(int(ttl or 0), 0)


async def add_failure(name: str, *, window_s: int) -> int:
    """Count a failure in a window that starts at the first failure."""
    key = storage.key("fail", name)
    pipe = storage.redis().pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, window_s, nx=True)
    count, _ = await pipe.execute()
    return int(count)


async def clear_failures(name: str) -> None:
    await storage.redis().delete(storage.key("fail", name))


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
