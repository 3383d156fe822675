"""Change stamps: one counter per kind of shared data, kept in the database every process shares.

A process that keeps a copy of stored data (the map's snapshot, the gazette's cached search
answers and facet columns, the working-day calendar, sessions) labels it with the stamp it was
read under. Every change bumps the stamp (in the write's transaction, or right after it
commits). The database is the source of truth: a command run beside the server (``bianmin
import-pois`` on the embedded SQLite file, whose fakeredis is its own) or another worker on
PostgreSQL is seen by every process, with or without Redis.

Each server worker reads the whole table (a handful of rows) every ``POLL_S`` and runs the
listeners of the names that moved, so copies are rebuilt without waiting for a request; a
process without the poller (a command, a test) reads it at most every ``MAX_AGE_S`` when asked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient

from server import clock, config, storage

log = logging.getLogger("bianmin.stamps")
POLL_S = 0.25
# A process without a running poller (or whose poller fell behind) reads the table itself when its
# copy is older than this; twice the poll interval, so that requests do not race the poller for it.
MAX_AGE_S = 2 * POLL_S
Listener = Callable[[int], Awaitable[object]]

_BUMP = ("INSERT INTO change_stamps (name, version, changed_at) VALUES ($1, 1, $2) "
         "ON CONFLICT (name) DO UPDATE SET version = change_stamps.version + 1, changed_at = excluded.changed_at "
         "RETURNING version")


@dataclass
class _Seen:
    """What this process last read from one database."""

    versions: dict[str, int] = field(default_factory=dict)
    read_at: float = float("-inf")  # monotonic seconds; -inf: read again before answering
    loaded: bool = False  # nothing moved before the first read: there was nothing to refresh


_seen: dict[str, _Seen] = {}  # by database URL: the tests use two databases in one process
_listeners: dict[str, list[Listener]] = {}
_tasks: set[asyncio.Task[object]] = set()
_monotonic = time.monotonic


def _state() -> _Seen:
    return _seen.setdefault(config.current().database_url, _Seen())


async def bump(name: str, *, using_db: BaseDBAsyncClient | None = None) -> int:
    """Announce a change of ``name`` (inside the write's transaction when ``using_db`` is given)."""
    rows = await storage.sql(_BUMP, [name, clock.now()], conn=using_db)
    _state().read_at = float("-inf")  # this process's next read sees its own change
    return int(rows[0]["version"])


async def current(name: str) -> int:
    """The stamp of ``name`` (0 before its first change), at most ``MAX_AGE_S`` old."""
    state = _state()
    if _monotonic() - state.read_at >= MAX_AGE_S:
        await read()
    return state.versions.get(name, 0)


async def read() -> dict[str, int]:
    """Read every stamp now and start the listeners of those that moved since the last read."""
    state = _state()
    started = _monotonic()
    rows = await storage.db().execute_query_dict("SELECT name, version FROM change_stamps")
    versions = {row["name"]: int(row["version"]) for row in rows}
    previous, loaded = state.versions, state.loaded
    state.versions, state.read_at, state.loaded = versions, started, True
    for name, version in versions.items():
        if loaded and previous.get(name) != version:
            _notify(name, version)
    return versions


def on_change(name: str, listener: Listener) -> None:
    """Run ``listener(version)`` (in the background) when a poll finds ``name`` changed."""
    if listener not in _listeners.setdefault(name, []):
        _listeners[name].append(listener)


def _notify(name: str, version: int) -> None:
    for listener in _listeners.get(name, ()):
        task = asyncio.ensure_future(listener(version))
        _tasks.add(task)
        task.add_done_callback(_finished)


def _finished(task: asyncio.Task[object]) -> None:
    _tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("refreshing after a change failed", exc_info=task.exception())


async def watch(stop: asyncio.Event, *, every: float = POLL_S) -> None:
    """Poll the stamps until ``stop`` is set (one task per server worker)."""
    while not stop.is_set():
        try:
            await read()
        except Exception as exc:  # noqa: BLE001 - a database hiccup must not end the poller
            log.warning("change stamps unreadable: %s", type(exc).__name__)
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            pass


def forget() -> None:
    """Drop what this process read (the tests empty the database under it)."""
    _seen.clear()
