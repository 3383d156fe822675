"""What several benchmarks share: scratch databases, and opening bianmin's storage on one."""

from __future__ import annotations

import json
from pathlib import Path

from tortoise import Tortoise
from tortoise.backends.base import executor

from server import config, storage
from server.config import DEFAULT_RATE_LIMITS, Settings

# Load from one address far beyond what a person sends: every rate limit raised (still counted, as in
# production), for servers a benchmark starts (BIANMIN_RATE_LIMITS).
RAISED_RATE_LIMITS = json.dumps({name: "1000000/1m" for name in DEFAULT_RATE_LIMITS})


async def open_backend(url: str, var_dir: Path, *, redis_prefix: str) -> None:
    """Migrate ``url``, open storage on it (in-process fakeredis) and load reference data."""
    settings = Settings(env="test", database_url=url, secret_key="b" * 40, pii_key=b"k" * 32, var_dir=var_dir,
                        run_worker=False, redis_prefix=redis_prefix)
    config.install(settings)
    executor.EXECUTOR_CACHE.clear()  # Tortoise caches INSERTs by connection name, not by dialect
    await storage.migrate(settings)
    await Tortoise.close_connections()
    await storage.open_storage(settings)
    await storage.load_reference_data()


async def create_database(admin_url: str, name: str) -> str:
    """(Re)create database ``name`` on the server of ``admin_url``; its URL."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` (connections to it are closed)."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
