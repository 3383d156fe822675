"""Enterprises through HTTP on both backends: registration, verification, members and their messages, homepage."""

from __future__ import annotations

from bulletin.feeds.tables import Enterprise
from geo.service_divisions import import_divisions
from server import notify
from tests.integration.feeds.feeds_support import (
    DOC_TEMPLATE,
    publish,
    run_all,
    with_document_template,
)
from tests.integration.geo.geo_support import ORIGIN, division, square
from tests.support.ids import CREDIT_ALPHABET, make_credit_code

CONTACT = {"name": "王小明", "phone": "138 0013 8000"}


def registration(code: str, **changes) -> dict:
    return {"name": "深圳市罗湖区示例商贸有限公司", "credit_code": code, "industry": "F", "size": "small",
            "district": "440303", "contact": CONTACT, **changes}


async def wechat_login(client, wx, openid: str) -> tuple[dict[str, str], int]:
    login = (await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid=openid)})).json()
    return {"Authorization": f"Bearer {login['token']}"}, login["user"]["id"]


async def verified_enterprise(client, owner: dict[str, str]) -> dict:
    created = (await client.post("/api/v1/enterprises", headers=owner, json=registration(make_credit_code()))).json()
    admin = await client.login_staff(role="admin")
    verified = await client.post(f"/api/v1/admin/enterprises/{created['id']}/verify", headers=admin)
    assert verified.status_code == 200, verified.text
    return created


async def test_registration_validates_the_credit_code_and_masks_the_contact(client):
    owner = await client.login_dev()
    code = make_credit_code()
    created = await client.post("/api/v1/enterprises", headers=owner, json=registration(code.lower()))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["status"], body["credit_code"], body["membership"]) == ("pending", code, {"role": "owner", "notify": True})
    assert body["contact"] == {"name": "王**", "phone": "138****8000"}
    assert body["industry"] == {"value": "F", "label": "批发和零售业"}
    row = await Enterprise.get(id=body["id"])
    assert "王小明" not in row.contact_name_enc and "13800138000" not in row.contact_phone_enc
    again = await client.post("/api/v1/enterprises", headers=owner, json=registration(code))
    assert again.status_code == 409 and again.json()["error"]["code"] == "credit_code_registered"
    wrong_check = code[:17] + CREDIT_ALPHABET[(CREDIT_ALPHABET.index(code[17]) + 1) % 31]
    for bad in (wrong_check, code[:16], code[:17] + "I"):
        refused = await client.post("/api/v1/enterprises", headers=owner, json=registration(bad))
        assert refused.status_code == 422, bad
        error = refused.json()["error"]
        assert error["code"] == "invalid_credit_code" and error["details"]["fields"][0]["field"] == "credit_code"
    bad_phone = await client.post("/api/v1/enterprises", headers=owner,
                                  json=registration(make_credit_code(), contact={"name": "王小明", "phone": "12345"}))
    assert bad_phone.status_code == 422 and bad_phone.json()["error"]["code"] == "invalid_phone"
    assert bad_phone.json()["error"]["details"]["fields"][0]["field"] == "contact.phone"
    stranger = await client.login_dev()
    assert (await client.get(f"/api/v1/enterprises/{body['id']}", headers=stranger)).status_code == 404


async def test_admins_verify_or_reject_with_a_reason(client):
    owner = await client.login_dev()
    first = (await client.post("/api/v1/enterprises", headers=owner, json=registration(make_credit_code()))).json()
    code = make_credit_code()
    second = (await client.post("/api/v1/enterprises", headers=owner, json=registration(code))).json()
    assert (await client.post(f"/api/v1/admin/enterprises/{first['id']}/verify", headers=owner)).status_code == 403
    admin = await client.login_staff(role="admin")
    pending = (await client.get("/api/v1/admin/enterprises", headers=admin, params={"status": "pending"})).json()
    assert [e["id"] for e in pending] == [first["id"], second["id"]]
    verified = await client.post(f"/api/v1/admin/enterprises/{first['id']}/verify", headers=admin)
    assert verified.json()["status"] == "verified"
    twice = await client.post(f"/api/v1/admin/enterprises/{first['id']}/verify", headers=admin)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "enterprise_status_conflict"
    subscriptions = (await client.get(f"/api/v1/enterprises/{first['id']}/subscriptions", headers=owner)).json()
    assert [(s["criteria"]["industries"], s["criteria"]["sizes"], s["criteria"]["divisions"], s["frequency"])
            for s in subscriptions] == [(["F"], ["small"], ["440303"], "immediate")]
    rejected = await client.post(f"/api/v1/admin/enterprises/{second['id']}/reject", headers=admin,
                                 json={"reason": "营业执照与申请信息不符"})
    assert (rejected.json()["status"], rejected.json()["reject_reason"]) == ("rejected", "营业执照与申请信息不符")
    assert (await client.post(f"/api/v1/admin/enterprises/{second['id']}/reject", headers=admin,
                              json={})).status_code == 422
    fixed = await client.patch(f"/api/v1/enterprises/{second['id']}", headers=owner, json={"size": "micro"})
    assert (fixed.json()["status"], fixed.json()["size"]["value"]) == ("pending", "micro")  # back to review
    await client.post(f"/api/v1/admin/enterprises/{second['id']}/reject", headers=admin, json={"reason": "材料不全"})
    retaken = await client.post("/api/v1/enterprises", headers=await client.login_dev(), json=registration(code))
    assert retaken.status_code == 201  # a rejected registration does not hold the code
    late = await client.patch(f"/api/v1/enterprises/{second['id']}", headers=owner, json={"name": "改名后的公司"})
    assert late.status_code == 200 and late.json()["status"] == "pending"  # back to review, a competing claim


