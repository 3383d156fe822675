"""A short-lived Redis cache of search answers, keyed by the gazette's change stamp.

Every change that readers can see (publish, withdraw, edit of a published document, an import)
bumps the ``gazette`` stamp in the database (server/stamps.py), which every process reads, so a
cached answer is never served after the data behind it changed, whichever process changed it;
old entries simply expire. A Redis outage only turns the cache off.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from redis.exceptions import RedisError

from server import stamps, storage

log = logging.getLogger("bianmin.bulletin.cache")
TTL_S = 300
STAMP = "gazette"


async def version() -> str:
    """The gazette's current change stamp (at most ``stamps.MAX_AGE_S`` old)."""
    return str(await stamps.current(STAMP))


async def bump() -> None:
    """Invalidate every cached answer in every process (call after the change has committed)."""
    await stamps.bump(STAMP)


async def get(stamp: str, name: str) -> Any | None:
    """A cached value stored under this version, or None."""
    try:
        raw = await storage.redis().get(storage.key("gazette", "cache", stamp, name))
    except RedisError:
        return None
    return orjson.loads(raw) if raw else None


async def put(stamp: str, name: str, value: Any) -> None:
    """Cache a JSON-serialisable value under this version."""
    try:
        await storage.redis().set(storage.key("gazette", "cache", stamp, name),
                                  orjson.dumps(value, default=str), ex=TTL_S)
    except RedisError:
        pass
