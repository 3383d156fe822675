"""The per-worker map snapshot: one immutable MapSnapshot per process, kept in step with a change stamp.

Every write bumps the ``geo`` change stamp in the database (server/stamps.py, after its
transaction commits) and appends ``stamp:ids`` (the POI ids it wrote, or ``*``) to a short change
log in Redis. Every worker's stamp poller starts a new snapshot when the stamp moves, and a read
that knows a newer stamp than its snapshot's waits for it rather than answer from the old one; the
snapshot is swapped in with one assignment, so readers always see a whole snapshot. When the log
names every stamp since the snapshot's, only those POIs are read and merged into a copy of the
snapshot (geo/snapshot_rows.py: tens of milliseconds at 100k POIs); otherwise (divisions or an
import changed, the write came from a command with its own in-process Redis, the log was trimmed
or lost) every row is read again (about a second at 100k). The worker that wrote marks itself
dirty and its next read waits for the new snapshot: an editor sees their own change.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

import orjson
import shapely
from redis.exceptions import RedisError
from shapely.geometry import shape

from geo import repository
from geo.division_set import DivisionSet, DivisionShape
from geo.errors import MapWarming
from geo.snapshot import MapSnapshot, SnapshotBuilder
from server import stamps, storage

log = logging.getLogger("bianmin.geo.snapshot_cache")
PAGE_ROWS = 5000
WARMING_WAIT_S = 2.0  # a map read at start-up waits this long for the first snapshot, then answers 503
CHANGE_LOG_KEEP = 512  # stamps kept in the change log
MAX_DELTA = 20_000  # more changed POIs than this: read everything again
_UNREADABLE = "unreadable"  # a stamp no stored value equals: rebuild again once the database answers
STAMP = "geo"


async def read_stamp() -> str:
    """The map's change stamp (``"0"`` before the first write), at most ``stamps.MAX_AGE_S`` old."""
    return str(await stamps.current(STAMP))


def _log_key() -> str:
    return storage.key("geo", "changes")


async def bump_version(changed: Iterable[int] | None = None) -> None:
    """Announce a committed change to every worker (call after the transaction commits).

    ``changed``: the ids of the POIs written, so that workers read just those rows; None when
    anything else may have changed (divisions, bulk imports), which makes them read everything.
    """
    ids = sorted({int(i) for i in changed}) if changed is not None else None
    entry = "*" if ids is None or len(ids) > MAX_DELTA else ",".join(map(str, ids))
    version = await stamps.bump(STAMP)
    try:
        # A reader that sees the stamp before its entry (or never: a command's own fakeredis)
        # finds a gap in the log and reads every row: slower, never wrong.
        async with storage.redis().pipeline(transaction=True) as pipe:
            await pipe.rpush(_log_key(), f"{version}:{entry}").ltrim(_log_key(), -CHANGE_LOG_KEEP, -1).execute()
    except RedisError as exc:
        log.warning("could not log the map change (other workers read every row): %s", type(exc).__name__)
    holder().mark_dirty()


async def changes_between(old: str | None, new: str | None) -> set[int] | None:
    """The POI ids written after stamp ``old`` up to stamp ``new``; None when the log cannot say
    (stamps not in order or too far apart, an entry trimmed or lost, or one that says ``*``)."""
    if not (old and new and old.isdigit() and new.isdigit()):
        return None
    first, last = int(old) + 1, int(new)
    if last < first or last - first >= CHANGE_LOG_KEEP:
        return None
    logged = {}
    for entry in await storage.redis().lrange(_log_key(), 0, -1):
        stamp, _, ids = entry.partition(":")
        logged[int(stamp)] = ids
    found: set[int] = set()
    for stamp in range(first, last + 1):
        ids = logged.get(stamp)
        if ids is None or ids == "*":
            return None
        found.update(int(i) for i in ids.split(",") if i)
    return found if len(found) <= MAX_DELTA else None


async def build_snapshot(version: str | None) -> MapSnapshot:
    """Read every POI and division and build a snapshot labelled ``version``."""
    builder = SnapshotBuilder()
    after = 0
    while True:
        rows = await repository.index_rows(after_id=after, limit=PAGE_ROWS)
        if not rows:
            break
        await asyncio.to_thread(builder.add_rows, rows)
        after = rows[-1][0]
        if len(rows) < PAGE_ROWS:
            break
    divisions = await repository.all_divisions()
    raw = [(d.code, d.name, d.level, d.parent_code, d.geometry) for d in divisions]
    return await asyncio.to_thread(_finish, builder, raw, version)


async def update_snapshot(snap: MapSnapshot, changed: set[int], version: str | None) -> MapSnapshot:
    """``snap`` with the current rows of the POIs ``changed`` (those no longer there are dropped)."""
    rows = await repository.index_rows_by_ids(changed)
    removed = changed - {row[0] for row in rows}
    return await asyncio.to_thread(snap.with_changes, rows, removed=removed, version=version)


def _finish(builder: SnapshotBuilder, raw: list[tuple[str, str, str, str | None, str]],
            version: str | None) -> MapSnapshot:
    shapes = [DivisionShape(code, name, level, parent, shapely.make_valid(shape(orjson.loads(geometry))))
              for code, name, level, parent, geometry in raw]
    return MapSnapshot.build(builder, version=version, divisions=DivisionSet(shapes))


