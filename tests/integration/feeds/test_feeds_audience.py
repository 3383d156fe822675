"""The editor's confirmation before publishing: the audience counted is the audience the fan-out reaches."""

from __future__ import annotations

from bulletin import service_editing
from bulletin.feeds import service_fanout
from server import accounts
from tests.integration.feeds.feeds_support import feed_users, run_feeds, subscribe


async def person(name: str) -> int:
    return int((await accounts.login_dev(name, None))["user"]["id"])


async def test_the_audience_before_publishing_is_who_the_fan_out_reaches(db):
    draft = await service_editing.create_document(
        {"title": "关于做好养老服务补贴申领的通知", "agency": "lhjyj", "doc_type": "notice", "kind": "document",
         "body": "长者可申领养老服务补贴。", "body_format": "markdown", "validity": "valid", "topic": "education",
         "divisions": ["440303003"]}, editor_id=None)
    now, later, never = await person("now"), await person("later"), await person("never")
    await subscribe(now, "immediate", keywords=["养老"])
    await subscribe(now, "weekly", topics=["education"])  # the same account, counted once, at its most urgent
    await subscribe(later, "daily", divisions=["440303"])
    await subscribe(never, "immediate", topics=["health_sports"])
    assert await service_fanout.audience("document", draft["id"]) == {"accounts": 2, "immediate": 1}
    await service_editing.publish_document(draft["id"])
    await run_feeds()
    assert await feed_users(draft["id"]) == {now, later}


async def test_nobody_subscribed_is_an_audience_of_none(db):
    draft = await service_editing.create_document(
        {"title": "无人订阅的通知", "agency": "lhjyj", "doc_type": "notice", "kind": "document", "body": "",
         "body_format": "markdown", "validity": "valid"}, editor_id=None)
    assert await service_fanout.audience("document", draft["id"]) == {"accounts": 0, "immediate": 0}
