"""The personal feed through HTTP on both backends: pages, read marks, booking events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from server import clock
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
)
from tests.integration.feeds.feeds_support import publish, run_feeds


async def me_id(client, headers) -> int:
    return (await client.get("/api/v1/me", headers=headers)).json()["id"]


async def test_feed_pages_newest_first_with_read_marks(client):
    me = await client.login_dev()
    await client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"topics": ["education"]}})
    documents = [await publish(f"教育通知第{n}号", topic="education") for n in range(12)]
    await publish("卫生通知", topic="health_sports")
    await run_feeds()
    seen, cursor = [], None
    for _ in range(5):
        response = await client.get("/api/v1/feed", headers=me, params={"limit": 5, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        page = response.json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [i["ref_id"] for i in seen] == list(reversed(documents))  # newest first, each once
    assert all(i["kind"] == "document" and not i["read"] and i["matched_by"] for i in seen)
    assert (await client.get("/api/v1/feed/unread-count", headers=me)).json() == {"unread": 12}
    marked = await client.post("/api/v1/feed/read", headers=me, json={"ids": [seen[0]["id"], seen[1]["id"], 999999]})
    assert marked.json() == {"marked": 2, "unread": 10}
    first = (await client.get("/api/v1/feed", headers=me, params={"limit": 3})).json()["items"]
    assert [i["read"] for i in first] == [True, True, False]
    assert (await client.post("/api/v1/feed/read-all", headers=me)).json() == {"marked": 10, "unread": 0}
    other = await client.login_dev()
    assert (await client.get("/api/v1/feed", headers=other)).json() == {"items": [], "next_cursor": None}


async def test_an_archive_published_today_keeps_its_own_dates_in_my_feed(client):
    """The feed, like the Atom feed, dates a document by its 发布日期: an archive imported today is not news."""
    clock.freeze(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    me = await client.login_dev()
    await client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"topics": ["education"]}})
    fresh = await publish("今天的教育通知", topic="education")
    clock.freeze(datetime(2026, 12, 7, 3, 0, tzinfo=UTC))
    archived = await publish("往年的教育通知", topic="education", published_on=date(2024, 3, 1), notify=False)
    await run_feeds()
    items = (await client.get("/api/v1/feed", headers=me)).json()["items"]
    shenzhen = timezone(timedelta(hours=8))
    assert [(i["ref_id"], datetime.fromisoformat(i["published_at"])) for i in items] == [
        (fresh, datetime(2026, 12, 7, 2, 0, tzinfo=UTC)), (archived, datetime(2024, 3, 1, tzinfo=shenzhen))]
    later = await client.login_dev()  # a new subscription brings recent documents, not the archive
    await client.post("/api/v1/subscriptions", headers=later, json={"criteria": {"topics": ["education"]}})
    await run_feeds()
    assert [i["ref_id"] for i in (await client.get("/api/v1/feed", headers=later)).json()["items"]] == [fresh]


async def test_bad_cursor_and_limits_are_422(client):
    me = await client.login_dev()
    bad = await client.get("/api/v1/feed", headers=me, params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_cursor"
    assert (await client.get("/api/v1/feed", headers=me, params={"limit": 0})).status_code == 422
    assert (await client.post("/api/v1/feed/read", headers=me, json={"ids": []})).status_code == 422
    assert (await client.get("/api/v1/feed")).status_code == 401


async def test_my_bookings_appear_in_my_feed_and_move_up_when_they_change(client, db):
    freeze(MONDAY_10)
    me = await client.login_dev()
    user_id = await me_id(client, me)
    world = await make_hall("东门街道便民服务中心", service="居住证办理")
    booking = await book(world, local(3, 10, 9), person(), account=user_id)
    await client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"topics": ["education"]}})
    freeze(local(3, 9, 11))
    document = await publish("学位申请", topic="education")
    await run_feeds()
    items = (await client.get("/api/v1/feed", headers=me)).json()["items"]
    assert [(i["kind"], i["ref_id"]) for i in items] == [("document", document), ("booking", booking["id"])]
    assert items[1]["title"] == "预约成功：居住证办理" and items[1]["matched_by"] == []
    assert items[1]["summary"] == "03月10日 09:00 · 东门街道便民服务中心"
    assert items[1]["page"] == f"pages/booking/detail?id={booking['id']}"
    await client.post("/api/v1/feed/read-all", headers=me)
    freeze(local(3, 9, 12))
    cancelled = await client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=me, json={"reason": "有事"})
    assert cancelled.status_code == 200, cancelled.text
    assert (await client.get("/api/v1/feed/unread-count", headers=me)).json() == {"unread": 1}
    items = (await client.get("/api/v1/feed", headers=me)).json()["items"]
    assert [(i["kind"], i["title"], i["read"]) for i in items] == [
        ("booking", "预约已取消：居住证办理", False), ("document", "学位申请", True)]
