"""Transactional outbox: side effects written in the same transaction as their cause.

A booking, a cancellation or a publication writes its notifications here with the same
database connection as the change itself, so either both happen or neither does. Workers
(``bianmin worker``, or the server itself in the embedded single-process setup) claim due
rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and a lease, so several workers never
take the same row and a row claimed by a worker that died is taken again when the lease
runs out. Nothing is lost; a message is delivered twice only if a worker dies in the
instant between WeChat's answer and our commit.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q

from server import clock, storage
from server.tables import OutboxMessage

log = logging.getLogger("bianmin.outbox")

LEASE = timedelta(seconds=60)
# 12 attempts, 10 s doubling to at most an hour apart: a message outlives ~3.4 hours of its provider failing
# (8 gave up after 21 minutes of a WeChat outage).
MAX_ATTEMPTS = 12
BACKOFF_BASE_S = 10

Handler = Callable[[OutboxMessage], Awaitable[None]]


class Retry(Exception):
    """Raise from a handler to try again after ``delay``.

    ``counts=False`` when the failure is not the message's (a provider's quota is used up): the
    attempt is given back, so waiting for the quota never uses up the message's attempts.
    """

    def __init__(self, reason: str, *, delay: timedelta | None = None, counts: bool = True):
        super().__init__(reason)
        self.delay = delay
        self.counts = counts


class Permanent(Exception):
    """Raise from a handler when trying again cannot help (e.g. the user refused messages)."""


@dataclass(frozen=True)
class NewMessage:
    topic: str
    payload: dict[str, Any]
    due_at: datetime | None = None
    dedup_key: str | None = None
    group: str | None = None


async def enqueue(topic: str, payload: dict[str, Any], *, due_at: datetime | None = None,
                  dedup_key: str | None = None, group: str | None = None,
                  using_db: BaseDBAsyncClient | None = None) -> None:
    """Write one message; with a ``dedup_key`` a repeat is silently ignored."""
    await enqueue_many([NewMessage(topic, payload, due_at, dedup_key, group)], using_db=using_db)


_COLUMNS = "topic, payload, dedup_key, group_key, status, due_at, attempts, created_at"
_INSERT = {
    # A prepared statement: the ORM's bulk_create rebuilt its INSERT on every call (~1 ms a booking).
    "postgres": f"INSERT INTO outbox ({_COLUMNS}) VALUES ($1, $2, $3, $4, 'pending', $5, 0, $6) ON CONFLICT DO NOTHING",
    "sqlite": f"INSERT OR IGNORE INTO outbox ({_COLUMNS}) VALUES (?, ?, ?, ?, 'pending', ?, 0, ?)",
}


async def enqueue_many(messages: Iterable[NewMessage], *, using_db: BaseDBAsyncClient | None = None) -> None:
    """Write many messages at once (fan-out); repeats of a ``dedup_key`` are ignored."""
    now = clock.now()
    rows = [
        (m.topic, orjson.dumps(m.payload).decode(), m.dedup_key, m.group,
         (m.due_at or now).astimezone(UTC), now)
        for m in messages
    ]
    if rows:
        conn = using_db or storage.db()
        await conn.execute_many(_INSERT[conn.capabilities.dialect], rows)


async def cancel_group(group: str, *, topics: Iterable[str] | None = None,
                       using_db: BaseDBAsyncClient | None = None) -> int:
    """Cancel the pending messages of a group (e.g. a cancelled booking's reminders)."""
    return await cancel_groups([group], topics=topics, using_db=using_db)


async def cancel_groups(groups: Iterable[str], *, topics: Iterable[str] | None = None,
                        using_db: BaseDBAsyncClient | None = None) -> int:
    """Cancel the pending messages of several groups in one statement (a closed day's bookings)."""
    query = OutboxMessage.filter(group_key__in=list(groups), status="pending")
    if topics is not None:
        query = query.filter(topic__in=list(topics))
    return await query.using_db(using_db).update(status="cancelled", processed_at=clock.now())


class Dispatcher:
    """Claims due messages and runs the handler registered for each topic."""

    def __init__(self, handlers: dict[str, Handler], *, worker_id: str, batch: int = 50):
        self.handlers = handlers
        self.worker_id = worker_id
        self.batch = batch

    async def claim(self) -> list[OutboxMessage]:
        now = clock.now()
        async with storage.transaction() as conn:
            rows = await (
                OutboxMessage.filter(status="pending", due_at__lte=now, topic__in=list(self.handlers))
                .filter(Q(locked_until=None) | Q(locked_until__lt=now))
                .order_by("due_at", "id").limit(self.batch)
                .select_for_update(skip_locked=True).using_db(conn)
            )
            if rows:
                await OutboxMessage.filter(id__in=[r.id for r in rows]).using_db(conn).update(
                    locked_until=now + LEASE, locked_by=self.worker_id, attempts=F("attempts") + 1)
        for row in rows:
            row.attempts += 1
        return rows

    async def run_once(self) -> int:
        """Process one batch; returns how many messages were handled."""
        rows = await self.claim()
        for row in rows:
            await self._handle(row)
        return len(rows)

    async def _handle(self, row: OutboxMessage) -> None:
        mine = OutboxMessage.filter(id=row.id, locked_by=self.worker_id, status="pending")
        try:
            await self.handlers[row.topic](row)
        except Permanent as exc:
            log.info("outbox %s %s failed permanently: %s", row.topic, row.id, exc)
            await mine.update(status="failed", last_error=str(exc)[:2000], processed_at=clock.now(), locked_until=None)
            return
        except Exception as exc:  # noqa: BLE001 - any handler failure is retried with backoff
            delay = exc.delay if isinstance(exc, Retry) and exc.delay else self.backoff(row.attempts)
            if isinstance(exc, Retry) and not exc.counts:
                log.warning("outbox %s %s waits %s (attempt not counted): %s", row.topic, row.id, delay, exc)
                await mine.update(due_at=clock.now() + delay, locked_until=None, last_error=_describe(exc),
                                  attempts=F("attempts") - 1)
            elif row.attempts >= MAX_ATTEMPTS:
                log.error("outbox %s %s gave up after %s attempts: %s", row.topic, row.id, row.attempts, exc)
                await mine.update(status="failed", last_error=_describe(exc), processed_at=clock.now(), locked_until=None)
            else:
                log.warning("outbox %s %s attempt %s failed, retrying in %s: %s", row.topic, row.id, row.attempts, delay, exc)
                await mine.update(due_at=clock.now() + delay, locked_until=None, last_error=_describe(exc))
            return
        await mine.update(status="sent", processed_at=clock.now(), locked_until=None)

    @staticmethod
    def backoff(attempts: int) -> timedelta:
        return timedelta(seconds=min(3600, BACKOFF_BASE_S * 2 ** max(0, attempts - 1)))


def _describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
