"""Redis down, for real: this process's storage pointed at a port where nothing listens.

Every Redis call then fails the way it does when the server dies (connection refused), through
the same clients and code paths; nothing of ours is replaced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import socket
from collections.abc import AsyncIterator

from server import auth, storage, wechat


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def redis_down() -> AsyncIterator[None]:
    """Within the block, every Redis client of this process (async, and wechatpy's sync one) is refused."""
    live = storage.current()
    dead_settings = dataclasses.replace(live.settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    redis_async, redis_sync = storage._redis_clients(dead_settings)
    dead = dataclasses.replace(live, redis=redis_async, redis_sync=redis_sync)
    storage._current = dead
    wechat.install(wechat.WeChat(settings=live.settings, storage=dead))
    auth.forget_local()
    try:
        yield
    finally:
        storage._current = live
        wechat.install(wechat.WeChat(settings=live.settings, storage=live))
        auth.forget_local()
        await redis_async.aclose()
        redis_sync.close()
