"""The transactional outbox: written with its cause, claimed once, retried, leased, cancelled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from server import clock, outbox, storage
from server.outbox import Dispatcher
from server.tables import OutboxMessage, User


class Recorder:
    def __init__(self, fail_times: int = 0, permanent: bool = False):
        self.seen: list[int] = []
        self.fail_times = fail_times
        self.permanent = permanent

    async def __call__(self, message: OutboxMessage) -> None:
        if self.permanent:
            raise outbox.Permanent("user refused")
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("flaky")
        self.seen.append(message.payload["n"])


async def test_message_commits_or_rolls_back_with_its_cause(db):
    now = clock.now()
    async with storage.transaction() as conn:
        await User.create(role="resident", created_at=now, updated_at=now, using_db=conn)
        await outbox.enqueue("test.topic", {"n": 1}, using_db=conn)
    with pytest.raises(RuntimeError):
        async with storage.transaction() as conn:
            await User.create(role="resident", created_at=now, updated_at=now, using_db=conn)
            await outbox.enqueue("test.topic", {"n": 2}, using_db=conn)
            raise RuntimeError("the booking failed")
    assert await User.all().count() == 1
    assert [m.payload["n"] for m in await OutboxMessage.all()] == [1]


async def test_dedup_key_ignores_repeats(db):
    for _ in range(3):
        await outbox.enqueue("test.topic", {"n": 1}, dedup_key="booking:1:confirmed")
    assert await OutboxMessage.filter(dedup_key="booking:1:confirmed").count() == 1


async def test_due_messages_are_sent_once_and_future_ones_wait(db):
    clock.freeze(clock.now())
    await outbox.enqueue("test.topic", {"n": 1})
    await outbox.enqueue("test.topic", {"n": 2}, due_at=clock.now() + timedelta(hours=1))
    recorder = Recorder()
    dispatcher = Dispatcher({"test.topic": recorder}, worker_id="w1")
    assert await dispatcher.run_once() == 1
    assert await dispatcher.run_once() == 0
    clock.advance(timedelta(hours=1))
    assert await dispatcher.run_once() == 1
    assert recorder.seen == [1, 2]
    assert await OutboxMessage.filter(status="sent").count() == 2


async def test_failures_are_retried_with_backoff(db):
    clock.freeze(clock.now())
    await outbox.enqueue("test.topic", {"n": 7})
    recorder = Recorder(fail_times=2)
    dispatcher = Dispatcher({"test.topic": recorder}, worker_id="w1")
    await dispatcher.run_once()
    row = await OutboxMessage.get()
    assert row.status == "pending" and row.attempts == 1 and "flaky" in row.last_error
    assert row.due_at == clock.now() + timedelta(seconds=outbox.BACKOFF_BASE_S)
    assert await dispatcher.run_once() == 0  # not due yet
    clock.advance(timedelta(seconds=10))
    await dispatcher.run_once()
    clock.advance(timedelta(seconds=20))
    await dispatcher.run_once()
    assert recorder.seen == [7]
    assert (await OutboxMessage.get()).status == "sent"


async def test_permanent_failure_is_not_retried(db):
    await outbox.enqueue("test.topic", {"n": 1})
    await Dispatcher({"test.topic": Recorder(permanent=True)}, worker_id="w1").run_once()
    row = await OutboxMessage.get()
    assert (row.status, row.last_error) == ("failed", "user refused")


async def test_a_dead_workers_claim_is_taken_over_after_the_lease(db):
    clock.freeze(clock.now())
    await outbox.enqueue("test.topic", {"n": 1})
    dead = Dispatcher({"test.topic": Recorder()}, worker_id="dead")
    claimed = await dead.claim()  # claimed, then the worker died before handling it
    assert len(claimed) == 1
    alive_recorder = Recorder()
    alive = Dispatcher({"test.topic": alive_recorder}, worker_id="alive")
    assert await alive.run_once() == 0
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert await alive.run_once() == 1
    assert alive_recorder.seen == [1]


async def test_cancel_group_cancels_only_pending_messages_of_the_group(db):
    await outbox.enqueue("test.topic", {"n": 1}, group="booking:1")
    await outbox.enqueue("test.topic", {"n": 2}, group="booking:1", due_at=clock.now() + timedelta(days=1))
    await outbox.enqueue("test.topic", {"n": 3}, group="booking:2", due_at=clock.now() + timedelta(days=1))
    await Dispatcher({"test.topic": Recorder()}, worker_id="w").run_once()  # sends n=1 and... only due ones
    assert await outbox.cancel_group("booking:1") == 1
    statuses = {m.payload["n"]: m.status for m in await OutboxMessage.all()}
    assert statuses == {1: "sent", 2: "cancelled", 3: "pending"}


async def test_concurrent_workers_never_take_the_same_message(db):
    if not db.is_postgres:
        pytest.skip("SQLite serialises transactions; SKIP LOCKED only matters on PostgreSQL")
    await outbox.enqueue_many(outbox.NewMessage("test.topic", {"n": i}) for i in range(300))
    recorders = [Recorder() for _ in range(4)]
    dispatchers = [Dispatcher({"test.topic": r}, worker_id=f"w{i}", batch=10) for i, r in enumerate(recorders)]

    async def drain(d: Dispatcher) -> None:
        while await d.run_once():
            await asyncio.sleep(0)

    await asyncio.gather(*(drain(d) for d in dispatchers))
    seen = [n for r in recorders for n in r.seen]
    assert sorted(seen) == list(range(300))
    assert sum(1 for r in recorders if r.seen) >= 2  # the work was actually shared