class SnapshotHolder:
    """Holds this worker's current snapshot and keeps it in step with the change stamp."""

    def __init__(self) -> None:
        self._snapshot: MapSnapshot | None = None
        self._wanted = 0  # local writes so far; a snapshot built after the n-th one "covers" n
        self._covered = 0
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._background: asyncio.Task[MapSnapshot] | None = None  # the first snapshot, built at start-up
        self._rebuild_all = False  # the stores were replaced under us: no change log can be trusted

    @property
    def snapshot(self) -> MapSnapshot | None:
        """The snapshot readers get now (None before the first build)."""
        return self._snapshot

    def mark_dirty(self, *, rebuild_all: bool = False) -> None:
        """This worker changed the data: its next reads wait for a snapshot built after this
        (``rebuild_all``: read every row again rather than trust the change log)."""
        self._wanted += 1
        self._rebuild_all = self._rebuild_all or rebuild_all

    def start(self) -> None:
        """Build the first snapshot in the background: the worker serves (and tells its supervisor it
        is ready) at once, and map reads wait for the snapshot at most ``WARMING_WAIT_S``."""
        if self._snapshot is None and not self.rebuilding:
            self._background = asyncio.create_task(self.refresh())
            self._background.add_done_callback(_log_failure)

    async def current(self) -> MapSnapshot:
        """The snapshot to answer a read with: when a newer stamp is known, the one built for it
        (the stamp poller has usually started it already; the read waits for it to finish).
        Raises MapWarming while the first snapshot is still being built after ``WARMING_WAIT_S``."""
        snap = self._snapshot
        if snap is None and self.rebuilding:
            await self._first_snapshot()
            snap = self._snapshot
        if snap is None or self._covered < self._wanted:
            return await self.refresh()
        if await self._stamp() not in (snap.version, _UNREADABLE):
            return await self.refresh()
        return snap

    async def _first_snapshot(self) -> None:
        task = self._background
        assert task is not None
        done, _ = await asyncio.wait({task}, timeout=WARMING_WAIT_S)
        if not done:
            raise MapWarming()

    @property
    def rebuilding(self) -> bool:
        """Whether a background rebuild is under way."""
        return self._background is not None and not self._background.done()

    async def settled(self) -> MapSnapshot | None:
        """Wait for a background rebuild, if any, and return the snapshot."""
        if self._background is not None:
            await asyncio.shield(self._background)
        return self._snapshot

    async def follow(self, version: int) -> None:
        """The stamp poller saw a change: bring a snapshot this worker already serves up to date."""
        if self._snapshot is not None:
            await self.refresh()

    async def refresh(self) -> MapSnapshot:
        """Build a snapshot now unless the current one already matches the stamp."""
        async with self._loop_lock():
            wanted = self._wanted
            stamp = await self._stamp()
            snap = self._snapshot
            if snap is not None and self._covered >= wanted and stamp in (snap.version, _UNREADABLE):
                return snap
            started = time.perf_counter()
            rebuild_all, self._rebuild_all = self._rebuild_all, False
            try:
                changed = None
                if snap is not None and not rebuild_all and stamp != _UNREADABLE:
                    changed = await self._changes(snap.version, stamp)
                if changed is None:
                    snap, how = await build_snapshot(stamp), "built"
                else:
                    snap, how = await update_snapshot(snap, changed, stamp), f"updated ({len(changed)} changed)"
            except BaseException:
                self._rebuild_all = self._rebuild_all or rebuild_all
                raise
            self._snapshot, self._covered = snap, max(self._covered, wanted)
            log.info("map snapshot %s: %d POIs, %d divisions, version %s, %.0f ms", how, len(snap),
                     len(snap.divisions), stamp, (time.perf_counter() - started) * 1000)
            return snap

    def _loop_lock(self) -> asyncio.Lock:
        # One lock per event loop: the CLI and the tests may run several loops in one process.
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    async def _changes(self, old: str | None, new: str | None) -> set[int] | None:
        try:
            return await changes_between(old, new)
        except RedisError as exc:
            log.warning("map change log unreadable, reading every row: %s", type(exc).__name__)
            return None

    async def _stamp(self) -> str:
        try:
            return await read_stamp()
        except Exception as exc:  # noqa: BLE001 - the snapshot in memory still answers without the database
            log.warning("map change stamp unreadable, serving the current snapshot: %s", type(exc).__name__)
            return _UNREADABLE


def _log_failure(task: asyncio.Task[MapSnapshot]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("map snapshot rebuild failed", exc_info=task.exception())


_holder = SnapshotHolder()


def holder() -> SnapshotHolder:
    """This process's snapshot holder."""
    return _holder


async def current() -> MapSnapshot:
    """This worker's current snapshot (see :meth:`SnapshotHolder.current`)."""
    return await _holder.current()


def forget() -> None:
    """The stores were emptied or replaced under this process (tests): rebuild on the next read."""
    holder().mark_dirty(rebuild_all=True)

