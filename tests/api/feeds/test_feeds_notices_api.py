"""Notices through HTTP on both backends: who may post them, feeds and messages, withdrawal."""

from __future__ import annotations

from server import notify
from tests.integration.appointments.booking_support import make_hall
from tests.integration.feeds.feeds_support import (
    DOC_TEMPLATE,
    resident,
    run_all,
    subscribe,
    with_document_template,
)

NOTICE = {"title": "东门街道便民服务中心周六延时服务", "body": "本周六 9:00-17:00 提供社保、医保业务延时服务。",
          "topic": "general_affairs", "divisions": ["440303003"]}


async def test_hall_staff_post_for_their_own_halls_only(client):
    own = await make_hall("东门街道便民服务中心")
    other = await make_hall("黄贝街道便民服务中心")
    staff = await client.login_staff(role="staff", halls=[own.hall_id])
    posted = await client.post("/api/v1/notices", headers=staff, json={**NOTICE, "hall_id": own.hall_id})
    assert posted.status_code == 201, posted.text
    assert (posted.json()["source"], posted.json()["status"]) == ("东门街道便民服务中心", "published")
    elsewhere = await client.post("/api/v1/notices", headers=staff, json={**NOTICE, "hall_id": other.hall_id})
    assert elsewhere.status_code == 403
    nowhere = await client.post("/api/v1/notices", headers=staff, json=NOTICE)
    assert nowhere.status_code == 422 and nowhere.json()["error"]["code"] == "hall_required"
    resident_headers = await client.login_dev()
    assert (await client.post("/api/v1/notices", headers=resident_headers, json=NOTICE)).status_code == 403
    editor = await client.login_staff(role="editor")
    assert (await client.post("/api/v1/notices", headers=editor, json=NOTICE)).status_code == 201
    unknown = await client.post("/api/v1/notices", headers=editor, json={**NOTICE, "hall_id": 99999})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_hall"
    bad_place = await client.post("/api/v1/notices", headers=editor, json={**NOTICE, "divisions": ["东门"]})
    assert bad_place.status_code == 422 and bad_place.json()["error"]["details"]["fields"][0]["field"] == "divisions"
    listed = (await client.get("/api/v1/notices", params={"hall_id": own.hall_id})).json()
    assert [n["id"] for n in listed["items"]] == [posted.json()["id"]]


async def test_an_editor_names_the_agency_by_its_code_or_its_name_as_the_topic_by_its_label(client):
    editor = await client.login_staff(role="editor")
    by_name = await client.post("/api/v1/notices", headers=editor,
                                json={**NOTICE, "agency": "罗湖区教育局", "topic": "教育"})
    assert by_name.status_code == 201, by_name.text
    assert (by_name.json()["agency"], by_name.json()["source"], by_name.json()["topic"]["value"]) == (
        "lhjyj", "罗湖区教育局", "education")
    by_code = await client.post("/api/v1/notices", headers=editor, json={**NOTICE, "agency": "lhjyj"})
    assert by_code.json()["agency"] == "lhjyj"
    unknown = await client.post("/api/v1/notices", headers=editor, json={**NOTICE, "agency": "罗湖区不存在局"})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"]["fields"][0]["code"] == "unknown_agency"


async def test_notices_reach_feeds_and_wechat_and_leave_when_withdrawn(client, wx, db):
    with_document_template(db.settings)
    hall = await make_hall("东门街道便民服务中心")
    neighbour = await resident(wx, "o-neighbour")
    far = await resident(wx, "o-far")
    for user_id, place in ((neighbour, "440303003001"), (far, "440303002001")):
        await notify.record_grants(user_id, {DOC_TEMPLATE: "accept"})
        await subscribe(user_id, divisions=[place])
    staff = await client.login_staff(role="staff", halls=[hall.hall_id])
    notice = (await client.post("/api/v1/notices", headers=staff, json={**NOTICE, "hall_id": hall.hall_id})).json()
    await run_all()
    assert [(m["touser"], m["data"]["thing1"]["value"], m["page"]) for m in wx.sent] == [
        ("o-neighbour", "东门街道便民服务中心周六延时服务", f"pages/notices/detail?id={notice['id']}")]
    token = (await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid="o-neighbour")})).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    items = (await client.get("/api/v1/feed", headers=headers)).json()["items"]
    assert [(i["kind"], i["ref_id"]) for i in items] == [("notice", notice["id"])]
    withdrawn = await client.post(f"/api/v1/notices/{notice['id']}/withdraw", headers=staff, json={"reason": "改期"})
    assert withdrawn.status_code == 200 and withdrawn.json()["body"] is None
    await run_all()
    assert (await client.get("/api/v1/feed", headers=headers)).json()["items"] == []
    again = await client.post(f"/api/v1/notices/{notice['id']}/withdraw", headers=staff, json={"reason": "改期"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "notice_withdrawn"
    public = (await client.get(f"/api/v1/notices/{notice['id']}")).json()
    assert (public["status"], public["withdrawn_reason"], public["body"]) == ("withdrawn", "改期", None)
    assert (await client.get("/api/v1/notices/999999")).status_code == 404
