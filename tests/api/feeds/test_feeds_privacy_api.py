"""PIPL account deletion on both backends: no feeds row refers to the person afterwards."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.fields.relational import ForeignKeyFieldInstance

from bulletin.feeds.service_digest import send_digests
from bulletin.feeds.tables import Enterprise, Subscription
from server.tables import User
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
)
from tests.integration.feeds.feeds_support import publish, run_all
from tests.support.ids import make_credit_code

# Plain integer columns that hold a person's account id (foreign keys to users are found by type).
PERSON_COLUMNS = {"user_id", "owner_id", "author_id", "created_by", "used_by", "reviewed_by"}


async def rows_referring_to(user_id: int) -> dict[str, int]:
    found = {}
    for model in Tortoise.apps["feeds"].values():
        columns = {f.source_field for f in model._meta.fields_map.values()
                   if isinstance(f, ForeignKeyFieldInstance) and f.related_model is User}
        columns |= PERSON_COLUMNS & set(model._meta.fields_db_projection.values())
        for column in columns:
            count = await model.filter(**{column: user_id}).count()
            if count:
                found[f"{model._meta.db_table}.{column}"] = count
    return found


async def test_deleting_an_account_leaves_no_personal_data_in_feeds(client, db):
    freeze(MONDAY_10)
    me = await client.login_dev()
    my_id = (await client.get("/api/v1/me", headers=me)).json()["id"]
    colleague = await client.login_dev()
    admin = await client.login_staff(role="admin")
    admin_id = (await client.get("/api/v1/me", headers=admin)).json()["id"]
    for criteria in ({"topics": ["education"]}, {"keywords": ["营商环境"]}):
        await client.post("/api/v1/subscriptions", headers=me, json={"criteria": criteria, "frequency": "daily"})
    mine = (await client.post("/api/v1/enterprises", headers=me, json={
        "name": "示例商贸有限公司", "credit_code": make_credit_code(), "industry": "F", "size": "micro",
        "district": "440303", "contact": {"name": "李四", "phone": "13912345678"}})).json()
    theirs = (await client.post("/api/v1/enterprises", headers=colleague, json={
        "name": "示例科技有限公司", "credit_code": make_credit_code(), "industry": "I", "size": "small",
        "district": "440303", "contact": {"name": "赵六", "phone": "13712345678"}})).json()
    for enterprise in (mine, theirs):
        await client.post(f"/api/v1/admin/enterprises/{enterprise['id']}/verify", headers=admin)
    await client.post(f"/api/v1/enterprises/{mine['id']}/invitations", headers=me)
    code = (await client.post(f"/api/v1/enterprises/{theirs['id']}/invitations", headers=colleague)).json()["code"]
    await client.post("/api/v1/enterprises/join", headers=me, json={"code": code, "notify": True})
    await client.post("/api/v1/notices", headers=admin, json={"title": "停电通知", "body": "周六停电。"})
    world = await make_hall()
    await book(world, local(3, 10, 9), person(), account=my_id)
    await publish("义务教育招生工作", topic="education")
    await run_all()
    await send_digests(local(3, 10).date())  # Tuesday's digest (the clock stays, so sessions stay valid)
    assert (await client.get("/api/v1/feed", headers=me)).json()["items"]  # there was a feed to delete
    before = await rows_referring_to(my_id)
    assert {"feed_subscriptions.user_id", "feed_entries.user_id", "feed_memberships.user_id",
            "feed_enterprises.owner_id", "feed_digests.user_id", "feed_accounts.user_id",
            "feed_items.owner_id", "feed_invitations.created_by", "feed_invitations.used_by"} <= set(before)
    assert {"feed_notices.author_id", "feed_enterprises.reviewed_by"} <= set(await rows_referring_to(admin_id))

    for headers in (me, admin):
        assert (await client.delete("/api/v1/me", headers=headers)).status_code == 200
    assert await rows_referring_to(my_id) == {}
    assert await rows_referring_to(admin_id) == {}
    kept = await Enterprise.get(id=mine["id"])  # the enterprise stays, without the person
    assert (kept.status, kept.owner_id, kept.contact_name_enc, kept.contact_phone_enc) == ("verified", None, None, None)
    assert await Subscription.filter(enterprise_id=mine["id"]).count() == 1
    other = await Enterprise.get(id=theirs["id"])
    assert other.contact_name_enc is not None  # the colleague's enterprise keeps its own contact
