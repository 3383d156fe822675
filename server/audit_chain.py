"""The hash chain under the operation and login logs: append, verify, purge.

Each entry carries ``prev_hash`` (the ``hash`` of the entry before it) and ``hash``, an HMAC over its
own content and ``prev_hash``, keyed with a key derived from ``BIANMIN_SECRET_KEY`` (algorithm:
``BIANMIN_HASH``). Editing an entry breaks its own HMAC; removing one breaks the next entry's link;
without the key neither can be repaired. Removing the newest entries (cutting the tail) is not
detectable from the table alone: copy the last hash elsewhere (a SIEM, the daily report) for that.

Appends are serialised so parallel requests never fork the chain: a transaction-scoped advisory lock
on PostgreSQL (every worker process), plus a per-process lock (SQLite serialises writers anyway).
The retention purge deletes only entries older than ``BIANMIN_AUDIT_RETENTION_DAYS`` (never the
newest one) and records, sealed, the first kept entry and the hash it links to.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from server import clock, config, keyed_hash, storage
from server.tables import AuditChainStart, LoginLog, OperationLog

GENESIS = "genesis"
LOGS: dict[str, type[Model]] = {"operations": OperationLog, "logins": LoginLog}
_UNSEALED = ("id", "hash")
_BATCH = 1000
_locks: dict[str, asyncio.Lock] = {}


_LOG_NAMES_ZH = {"operations": "操作日志", "logins": "登录日志"}


@dataclass(frozen=True)
class Problem:
    """One break in a chain, naming the entry where it shows: ``reason`` in English (the CLI, the logs) and
    ``reason_zh`` in Chinese (the console's page)."""

    log: str
    entry_id: int | None
    reason: str
    reason_zh: str

    def _where(self) -> str:
        return f"{LOGS[self.log]._meta.db_table} #{self.entry_id}" if self.entry_id else self.log

    def __str__(self) -> str:
        return f"{self._where()}: {self.reason}"

    def zh(self) -> str:
        where = f"{_LOG_NAMES_ZH[self.log]} {self._where()}" if self.entry_id else _LOG_NAMES_ZH[self.log]
        return f"{where}：{self.reason_zh}"


def chain_key() -> bytes:
    return keyed_hash.derive_key(config.current().secret_key.encode(), "audit-chain")


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def content(log: str, row: dict[str, Any]) -> bytes:
    """The bytes an entry's HMAC covers: every column but ``id`` and ``hash``, in one canonical form."""
    fields = {k: _canonical(v) for k, v in row.items() if k not in _UNSEALED}
    return log.encode() + b"\n" + orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def _lock_id(log: str) -> int:
    return int.from_bytes(hashlib.sha256(f"bianmin.audit.{log}".encode()).digest()[:8], "big", signed=True)


def _fields(model: type[Model]) -> list[str]:
    return list(model._meta.db_fields)


@contextlib.asynccontextmanager
async def _serialised(log: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction that holds ``log``'s chain: an advisory lock on PostgreSQL (every process), a
    process lock on SQLite (one process writes an embedded database)."""
    if storage.dialect() == "postgres":
        async with storage.transaction() as conn:
            await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [_lock_id(log)])
            yield conn
        return
    async with _locks.setdefault(log, asyncio.Lock()), storage.transaction() as conn:
        yield conn


async def append(log: str, values: dict[str, Any]) -> Model:
    """Add one entry at the end of ``log``'s chain and return it."""
    model = LOGS[log]
    async with _serialised(log) as conn:
        last = await model.all().using_db(conn).order_by("-id").limit(1).values_list("hash", flat=True)
        row = {**values, "prev_hash": last[0] if last else GENESIS}
        row["hash"] = keyed_hash.seal(chain_key(), content(log, row), config.current().hash_alg)
        return await model.create(using_db=conn, **row)


def _start_content(log: str, first_id: int, prev_hash: str, purged_at: datetime) -> bytes:
    return orjson.dumps([log, first_id, prev_hash, _canonical(purged_at)])


async def verify(log: str) -> list[Problem]:
    """Every break in ``log``'s chain: edited entries, removed entries, a forged start."""
    model, key = LOGS[log], chain_key()
    problems: list[Problem] = []
    start = await AuditChainStart.get_or_none(log=log)
    expected_prev, expected_first = GENESIS, None
    if start is not None:
        if not keyed_hash.check(key, _start_content(log, start.first_id, start.prev_hash, start.purged_at), start.seal):
            problems.append(Problem(log, None, "the record of where the chain starts was altered",
                                        "链起点记录被篡改"))
        expected_prev, expected_first = start.prev_hash, start.first_id
    last_id, first = 0, True
    while True:
        rows = await model.filter(id__gt=last_id).order_by("id").limit(_BATCH).values(*_fields(model))
        if not rows:
            return problems
        for row in rows:
            if first and expected_first is not None and row["id"] != expected_first:
                problems.append(Problem(log, row["id"], f"entries from #{expected_first} on were removed",
                                        f"自 #{expected_first} 起的记录被删除"))
            elif row["prev_hash"] != expected_prev:
                problems.append(Problem(log, row["id"], f"the entry before it (after #{last_id}) was removed "
                                                        "or its hash changed",
                                        f"其前一条记录（#{last_id} 之后）被删除或哈希被改动"))
            if not keyed_hash.check(key, content(log, row), row["hash"]):
                problems.append(Problem(log, row["id"], "its content does not match its hash (edited)",
                                        "内容与哈希不符（被修改）"))
            expected_prev, last_id, first = row["hash"], row["id"], False


async def purge(log: str, *, retention_days: int) -> int:
    """Delete ``log``'s entries older than ``retention_days`` (never the newest); returns how many."""
    model = LOGS[log]
    cutoff = clock.now() - timedelta(days=retention_days)
    async with _serialised(log) as conn:
        if storage.dialect() == "postgres":
            await conn.execute_query("SET LOCAL bianmin.audit_purge = 'on'")
        newest = await model.all().using_db(conn).order_by("-id").limit(1).values_list("id", flat=True)
        if not newest:
            return 0
        removed = await model.filter(created_at__lt=cutoff, id__lt=newest[0]).using_db(conn).delete()
        if not removed:
            return 0
        first = await model.all().using_db(conn).order_by("id").limit(1).values("id", "prev_hash")
        now = clock.now()
        seal = keyed_hash.seal(chain_key(), _start_content(log, first[0]["id"], first[0]["prev_hash"], now),
                               config.current().hash_alg)
        await AuditChainStart.update_or_create(
            log=log, defaults={"first_id": first[0]["id"], "prev_hash": first[0]["prev_hash"],
                               "purged_at": now, "seal": seal}, using_db=conn)
        return removed
