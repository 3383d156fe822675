"""The feeds demo: residents following what the brief describes, a verified enterprise, feed items; idempotent."""

from __future__ import annotations

from bulletin import demo as gazette_demo
from bulletin import related
from bulletin.feeds import demo, service_feed
from bulletin.feeds.tables import Enterprise, Entry, Notice, Subscription
from server import demo as accounts_demo
from server.tables import OutboxMessage, User


async def state() -> tuple[int, int, int, int]:
    return (await Subscription.all().count(), await Enterprise.all().count(), await Notice.all().count(),
            await Entry.all().count())


async def test_demo_fills_feeds_and_is_idempotent(db, capsys):
    related.forget_cache()  # service items cached by an earlier test's database would not exist here
    await accounts_demo.seed()
    try:
        await gazette_demo.seed()
    finally:
        related.forget_cache()  # nor should this test's (empty) list of service items outlive it
    await demo.seed()
    first = await state()
    await demo.seed()
    assert await state() == first
    parent = await User.get(openid="dev-demo-parent")
    retiree = await User.get(openid="dev-demo-retiree")
    parent_items = (await service_feed.feed(parent.id, cursor=None, limit=50))["items"]
    retiree_items = (await service_feed.feed(retiree.id, cursor=None, limit=50))["items"]
    assert any("招生" in i["title"] for i in parent_items)
    assert any(i["kind"] == "notice" for i in parent_items)  # the 东门街道 notice concerns their community
    assert all({m["criteria"]["keywords"][0] for m in i["matched_by"]} <= {"养老", "医保"} for i in retiree_items)
    assert any("养老" in i["title"] for i in retiree_items) and any("医保" in i["title"] for i in retiree_items)
    enterprise = await Enterprise.get()
    assert (enterprise.industry, enterprise.status) == ("F", "verified")
    assert await Subscription.filter(enterprise_id=enterprise.id).count() == 1
    assert await OutboxMessage.filter(topic="push").count() == 0  # the demo messages nobody
    assert "[demo data]" in capsys.readouterr().out
