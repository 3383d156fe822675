"""A resident's favourites, reading history and position, and their erasure with the account (PIPL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bulletin import service_editing
from bulletin.tables import Favorite, Reading
from server import clock
from tests.integration.bulletin.gazette_support import draft, published

T0 = datetime(2024, 10, 8, 2, 0, tzinfo=UTC)


async def test_favourites_are_idempotent_listed_newest_first_and_need_login(client):
    clock.freeze(T0)
    first = await published("关于养老服务的通知")
    second = await published("关于医保缴费的通知")
    hidden = await draft("草稿")
    me = await client.login_dev()
    assert (await client.post(f"/api/v1/gazette/documents/{first}/favorite")).status_code == 401
    for document in (first, first, second):
        added = await client.post(f"/api/v1/gazette/documents/{document}/favorite", headers=me)
        assert added.json() == {"document_id": document, "favorited": True}
        clock.advance(timedelta(minutes=1))
    assert (await client.post(f"/api/v1/gazette/documents/{hidden}/favorite", headers=me)).status_code == 404
    listed = (await client.get("/api/v1/me/favorites", headers=me)).json()
    assert [i["document"]["id"] for i in listed["items"]] == [second, first]
    assert (await client.get(f"/api/v1/gazette/documents/{first}", headers=me)).json()["favorited"] is True
    assert (await client.delete(f"/api/v1/gazette/documents/{first}/favorite", headers=me)).status_code == 204
    assert (await client.delete(f"/api/v1/gazette/documents/{first}/favorite", headers=me)).status_code == 204
    assert [i["document"]["id"] for i in (await client.get("/api/v1/me/favorites", headers=me)).json()["items"]] == [
        second]


async def test_favourite_listing_pages_and_shows_withdrawn_documents_as_withdrawn(client):
    clock.freeze(T0)
    me = await client.login_dev()
    documents = [await published(f"第{n}号通知") for n in range(5)]
    for document in documents:
        await client.post(f"/api/v1/gazette/documents/{document}/favorite", headers=me)
        clock.advance(timedelta(seconds=1))
    await service_editing.withdraw_document(documents[4], reason="已废止")
    page = (await client.get("/api/v1/me/favorites", params={"limit": 3}, headers=me)).json()
    rest = (await client.get("/api/v1/me/favorites", params={"limit": 3, "cursor": page["next_cursor"]},
                             headers=me)).json()
    assert [i["document"]["id"] for i in page["items"] + rest["items"]] == documents[::-1]
    assert page["items"][0]["document"]["status"] == "withdrawn" and rest["next_cursor"] is None
    bad = await client.get("/api/v1/me/favorites", params={"cursor": "xyz"}, headers=me)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_cursor"


async def test_reading_history_keeps_the_last_reading_position(client):
    clock.freeze(T0)
    me = await client.login_dev()
    older = await published("关于垃圾分类的通知")
    newer = await published("关于城市更新的通知")
    await client.get(f"/api/v1/gazette/documents/{older}", headers=me)
    clock.advance(timedelta(minutes=5))
    await client.get(f"/api/v1/gazette/documents/{newer}", headers=me)
    clock.advance(timedelta(minutes=5))
    moved = await client.put(f"/api/v1/gazette/documents/{older}/position", json={"position": 0.6}, headers=me)
    assert moved.status_code == 200 and moved.json()["position"] == 0.6
    history = (await client.get("/api/v1/me/history", headers=me)).json()["items"]
    assert [(i["document"]["id"], i["position"]) for i in history] == [(older, 0.6), (newer, 0.0)]
    assert datetime.fromisoformat(history[0]["last_read_at"]) == T0 + timedelta(minutes=10)
    again = (await client.get(f"/api/v1/gazette/documents/{older}", headers=me)).json()
    assert again["reading_position"] == 0.6
    out_of_range = await client.put(f"/api/v1/gazette/documents/{older}/position", json={"position": 1.5}, headers=me)
    assert out_of_range.status_code == 422
    anonymous = await client.get(f"/api/v1/gazette/documents/{older}")
    assert anonymous.json()["reading_position"] is None and anonymous.json()["favorited"] is False


async def test_deleting_the_account_erases_favourites_and_history(client):
    me = await client.login_dev()
    other = await client.login_dev()
    document = await published("关于个人信息保护的通知")
    for headers in (me, other):
        await client.post(f"/api/v1/gazette/documents/{document}/favorite", headers=headers)
        await client.put(f"/api/v1/gazette/documents/{document}/position", json={"position": 0.3}, headers=headers)
    my_id = (await client.get("/api/v1/me", headers=me)).json()["id"]
    assert (await client.delete("/api/v1/me", headers=me)).status_code == 200
    assert await Favorite.filter(user_id=my_id).count() == 0
    assert await Reading.filter(user_id=my_id).count() == 0
    assert await Favorite.all().count() == 1 and await Reading.all().count() == 1
