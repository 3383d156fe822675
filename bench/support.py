"""What several benchmarks share: opening bianmin's storage on a scratch database."""

from __future__ import annotations

from pathlib import Path

from tortoise import Tortoise
from tortoise.backends.base import executor

from server import config, storage
from server.config import Settings


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
