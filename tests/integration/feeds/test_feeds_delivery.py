"""Delivery on both backends: exactly once across a worker killed mid-fan-out, withdrawal, backfill, unsubscribing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bulletin import service_editing
from bulletin.feeds import repository, service_fanout, service_feed
from bulletin.feeds.tables import Entry, FanOut
from server import clock, notify, outbox
from server.outbox import Dispatcher
from server.tables import OutboxMessage, PushLog
from server.worker import collect_jobs
from tests.integration.feeds.feeds_support import (
    DOC_TEMPLATE,
    feed_users,
    publish,
    resident,
    run_all,
    run_feeds,
    subscribe,
    with_document_template,
)


async def granted_readers(client, wx, count: int) -> list[int]:
    """Residents logged in through WeChat, each with a long-term grant and an immediate subscription to 教育."""
    readers = []
    for n in range(count):
        user_id = await resident(wx, f"o-reader-{n}")
        await notify.record_grants(user_id, {DOC_TEMPLATE: "accept"})
        await subscribe(user_id, topics=["education"])
        readers.append(user_id)
    return readers


async def test_a_worker_killed_mid_fan_out_delivers_every_message_exactly_once(db, wx, monkeypatch):
    with_document_template(db.settings)
    readers = await granted_readers(None, wx, 7)
    await run_feeds()  # the backfills of the new subscriptions
    document = await publish("2026年秋季学期学位申请", topic="education")
    monkeypatch.setattr(service_fanout, "BATCH", 2)
    real_insert, calls = repository.insert_entries, []

    async def dies_in_the_second_batch(*args, **kwargs):
        added = await real_insert(*args, **kwargs)
        calls.append(added)
        if len(calls) == 2:
            raise asyncio.CancelledError("kill -9")  # mid-transaction: the batch must vanish whole
        return added

    monkeypatch.setattr(repository, "insert_entries", dies_in_the_second_batch)
    handlers = collect_jobs().handlers
    doomed = asyncio.create_task(Dispatcher(handlers, worker_id="doomed").run_once())
    await asyncio.gather(doomed, return_exceptions=True)
    assert doomed.cancelled() or isinstance(doomed.exception(), asyncio.CancelledError)
    assert await Entry.all().count() == 2  # the first batch committed, the second rolled back
    assert await OutboxMessage.filter(topic="push").count() == 2
    progress = await FanOut.get()
    assert (progress.cursor, progress.done) == (sorted(readers)[1], False)
    monkeypatch.setattr(repository, "insert_entries", real_insert)
    fan_out_only = {"gazette.published": handlers["gazette.published"]}
    assert await Dispatcher(fan_out_only, worker_id="early").run_once() == 0  # the event is still leased
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    await run_all()  # the heir resumes at the cursor and the messages go out
    assert await feed_users(document) == set(readers)
    assert sorted(m["touser"] for m in wx.sent) == sorted(f"o-reader-{n}" for n in range(7))
    assert await PushLog.filter(outcome="sent").count() == 7
    assert (await FanOut.get()).done


async def test_withdrawn_items_leave_feeds_and_unsent_messages_are_cancelled(db, wx):
    with_document_template(db.settings)
    readers = await granted_readers(None, wx, 2)
    keep = await publish("推进家庭医生签约服务", topic="education")
    gone = await publish("关于调整学位申请时间的通知", topic="education")
    await run_feeds()
    assert await feed_users(gone) == set(readers)
    await service_editing.withdraw_document(gone, reason="时间另行通知")
    await run_feeds()
    page = await service_feed.feed(readers[0], cursor=None, limit=10)
    assert [i["ref_id"] for i in page["items"]] == [keep]
    assert await service_feed.unread_count(readers[0]) == {"unread": 1}
    cancelled = await OutboxMessage.filter(topic="push", status="cancelled").values_list("payload", flat=True)
    assert sorted(p["user_id"] for p in cancelled) == sorted(readers)
    await run_all()
    assert [m["data"]["thing1"]["value"] for m in wx.sent] == ["推进家庭医生签约服务"] * 2


async def test_a_document_published_again_returns_to_feeds_without_a_second_message(db, wx):
    with_document_template(db.settings)
    readers = await granted_readers(None, wx, 1)
    doc = await publish("关于开展老旧小区改造意见征集的通知", topic="education")
    await run_feeds()
    await run_all()
    await service_editing.withdraw_document(doc, reason="内容有误")
    await run_feeds()
    assert await feed_users(doc) == set()
    await service_editing.publish_document(doc)
    await run_feeds()
    await run_all()
    assert await feed_users(doc) == set(readers)
    assert len(wx.sent) == 1  # messaged at the first publication only


async def test_a_new_subscription_shows_recent_items_without_messages(db, wx):
    with_document_template(db.settings)
    recent = await publish("2026年义务教育招生工作", topic="education")
    await run_feeds()
    clock.advance(timedelta(days=91))
    newer = await publish("课后服务管理办法", topic="education")
    other = await publish("流感疫苗接种", topic="health_sports")
    await run_feeds()
    reader = (await granted_readers(None, wx, 1))[0]
    await run_all()
    page = await service_feed.feed(reader, cursor=None, limit=10)
    assert [i["ref_id"] for i in page["items"]] == [newer]  # the 91-day-old one is out of the window
    assert recent != newer and other != newer
    assert wx.sent == [] and await Entry.filter(pending_digest__isnull=False).count() == 0


async def test_unsubscribing_takes_away_what_only_that_subscription_brought(db, wx):
    reader = await resident(wx, "o-unsub")
    education = await subscribe(reader, topics=["education"])
    await subscribe(reader, agencies=["lhwjj"])
    school = await publish("课后服务管理办法", topic="education", agency="lhjyj")
    clinic = await publish("家庭医生签约服务", topic="education", agency="lhwjj")
    await run_feeds()
    from bulletin.feeds.service_subscriptions import Owner, delete_subscription

    await delete_subscription(education["id"], Owner(user_id=reader))
    page = await service_feed.feed(reader, cursor=None, limit=10)
    assert [i["ref_id"] for i in page["items"]] == [clinic]
    assert school != clinic


async def test_nightly_cleanup_forgets_old_words_and_links_of_lists_nobody_follows(db, wx):
    from bulletin.feeds.jobs import cleanup
    from bulletin.feeds.tables import FeedItem, ItemList

    reader = await resident(wx, "o-cleanup")
    kept = await subscribe(reader, topics=["education"])
    dropped = await subscribe(reader, agencies=["lhjyj"])
    old = await publish("课后服务管理办法", topic="education", agency="lhjyj")
    await run_feeds()
    from bulletin.feeds.service_subscriptions import Owner, delete_subscription

    await delete_subscription(dropped["id"], Owner(user_id=reader))
    clock.advance(timedelta(days=91))
    fresh = await publish("学位申请", topic="education", agency="lhjyj")
    await run_feeds()
    assert await cleanup() == {"words_dropped": 1, "links_dropped": 1}
    words = dict(await FeedItem.all().values_list("ref_id", "words"))
    assert words[old] is None and "学位" in words[fresh]
    assert await ItemList.all().count() == 2  # the followed list keeps both items, the other only the fresh one
    page = await service_feed.feed(reader, cursor=None, limit=10)
    assert [i["ref_id"] for i in page["items"]] == [fresh, old] and kept["id"]


async def test_a_corrected_document_reaches_the_places_it_now_concerns_and_messages_nobody_twice(db, wx):
    # An editor tagged a road notice with the wrong street, then corrects it (and its title).
    with_document_template(db.settings)
    wrong, right = await resident(wx, "o-wrong-street"), await resident(wx, "o-right-street")
    for user, street in ((wrong, "440303003"), (right, "440303008")):
        await notify.record_grants(user, {DOC_TEMPLATE: "accept"})
        await subscribe(user, divisions=[street])
    doc = await publish("关于道路施工的通告", divisions=["440303003"])
    await run_feeds()
    await run_all()
    assert await feed_users(doc) == {wrong}
    await service_editing.update_document(doc, {"title": "关于翠竹路道路施工的通告", "divisions": ["440303008"]})
    await run_feeds()
    await run_all()
    assert await feed_users(doc) == {wrong, right}  # who had it keeps it
    titles = {entry["title"] for user in (wrong, right)
              for entry in (await service_feed.feed(user, cursor=None, limit=10))["items"]}
    assert titles == {"关于翠竹路道路施工的通告"}
    assert [m["touser"] for m in wx.sent] == ["o-wrong-street", "o-right-street"]
    # A correction that brings nobody new changes titles only: no fan-out, no message.
    await service_editing.update_document(doc, {"title": "关于翠竹路道路施工的通告（更正）"})
    await run_feeds()
    await run_all()
    assert len(wx.sent) == 2 and await feed_users(doc) == {wrong, right}
