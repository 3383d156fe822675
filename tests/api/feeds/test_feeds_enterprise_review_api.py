"""Enterprise review through HTTP on both backends: profile changes wait for an admin, nobody can squat
a credit code, pending registrations lapse after 14 days and an account has at most 3 at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bulletin.feeds import service_enterprise_review
from bulletin.feeds.tables import Enterprise
from server import clock
from tests.api.feeds.test_feeds_enterprise_api import registration, verified_enterprise
from tests.support.ids import make_credit_code


async def test_a_verified_enterprise_changing_its_profile_goes_back_to_review(client):
    owner = await client.login_dev()
    created = await verified_enterprise(client, owner)
    url = f"/api/v1/enterprises/{created['id']}"
    changed = await client.patch(url, headers=owner, json={"name": "深圳市罗湖区另一家公司", "industry": "K",
                                                           "size": "large", "contact": {"name": "李四", "phone": "13900139000"}})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["status"], body["name"], body["industry"]["value"], body["size"]["value"]) == (
        "verified", created["name"], "F", "small")  # the verified profile stays until an admin approves
    assert body["pending_changes"] == {"name": "深圳市罗湖区另一家公司", "industry": "K", "size": "large",
                                       "district": None}
    assert body["contact"]["name"] == "李*"  # the contact person is not part of the review
    home = (await client.get(f"{url}/home", headers=owner)).json()
    assert home["enterprise"]["name"] == created["name"] and home["enterprise"]["industry"]["value"] == "F"
    admin = await client.login_staff(role="admin")
    waiting = (await client.get("/api/v1/admin/enterprises", headers=admin, params={"awaiting": "true"})).json()
    assert [e["id"] for e in waiting] == [created["id"]]
    refused = await client.post(f"/api/v1/admin/enterprises/{created['id']}/reject", headers=admin,
                                json={"reason": "名称与营业执照不符"})
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["name"], refused.json()["pending_changes"]) == (
        "verified", created["name"], None)
    assert refused.json()["reject_reason"] == "名称与营业执照不符"
    await client.patch(url, headers=owner, json={"size": "medium"})
    approved = await client.post(f"/api/v1/admin/enterprises/{created['id']}/verify", headers=admin)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["size"]["value"], approved.json()["pending_changes"]) == ("medium", None)
    again = await client.post(f"/api/v1/admin/enterprises/{created['id']}/verify", headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "enterprise_status_conflict"
    unchanged = await client.patch(url, headers=owner, json={"size": "medium"})
    assert unchanged.json()["pending_changes"] is None  # asking for what it already is needs no review


async def test_nobody_can_squat_a_credit_code_and_admins_see_competing_claims(client):
    code = make_credit_code()
    squatter, real = await client.login_dev(), await client.login_dev()
    squatted = await client.post("/api/v1/enterprises", headers=squatter, json=registration(code, name="抢注公司"))
    assert squatted.status_code == 201
    claimed = await client.post("/api/v1/enterprises", headers=real, json=registration(code))
    assert claimed.status_code == 201, claimed.text  # a pending claim does not block the real enterprise
    admin = await client.login_staff(role="admin")
    pending = (await client.get("/api/v1/admin/enterprises", headers=admin, params={"status": "pending"})).json()
    claims = {e["id"]: [c["id"] for c in e["competing_claims"]] for e in pending}
    assert claims == {squatted.json()["id"]: [claimed.json()["id"]], claimed.json()["id"]: [squatted.json()["id"]]}
    verified = await client.post(f"/api/v1/admin/enterprises/{claimed.json()['id']}/verify", headers=admin)
    assert verified.status_code == 200 and verified.json()["competing_claims"] == []
    loser = (await client.get(f"/api/v1/enterprises/{squatted.json()['id']}", headers=squatter)).json()
    assert loser["status"] == "rejected" and "已通过核验" in loser["reject_reason"]
    late = await client.post("/api/v1/enterprises", headers=await client.login_dev(), json=registration(code))
    assert late.status_code == 409 and late.json()["error"]["code"] == "credit_code_registered"


async def test_an_account_has_at_most_three_pending_registrations_which_lapse_after_14_days(client):
    owner = await client.login_dev()
    made = [await client.post("/api/v1/enterprises", headers=owner, json=registration(make_credit_code()))
            for _ in range(3)]
    assert [r.status_code for r in made] == [201, 201, 201]
    assert made[0].json()["expires_at"]
    fourth = await client.post("/api/v1/enterprises", headers=owner, json=registration(make_credit_code()))
    assert fourth.status_code == 409 and fourth.json()["error"]["code"] == "too_many_pending_registrations"
    clock.freeze(clock.now() + timedelta(days=14, minutes=1))
    lapsed = (await client.get(f"/api/v1/enterprises/{made[0].json()['id']}", headers=owner)).json()
    assert lapsed["status"] == "expired"  # before the job has run, too
    admin = await client.login_staff(role="admin")
    late = await client.post(f"/api/v1/admin/enterprises/{made[0].json()['id']}/verify", headers=admin)
    assert late.status_code == 409 and late.json()["error"]["code"] == "enterprise_status_conflict"
    assert (await client.get("/api/v1/admin/enterprises", headers=admin, params={"awaiting": "true"})).json() == []
    assert await service_enterprise_review.expire_registrations() == {"expired": 3}
    listed = (await client.get("/api/v1/admin/enterprises", headers=admin, params={"status": "expired"})).json()
    assert len(listed) == 3 and {e["status"] for e in listed} == {"expired"}
    again = await client.post("/api/v1/enterprises", headers=owner, json=registration(made[0].json()["credit_code"]))
    assert again.status_code == 201  # lapsed registrations neither count nor hold their code
    resubmitted = await client.patch(f"/api/v1/enterprises/{made[1].json()['id']}", headers=owner,
                                     json={"name": "重新提交的公司"})
    assert resubmitted.json()["status"] == "pending"


async def test_parallel_registrations_cannot_pass_the_limit_of_three(client, db):
    """Proven on PostgreSQL, where the registrations really run side by side."""
    if not db.is_postgres:
        pytest.skip("SQLite runs one write transaction at a time: concurrency is proven on PostgreSQL")
    owner = await client.login_dev()
    answers = await asyncio.gather(*(client.post("/api/v1/enterprises", headers=owner,
                                                 json=registration(make_credit_code())) for _ in range(8)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 201, 201, 409, 409, 409, 409, 409], [a.text for a in answers]
    assert await Enterprise.filter(status="pending").count() == 3
    same = make_credit_code()
    claimants = [await client.login_dev() for _ in range(2)]
    twice = await asyncio.gather(*(client.post("/api/v1/enterprises", headers=headers, json=registration(same))
                                   for headers in claimants))
    assert sorted(a.status_code for a in twice) == [201, 201]  # two accounts may both claim a code
