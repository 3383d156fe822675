"""Tortoise configuration for ``bianmin makemigrations`` (a throwaway SQLite file; no data is touched)."""

from server.config import Settings
from server.storage import tortoise_config

TORTOISE_ORM: dict = tortoise_config(Settings(database_url="sqlite:///tmp/bianmin-makemigrations.sqlite3"))
