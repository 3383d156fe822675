"""WeChat messages of new items on both backends: consent per message, the shared send rate."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from server import notify, wechat
from server.outbox import Dispatcher
from server.tables import PushGrant, PushLog
from server.worker import collect_jobs
from tests.integration.feeds.feeds_support import (
    DOC_TEMPLATE,
    publish,
    resident,
    run_all,
    run_feeds,
    subscribe,
    with_document_template,
)


async def test_no_message_without_a_grant_and_one_time_grants_are_spent(db, wx):
    with_document_template(db.settings, kind="one_time")
    granted = await resident(wx, "o-granted")
    silent = await resident(wx, "o-silent")
    await notify.record_grants(granted, {DOC_TEMPLATE: "accept"})  # one accept = one message
    for user_id in (granted, silent):
        await subscribe(user_id, topics=["education"])
    await publish("2026年义务教育招生工作", topic="education")
    await publish("课后服务管理办法", topic="education")
    await run_all()
    assert [(m["touser"], m["data"]["thing1"]["value"]) for m in wx.sent] == [("o-granted", "2026年义务教育招生工作")]
    outcomes = sorted(await PushLog.all().values_list("user_id", "outcome"))
    assert outcomes == sorted([(granted, "sent"), (granted, "no_grant"), (silent, "no_grant"), (silent, "no_grant")])
    assert (await PushGrant.get(user_id=granted)).remaining == 0
    assert all(m["page"].startswith("pages/gazette/reader/reader?id=") for m in wx.sent)


async def test_two_workers_share_one_send_rate(db, wx, monkeypatch):
    rate = 4
    with_document_template(db.settings, rate=rate)
    readers = []
    for n in range(10):
        readers.append(await resident(wx, f"o-rate-{n}"))
        await notify.record_grants(readers[-1], {DOC_TEMPLATE: "accept"})
        await subscribe(readers[-1], topics=["education"])
    await publish("2026年秋季学期学位申请", topic="education")
    await run_feeds()
    stamps: list[float] = []
    facade = wechat.client()
    real_send = facade.send_subscribe_message

    async def timed_send(**kwargs):
        stamps.append(time.time())  # the moment the shared limiter let this send through
        return await real_send(**kwargs)

    monkeypatch.setattr(facade, "send_subscribe_message", timed_send)
    handlers = collect_jobs().handlers
    workers = [Dispatcher(handlers, worker_id=f"worker-{n}", batch=5) for n in range(2)]
    await asyncio.gather(*(w.run_once() for w in workers))
    await run_all()
    per_second = Counter(int(s) for s in stamps)
    assert len(wx.sent) == 10
    assert max(per_second.values()) <= rate  # together never above the configured rate
    assert len(per_second) >= 3  # 10 messages at 4 a second need at least three seconds
