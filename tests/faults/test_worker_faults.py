"""``bianmin worker`` killed with SIGKILL inside a feed fan-out and during a WeChat send, then started
again: every subscriber gets the document once and exactly one message, and nothing is left behind.

The outbox lease (60 s) is what hands a dead worker's events to the next one; the test moves the
database's lease stamps into the past instead of waiting a minute. The fake WeChat drops a call whose
sender died before WeChat took it; a worker killed after WeChat's answer and before our commit would
send that one message again (WeChat's API has no idempotency key: see the README).
"""

from __future__ import annotations

import asyncio
import json
import time

import asyncpg
import pytest

from bulletin.feeds import service_fanout
from bulletin.feeds.tables import Entry, FeedItem
from server import config, notify
from server.tables import OutboxMessage, PushLog
from tests.faults.support import Worker, child_env
from tests.integration.feeds.feeds_support import (
    DOC_TEMPLATE,
    publish,
    resident,
    run_all,
    run_feeds,
    subscribe,
    with_document_template,
)

SEND = "/cgi-bin/message/subscribe/send"
READERS = 4


@pytest.fixture
def postgres(db):
    if not db.is_postgres:
        pytest.skip("a worker process beside the tests needs a database both can open (PostgreSQL)")
    with_document_template(db.settings)
    yield db
    config.install(db.settings)


async def admin_connection(db) -> asyncpg.Connection:
    url = db.settings.database_url.split("?")[0].replace("postgres://", "postgresql://", 1)
    return await asyncpg.connect(url)


async def wait_for(condition, *, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def leases_run_out(conn: asyncpg.Connection) -> None:
    """What a minute of waiting would do: the dead worker's leases end."""
    await conn.execute("UPDATE outbox SET locked_until = now() - interval '1 second' WHERE status = 'pending' "
                       "AND locked_until IS NOT NULL")


async def test_a_worker_killed_in_a_fan_out_and_in_a_send_delivers_each_message_once(postgres, wx, tmp_path):
    readers = []
    for n in range(READERS):
        user_id = await resident(wx, f"o-kill-{n}")
        await notify.record_grants(user_id, {DOC_TEMPLATE: "accept"})
        await subscribe(user_id, topics=["education"])
        readers.append(user_id)
    await run_feeds()  # the new subscriptions' backfills
    document = await publish("关于2026年秋季学期义务教育阶段学位申请的通告", topic="education")
    source = await service_fanout.source_of("document", document)
    item_id = await service_fanout.index_item("document", document, source, notify=True)
    templates = json.dumps({"document_published": {"id": DOC_TEMPLATE, "kind": "long_term"}})
    env = child_env(postgres.settings, BIANMIN_WECHAT_TEMPLATES=templates)
    conn, holder = await admin_connection(postgres), await admin_connection(postgres)
    worker = Worker(env, tmp_path)
    try:
        # 1. Killed inside the fan-out's transaction: it waits for the item's row lock, which we hold.
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM feed_items WHERE id = $1 FOR NO KEY UPDATE", item_id)
            worker.start()
            await wait_for(lambda: conn.fetchval(
                "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> $1", holder.get_server_pid()),
                what="the worker to reach the fan-out")
            worker.kill()
        assert await Entry.filter(item_id=item_id).count() == 0
        await leases_run_out(conn)

        # 2. Killed while WeChat holds its first message.
        stall = wx.stall(SEND)
        worker.start()
        await wait_for(lambda: asyncio.to_thread(stall.arrived.wait, 0.05), what="the first send")
        worker.kill()
        wx.state.stalls.pop(SEND).set()  # the call reaches WeChat after its sender died: dropped unsent
        assert await Entry.filter(item_id=item_id).count() == READERS  # the fan-out had committed
        await leases_run_out(conn)

    except AssertionError:
        print(worker.log.read_text()[-3000:])
        raise
    finally:
        worker.stop()
        await conn.close()
        await holder.close()
    # 3. The next worker finishes the job (in this process: a third start of a process would prove nothing more).
    await run_all()

    assert sorted(await Entry.filter(item_id=item_id).values_list("user_id", flat=True)) == sorted(readers)
    assert sorted(m["touser"] for m in wx.sent) == sorted(f"o-kill-{n}" for n in range(READERS))
    assert await PushLog.filter(outcome="sent").count() == READERS
    assert not await OutboxMessage.filter(status__in=["pending", "failed"], topic="push").exists()
    assert (await FeedItem.get(id=item_id)).status == "published"
