"""Storage: Tortoise ORM on SQLite or PostgreSQL, and Redis (real or in-process fakeredis).

Both are chosen by URL alone (``BIANMIN_DATABASE_URL``, ``BIANMIN_REDIS_URL``). Storage is
process-wide, like Tortoise itself: the server opens it once per worker process, the CLI
once per command, the tests once per backend.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import fakeredis
import redis as redis_sync_lib
import redis.asyncio as redis_lib
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.transactions import in_transaction

from server import config, registry, sqlparams
from server.config import Settings

log = logging.getLogger("bianmin.storage")
REDIS_TIMEOUT_S = 1.0
SQLITE_BUSY_TIMEOUT_MS = 30_000
# What asyncpg raises when the server goes away under a query or between two (a failover, a restart, a
# terminated backend, a network cut), including a pooled connection whose server closed it while idle.
_CONNECTION_LOST = (asyncpg.PostgresConnectionError, asyncpg.exceptions.OperatorInterventionError,
                    asyncpg.InterfaceError, asyncpg.exceptions.InternalClientError, ConnectionError, TimeoutError)


@dataclass
class Storage:
    settings: Settings
    redis: redis_lib.Redis
    redis_sync: redis_sync_lib.Redis  # for wechatpy's synchronous token storage
    prefix: str

    def key(self, *parts: object) -> str:
        return self.prefix + ":".join(str(p) for p in parts)


_current: Storage | None = None


async def _keep_session(connection: Any) -> None:
    """asyncpg's pool hook run when a connection goes back to the pool: nothing to undo.

    By default asyncpg sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``
    on every release: one more round trip per request (two on the booking path), for session state
    bianmin never creates (no session advisory locks, cursors, LISTEN or SET; settings are
    ``SET LOCAL``). asyncpg still rolls back a transaction left open before calling this hook.
    """


def _connection(url: str) -> str | dict[str, Any]:
    if url.startswith("sqlite://"):
        options = expand_db_url(url)
        # A command beside the server (seed-demo, an import) holds the write lock for seconds: wait
        # for it rather than fail with "database is locked". WAL lets readers go on meanwhile.
        options["credentials"].setdefault("journal_mode", "WAL")
        options["credentials"].setdefault("busy_timeout", SQLITE_BUSY_TIMEOUT_MS)
        return options
    if not url.startswith(("postgres://", "asyncpg://")):
        return url
    config = expand_db_url(url)
    config["credentials"]["reset"] = _keep_session
    return config


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise configuration for every registered domain."""
    apps = {
        d.label: {"models": [d.tables], "migrations": d.migrations, "default_connection": "default"}
        for d in registry.DOMAINS
    }
    return {
        "connections": {"default": _connection(settings.database_url)},
        "apps": apps,
        "use_tz": True,
        "timezone": "UTC",
    }


def _redis_clients(settings: Settings) -> tuple[redis_lib.Redis, redis_sync_lib.Redis]:
    if settings.redis_url is None:
        server = fakeredis.FakeServer()
        return (
            fakeredis.FakeAsyncRedis(server=server, decode_responses=True),
            fakeredis.FakeRedis(server=server, decode_responses=True),
        )
    options = {"decode_responses": True, "socket_timeout": REDIS_TIMEOUT_S, "socket_connect_timeout": REDIS_TIMEOUT_S}
    return (
        redis_lib.Redis.from_url(settings.redis_url, health_check_interval=30, **options),
        redis_sync_lib.Redis.from_url(settings.redis_url, **options),
    )


def _ensure_sqlite_dir(settings: Settings) -> None:
    if settings.database_url.startswith("sqlite://"):
        from pathlib import Path

        path = settings.database_url[len("sqlite://"):].split("?")[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


async def open_storage(settings: Settings | None = None) -> Storage:
    """Connect the database and Redis for this process and make them current."""
    global _current
    settings = settings or config.current()
    _ensure_sqlite_dir(settings)
    # The global fallback makes the ORM visible to request tasks that Sanic starts in another context.
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    redis_async, redis_sync = _redis_clients(settings)
    _current = Storage(settings=settings, redis=redis_async, redis_sync=redis_sync, prefix=settings.redis_prefix)
    return _current


async def close_storage() -> None:
    """Close the connections opened by :func:`open_storage`."""
    global _current
    if _current is not None:
        await _current.redis.aclose()
        _current.redis_sync.close()
        _current = None
    await Tortoise.close_connections()


def current() -> Storage:
    if _current is None:
        raise RuntimeError("storage is not open: call open_storage() first")
    return _current


def redis() -> redis_lib.Redis:
    """The process's async Redis client."""
    return current().redis


def key(*parts: object) -> str:
    """A Redis key under this deployment's prefix."""
    return current().key(*parts)


def db() -> BaseDBAsyncClient:
    return connections.get("default")


def dialect() -> str:
    """"sqlite" or "postgres"."""
    return db().capabilities.dialect


async def sql(statement: str, values: Sequence[Any], *, conn: BaseDBAsyncClient | None = None) -> list[dict[str, Any]]:
    """Run one statement written with $1.. placeholders on either database; returns its rows."""
    conn = conn or db()
    statement, params = sqlparams.for_dialect(statement, values, conn.capabilities.dialect)
    # execute_query_dict fetches rows for every statement (execute_query drops an INSERT's RETURNING).
    return await conn.execute_query_dict(statement, params)


@asynccontextmanager
async def transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """One database transaction (yields the connection).

    On SQLite the transaction takes the write lock at once (what ``BEGIN IMMEDIATE`` does): a
    transaction that reads first and writes later cannot take it once another process has written
    in between, and SQLite answers "database is locked" without waiting.
    """
    async with in_transaction("default") as conn:
        if conn.capabilities.dialect == "sqlite":
            await conn.execute_query("UPDATE change_stamps SET version = version WHERE 0")
        yield conn


def connection_lost(exc: BaseException) -> bool:
    """The database connection failed under this error (or what caused it): retrying can succeed."""
    seen = 0
    cause: BaseException | None = exc
    while cause is not None and seen < 5:
        if isinstance(cause, _CONNECTION_LOST):
            return True
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    return False


async def migrate(settings: Settings, *, progress: Callable[[str, str, str], object] | None = None) -> None:
    """Apply every committed migration of every domain (``bianmin migrate``)."""
    from tortoise.migrations.api import migrate as tortoise_migrate

    _ensure_sqlite_dir(settings)
    await tortoise_migrate(config=tortoise_config(settings), progress=progress)


async def load_reference_data() -> None:
    """Load every domain's reference data (category tree, agencies, ...); idempotent."""
    for _domain, loader in registry.each("reference"):
        await loader()


async def readiness() -> dict[str, str]:
    """{"database": "ok"|reason, "redis": "ok"|reason}."""
    status: dict[str, str] = {}
    try:
        await db().execute_query("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        status["database"] = f"unreachable: {type(exc).__name__}"
    try:
        await redis().ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["redis"] = f"unreachable: {type(exc).__name__}"
    return status
