"""The background worker: outbox dispatch and periodic jobs (``bianmin worker``).

Domains register outbox handlers and periodic jobs through :class:`Jobs`. Any number of
workers may run: outbox rows are claimed with SKIP LOCKED, and each tick of a periodic job
is taken by one worker only (a Redis ``SET NX`` on the job's name and tick).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from redis.exceptions import RedisError

from server import clock, config, registry, storage
from server.outbox import Dispatcher, Handler

log = logging.getLogger("bianmin.worker")
Job = Callable[[], Awaitable[object]]
IDLE_SLEEP_S = 0.5


@dataclass
class Periodic:
    name: str
    run: Job
    every: timedelta | None = None
    daily_at: time | None = None  # local time
    weekday: int | None = None    # with daily_at: 0 = Monday


@dataclass
class Jobs:
    handlers: dict[str, Handler] = field(default_factory=dict)
    periodic: list[Periodic] = field(default_factory=list)

    def handler(self, topic: str, fn: Handler) -> None:
        """Run ``fn`` for every outbox message of ``topic``."""
        if topic in self.handlers:
            raise ValueError(f"outbox topic {topic!r} already has a handler")
        self.handlers[topic] = fn

    def every(self, name: str, interval: timedelta, fn: Job) -> None:
        """Run ``fn`` once per ``interval`` across all workers."""
        self.periodic.append(Periodic(name, fn, every=interval))

    def daily(self, name: str, at: time, fn: Job, *, weekday: int | None = None) -> None:
        """Run ``fn`` once a day (or once a week on ``weekday``) at local time ``at``."""
        self.periodic.append(Periodic(name, fn, daily_at=at, weekday=weekday))


def collect_jobs() -> Jobs:
    """Every domain's handlers and periodic jobs."""
    jobs = Jobs()
    for _domain, register in registry.each("worker"):
        register(jobs)
    return jobs


def _tick(job: Periodic, now: datetime) -> str | None:
    """The identity of the tick due now, or None when the job is not due."""
    if job.every is not None:
        return str(int(now.timestamp() // job.every.total_seconds()))
    local = now.astimezone(config.current().tz)
    assert job.daily_at is not None
    if local.time() < job.daily_at or (job.weekday is not None and local.weekday() != job.weekday):
        return None
    return local.date().isoformat()


async def run_due_jobs(jobs: Jobs) -> None:
    """Run each periodic job whose current tick no worker has taken yet."""
    now = clock.now()
    for job in jobs.periodic:
        tick = _tick(job, now)
        if tick is None:
            continue
        ttl = int(job.every.total_seconds()) + 60 if job.every else 3 * 86400
        try:
            taken = await storage.redis().set(storage.key("job", job.name, tick), "1", nx=True, ex=ttl)
        except RedisError as exc:
            log.warning("job %s skipped: redis unavailable (%s)", job.name, type(exc).__name__)
            continue
        if not taken:
            continue
        try:
            await job.run()
        except Exception:
            log.exception("periodic job %s failed", job.name)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def run(stop: asyncio.Event, *, jobs: Jobs | None = None) -> None:
    """Dispatch the outbox and run periodic jobs until ``stop`` is set."""
    jobs = jobs or collect_jobs()
    dispatcher = Dispatcher(jobs.handlers, worker_id=worker_id())
    log.info("worker started: %d outbox topics, %d periodic jobs", len(jobs.handlers), len(jobs.periodic))
    while not stop.is_set():
        handled = 0
        try:
            await run_due_jobs(jobs)
            handled = await dispatcher.run_once()
        except Exception:
            log.exception("worker iteration failed")
        if not handled:
            try:
                await asyncio.wait_for(stop.wait(), timeout=IDLE_SLEEP_S)
            except TimeoutError:
                pass
    log.info("worker stopped")
