"""A short-lived Redis cache of search answers, keyed by the gazette's version stamp.

Every change that readers can see (publish, withdraw, edit of a published document) bumps
the version, so a cached answer is never served after the data behind it changed; old
entries simply expire. A Redis outage only turns the cache off.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from redis.exceptions import RedisError

from server import storage

log = logging.getLogger("bianmin.bulletin.cache")
TTL_S = 300


def _version_key() -> str:
    return storage.key("gazette", "version")


async def version() -> str | None:
    """The current version stamp, or None when Redis is unavailable."""
    try:
        return str(await storage.redis().get(_version_key()) or "0")
    except RedisError as exc:
        log.warning("gazette cache unavailable: %s", type(exc).__name__)
        return None


async def bump() -> None:
    """Invalidate every cached answer (call after the change has committed)."""
    try:
        await storage.redis().incr(_version_key())
    except RedisError as exc:
        log.warning("could not bump the gazette version; cached answers live %s s: %s",
                    TTL_S, type(exc).__name__)


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