async def test_members_who_opted_in_get_the_enterprise_messages(client, wx, db):
    with_document_template(db.settings)
    owner, owner_id = await wechat_login(client, wx, "o-owner")
    keen, keen_id = await wechat_login(client, wx, "o-keen")
    quiet, quiet_id = await wechat_login(client, wx, "o-quiet")
    for user_id in (owner_id, keen_id, quiet_id):
        await notify.record_grants(user_id, {DOC_TEMPLATE: "accept"})
    enterprise = await verified_enterprise(client, owner)
    base = f"/api/v1/enterprises/{enterprise['id']}"
    assert (await client.post(f"{base}/invitations", headers=keen)).status_code == 404  # not a member yet
    codes = [(await client.post(f"{base}/invitations", headers=owner)).json()["code"] for _ in range(3)]
    joined = await client.post("/api/v1/enterprises/join", headers=keen, json={"code": codes[0], "notify": True})
    assert joined.status_code == 200 and joined.json()["membership"] == {"role": "member", "notify": True}
    assert joined.json()["credit_code"] != enterprise["credit_code"]  # members see it masked
    reused = await client.post("/api/v1/enterprises/join", headers=quiet, json={"code": codes[0]})
    assert reused.status_code == 404 and reused.json()["error"]["code"] == "invitation_invalid"
    assert (await client.post("/api/v1/enterprises/join", headers=quiet, json={"code": codes[1]})).status_code == 200
    twice = await client.post("/api/v1/enterprises/join", headers=keen, json={"code": codes[2]})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_member"
    assert (await client.post(f"{base}/invitations", headers=keen)).json()["error"]["code"] == "not_enterprise_owner"
    await run_all()
    policy = await publish("罗湖区促进消费和商贸流通若干措施", topic="commerce_customs_tourism",
                           industries=["F", "H"], sizes=["small", "micro"], divisions=["440303"])
    await publish("制造业技术改造扶持计划", topic="industry_transport", industries=["C"], divisions=["440303"])
    await run_all()
    assert sorted(m["touser"] for m in wx.sent) == ["o-keen", "o-owner"]
    assert (await client.get("/api/v1/feed", headers=quiet)).json()["items"] == []
    opted = await client.patch(f"{base}/membership", headers=quiet, json={"notify": True})
    assert opted.json()["membership"]["notify"] is True
    await run_all()
    items = (await client.get("/api/v1/feed", headers=quiet)).json()["items"]
    assert [i["ref_id"] for i in items] == [policy] and items[0]["matched_by"][0]["enterprise_id"] == enterprise["id"]
    assert len(wx.sent) == 2  # joining late shows the policy, it does not message about it
    members = (await client.get(f"{base}/members", headers=owner)).json()
    assert [(m["user_id"], m["role"], m["notify"]) for m in members] == [
        (owner_id, "owner", True), (keen_id, "member", True), (quiet_id, "member", True)]
    assert (await client.delete(f"{base}/membership", headers=owner)).status_code == 409
    assert (await client.delete(f"{base}/members/{quiet_id}", headers=owner)).status_code == 204
    assert (await client.get("/api/v1/feed", headers=quiet)).json()["items"] == []


async def test_enterprise_homepage_puts_policies_for_enterprises_first(client):
    owner = await client.login_dev()
    enterprise = await verified_enterprise(client, owner)
    targeted = await publish("小微企业稳岗补贴申领", topic="labour_personnel", industries=["F"], sizes=["small"],
                             divisions=["440303"])
    general = await publish("2026年区级重大项目计划", topic="economic_management", divisions=["440303"])
    await publish("家庭医生签约服务", topic="health_sports", divisions=["440303"])
    await publish("工业企业技术改造扶持", topic="industry_transport", industries=["C"])
    await publish("福田区商贸扶持措施", topic="economic_management", industries=["F"], divisions=["440304"])
    editor = await client.login_staff(role="editor")
    notice = (await client.post("/api/v1/notices", headers=editor, json={
        "title": "企业服务日", "body": "区政务服务中心设企业服务专窗。", "divisions": ["440303"]})).json()
    await run_all()
    home = await client.get(f"/api/v1/enterprises/{enterprise['id']}/home", headers=owner)
    assert home.status_code == 200, home.text
    body = home.json()
    assert [(p["ref_id"], p["targeted"]) for p in body["policies"]] == [(targeted, True), (general, False)]
    assert [n["ref_id"] for n in body["notices"]] == [notice["id"]]
    assert body["enterprise"]["status"] == "verified" and len(body["subscriptions"]) == 1
    assert body["district_name"] is None  # the map has no divisions yet: the page shows the code
    await import_divisions([division("440303", "罗湖区", "district", square(ORIGIN, 3000))])
    named = (await client.get(f"/api/v1/enterprises/{enterprise['id']}/home", headers=owner)).json()
    assert named["district_name"] == "罗湖区"
    assert "罗湖区" in named["subscriptions"][0]["description"]
    stranger = await client.login_dev()
    assert (await client.get(f"/api/v1/enterprises/{enterprise['id']}/home", headers=stranger)).status_code == 404
