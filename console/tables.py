"""Tortoise models of the console: its server-side sessions (in the database, so Redis loss logs nobody out)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ConsoleSession(Model):
    """A browser's console session: the cookie holds the token, the table only its SHA-256 hash."""

    id = fields.BigIntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user_id = fields.IntField(db_index=True)  # server.User; no cross-domain foreign key
    stage = fields.CharField(max_length=16, default="active")  # active | second_factor (password given, code not yet)
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()  # the absolute end, however busy the session is
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "console_sessions"
