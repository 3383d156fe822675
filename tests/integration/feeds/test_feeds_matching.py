"""Publish-time matching on both backends: each kind of criterion, combinations, one delivery per account."""

from __future__ import annotations

from bulletin.feeds import service_feed
from bulletin.feeds.tables import Entry, ItemList, SubscriberList
from server import accounts
from server.tables import OutboxMessage
from tests.integration.feeds.feeds_support import feed_users, publish, run_feeds, subscribe

BODY = "为做好辖区长者养老服务和营商环境优化工作，现通知如下。"


async def person(name: str) -> int:
    return int((await accounts.login_dev(name, None))["user"]["id"])


async def published_policy(**changes) -> int:
    fields = {"title": "关于优化营商环境的通知", "body": BODY, "agency": "lhjyj", "topic": "education",
              "doc_type": "notice", "disclosure": "execution", "divisions": ["440303003"], "industries": ["F"]}
    fields.update(changes)
    return await publish(fields.pop("title"), body=fields.pop("body"), **fields)


async def test_each_kind_of_criterion_and_their_combinations(db):
    cases = {
        "topic_yes": ({"topics": ["education"]}, True), "topic_no": ({"topics": ["health_sports"]}, False),
        "agency_yes": ({"agencies": ["lhjyj"]}, True), "agency_no": ({"agencies": ["lhwjj"]}, False),
        "type_yes": ({"doc_types": ["通知"]}, True), "type_no": ({"doc_types": ["opinion"]}, False),
        "disclosure_yes": ({"disclosures": ["execution"]}, True), "disclosure_no": ({"disclosures": ["result"]}, False),
        "keyword_yes": ({"keywords": ["营商环境"]}, True), "keyword_body": ({"keywords": ["养老"]}, True),
        "keyword_no": ({"keywords": ["公租房"]}, False),
        "community_in_street": ({"divisions": ["440303003001"]}, True),
        "district_of_street": ({"divisions": ["440303"]}, True),
        "sibling_street": ({"divisions": ["440303002"]}, False),
        "industry_yes": ({"industries": ["F"]}, True), "industry_no": ({"industries": ["C"]}, False),
        "any_size": ({"sizes": ["micro"]}, True),
        "or_within": ({"topics": ["health_sports", "education"]}, True),
        "and_across": ({"topics": ["education"], "agencies": ["lhjyj"], "keywords": ["养老"]}, True),
        "and_fails": ({"topics": ["education"], "agencies": ["lhwjj"]}, False),
        "everything": ({}, True),
    }
    users = {}
    for name, (criteria, _) in cases.items():
        users[name] = await person(name)
        await subscribe(users[name], **criteria)
    document = await published_policy()
    await run_feeds()
    assert await feed_users(document) == {users[n] for n, (_, hit) in cases.items() if hit}


async def test_one_delivery_per_account_however_many_subscriptions_match(db):
    keen = await person("keen")
    first = await subscribe(keen, "daily", keywords=["营商环境"])
    second = await subscribe(keen, "immediate", topics=["education"])
    third = await subscribe(keen, "feed", agencies=["lhjyj"])
    await subscribe(keen, "immediate", topics=["health_sports"])  # does not match
    relaxed = await person("relaxed")
    await subscribe(relaxed, "weekly", topics=["education"])
    await subscribe(relaxed, "daily", agencies=["lhjyj"])
    document = await published_policy()
    await run_feeds()
    entries = {e.user_id: e for e in await Entry.all()}
    assert len(entries) == 2
    assert (entries[keen].channel, entries[keen].pending_digest) == (0, None)  # the most urgent wins
    assert (entries[relaxed].channel, entries[relaxed].pending_digest) == (1, 1)
    pushes = await OutboxMessage.filter(topic="push")
    assert [(p.payload["user_id"], p.dedup_key) for p in pushes] == [(keen, f"feed:{entries[keen].item_id}:{keen}")]
    page = await service_feed.feed(keen, cursor=None, limit=10)
    assert [item["ref_id"] for item in page["items"]] == [document]
    assert [m["subscription_id"] for m in page["items"][0]["matched_by"]] == [first["id"], second["id"], third["id"]]
    assert page["items"][0]["matched_by"][1]["criteria"]["topics"] == ["education"]


async def test_identical_criteria_share_one_list(db):
    a, b = await person("a"), await person("b")
    await subscribe(a, topics=["教育", "卫生体育"], keywords=["营商环境"])
    await subscribe(b, keywords=[" 营商环境"], topics=["health_sports", "education", "education"])
    assert await SubscriberList.all().count() == 1
    document = await published_policy()
    await run_feeds()
    assert await ItemList.all().count() == 1
    assert await feed_users(document) == {a, b}


async def test_an_import_without_notify_fills_feeds_but_messages_nobody(db):
    urgent, digest = await person("urgent"), await person("digest")
    await subscribe(urgent, "immediate", topics=["education"])
    await subscribe(digest, "daily", topics=["education"])
    document = await published_policy(notify=False)
    await run_feeds()
    assert await feed_users(document) == {urgent, digest}
    assert await OutboxMessage.filter(topic="push").count() == 0
    assert await Entry.filter(pending_digest__isnull=False).count() == 0


async def test_a_document_published_and_withdrawn_before_the_worker_came_reaches_nobody(db):
    from bulletin import service_editing

    reader = await person("reader")
    await subscribe(reader, topics=["education"])
    document = await published_policy()
    await service_editing.withdraw_document(document, reason="内容有误")
    await run_feeds()
    assert await Entry.all().count() == 0
    assert await OutboxMessage.filter(topic="push").count() == 0
