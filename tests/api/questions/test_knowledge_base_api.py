"""一号答 through HTTP: who keeps entries, Chinese search with facets, suggestions, "solved", the rate."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
SOCIAL = {"question": "社保卡丢了怎么补办？", "category": "employment",
          "answer": "携带身份证到**社保服务大厅**办理挂失和补卡，也可以在线申请。<script>alert(1)</script>"}
RESIDENCE = {"question": "怎么办理居住证？", "category": "household",
             "answer": "在派出所办理；需要租房合同。办理前请确认社保已连续缴纳六个月。"}
INSURANCE = {"question": "灵活就业人员如何参加社会保险？", "category": "employment",
             "answer": "到街道劳动保障窗口登记即可参加社会保险。"}


@pytest.fixture
async def editor(client):
    return await client.login_staff(role="editor")


async def _published(client, headers, fields) -> dict:
    created = await client.post("/api/v1/questions/entries", json=fields, headers=headers)
    assert created.status_code == 201, created.text
    entry_id = created.json()["id"]
    published = await client.post(f"/api/v1/questions/entries/{entry_id}/publish", headers=headers)
    assert published.status_code == 200, published.text
    return published.json()


async def test_only_keepers_write_and_markdown_is_sanitised(client, editor):
    assert (await client.post("/api/v1/questions/entries", json=SOCIAL)).status_code == 401
    for headers in (await client.login_dev(), await client.login_staff(role="staff")):
        refused = await client.post("/api/v1/questions/entries", json=SOCIAL, headers=headers)
        assert refused.status_code == 403
    entry = await _published(client, editor, SOCIAL)
    assert "<strong>社保服务大厅</strong>" in entry["answer_html"] and "script" not in entry["answer_html"]
    assert entry["category"] == {"value": "employment", "label": "就业社保"} and entry["status"] == "published"
    bad = await client.post("/api/v1/questions/entries", json={**SOCIAL, "category": "nosuch"}, headers=editor)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_category"
    by_label = await client.post("/api/v1/questions/entries", json={**SOCIAL, "category": "户籍证照"}, headers=editor)
    assert by_label.json()["category"]["value"] == "household"
    unknown = await client.post("/api/v1/questions/entries", json={**SOCIAL, "documents": [999999]}, headers=editor)
    assert unknown.status_code == 422 and unknown.json()["error"]["details"]["fields"][0]["field"] == "documents"


async def test_search_ranks_question_matches_first_and_is_exact_for_short_words(client, editor):
    social = await _published(client, editor, SOCIAL)
    residence = await _published(client, editor, RESIDENCE)
    await _published(client, editor, INSURANCE)  # 社会保险: not 社保
    found = (await client.get("/api/v1/questions/answers", params={"q": "社保"})).json()
    assert [item["id"] for item in found["items"]] == [social["id"], residence["id"]]
    assert found["items"][0]["question_matched"] and not found["items"][1]["question_matched"]
    assert "<em>社保</em>" in found["items"][0]["question_html"]
    assert found["facets"]["category"] == [{"value": "employment", "label": "就业社保", "count": 1},
                                           {"value": "household", "label": "户籍证照", "count": 1}]
    only = (await client.get("/api/v1/questions/answers", params={"q": "社保", "category": "household"})).json()
    assert [i["id"] for i in only["items"]] == [residence["id"]] and only["total"] == 1
    assert len(only["facets"]["category"]) == 2  # facets still show every category matched


async def test_pages_follow_the_cursor_and_retired_entries_leave(client, editor):
    entries = [await _published(client, editor, {**SOCIAL, "question": f"社保问题第{n}条"}) for n in range(3)]
    first = (await client.get("/api/v1/questions/answers", params={"q": "社保", "limit": 2})).json()
    second = (await client.get("/api/v1/questions/answers", params={"q": "社保", "limit": 2,
                                                                   "cursor": first["next_cursor"]})).json()
    seen = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(seen) == sorted(e["id"] for e in entries) and second["next_cursor"] is None
    wrong = await client.get("/api/v1/questions/answers", params={"q": "居住证", "cursor": first["next_cursor"]})
    assert wrong.status_code == 422
    retired = await client.post(f"/api/v1/questions/entries/{entries[0]['id']}/retire", headers=editor)
    assert retired.json()["status"] == "retired"
    after = (await client.get("/api/v1/questions/answers", params={"q": "社保"})).json()
    assert entries[0]["id"] not in [i["id"] for i in after["items"]]
    assert (await client.get(f"/api/v1/questions/answers/{entries[0]['id']}")).status_code == 404
    again = await client.post(f"/api/v1/questions/entries/{entries[0]['id']}/retire", headers=editor)
    assert again.status_code == 409 and again.json()["error"]["code"] == "status_conflict"


async def test_an_entry_out_of_its_validity_is_not_answered(client, editor):
    expired = await _published(client, editor, {**SOCIAL, "valid_until": (clock.today() - timedelta(days=1)).isoformat()})
    assert (await client.get(f"/api/v1/questions/answers/{expired['id']}")).status_code == 404
    assert (await client.get("/api/v1/questions/answers", params={"q": "社保"})).json()["total"] == 0


async def test_edits_of_a_published_entry_are_searchable_at_once(client, editor):
    entry = await _published(client, editor, SOCIAL)
    changed = await client.patch(f"/api/v1/questions/entries/{entry['id']}", json={"question": "医保卡丢了怎么办"},
                                 headers=editor)
    assert changed.status_code == 200
    assert (await client.get("/api/v1/questions/answers", params={"q": "医保"})).json()["total"] == 1
    assert (await client.get("/api/v1/questions/suggest", params={"q": "医保卡"})).json()["items"][0]["id"] == entry["id"]


async def test_answerers_keep_only_their_departments_entries(client, editor):
    admin = await client.login_staff(role="admin")
    depts = []
    for code, name in (("rsj", "区人力资源局"), ("gaj", "区公安分局")):
        made = await client.post("/api/v1/questions/departments", json={"code": code, "name": name}, headers=admin)
        assert made.status_code == 201, made.text
        depts.append(made.json()["id"])
    answerer = await client.login_staff(role="answerer", username="answerer-rsj")
    me = (await client.get("/api/v1/me", headers=answerer)).json()
    members = await client.put(f"/api/v1/questions/departments/{depts[0]}/members",
                               json={"members": [{"user_id": me["id"], "is_head": True}]}, headers=admin)
    assert members.json() == [{"user_id": me["id"], "is_head": True}]
    own = await client.post("/api/v1/questions/entries", json={**SOCIAL, "department_id": depts[0]}, headers=answerer)
    assert own.status_code == 201
    other = await client.post("/api/v1/questions/entries", json={**RESIDENCE, "department_id": depts[1]},
                              headers=answerer)
    assert other.status_code == 403 and other.json()["error"]["code"] == "outside_department"
    theirs = await client.post("/api/v1/questions/entries", json={**RESIDENCE, "department_id": depts[1]},
                               headers=editor)
    for path in (f"/api/v1/questions/entries/{theirs.json()['id']}/publish",):
        assert (await client.post(path, headers=answerer)).status_code == 403
    listed = (await client.get("/api/v1/questions/editor/entries", headers=answerer)).json()["items"]
    assert [e["id"] for e in listed] == [own.json()["id"]]
    assert len((await client.get("/api/v1/questions/editor/entries", headers=editor)).json()["items"]) == 2


async def test_solved_votes_and_the_direct_answer_rate(client, editor):
    clock.freeze(datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI))
    social = await _published(client, editor, SOCIAL)
    residence = await _published(client, editor, RESIDENCE)
    residents = [await client.login_dev() for _ in range(3)]
    path = f"/api/v1/questions/answers/{social['id']}/feedback"
    assert (await client.post(path, json={"solved": True})).status_code == 401
    for headers in residents[:2]:
        assert (await client.post(path, json={"solved": True}, headers=headers)).status_code == 200
    vote = await client.post(path, json={"solved": False}, headers=residents[2])
    assert vote.json()["solved"] == 2 and vote.json()["not_solved"] == 1
    changed = await client.post(path, json={"solved": True}, headers=residents[2])  # a changed mind, not a 2nd vote
    assert changed.json()["solved"] == 3 and changed.json()["not_solved"] == 0
    clock.advance(timedelta(hours=1))  # December in Shanghai
    await client.post(f"/api/v1/questions/answers/{residence['id']}/feedback", json={"solved": False},
                      headers=residents[0])
    stats = await client.get("/api/v1/questions/stats/direct-answers", params={"from": "2026-11", "to": "2026-12"},
                             headers=editor)
    body = stats.json()
    assert (body["asked"], body["solved"], body["rate"]) == (4, 3, 0.75)
    assert [(r["month"], r["category"]["value"], r["asked"], r["solved"], r["rate"]) for r in body["rows"]] == [
        ("2026-11", "employment", 3, 3, 1.0), ("2026-12", "household", 1, 0, 0.0)]
    assert (await client.get("/api/v1/questions/stats/direct-answers", params={"from": "2026-12", "to": "2026-11"},
                             headers=editor)).status_code == 422
    assert (await client.get("/api/v1/questions/stats/direct-answers", params={"from": "2026-11", "to": "2026-12"},
                             headers=residents[0])).status_code == 403


async def test_categories_are_an_editable_vocabulary(client):
    listed = (await client.get("/api/v1/questions/categories")).json()
    assert len(listed) == 22 and listed[0] == {"value": "employment", "label": "就业社保", "is_active": True}
    admin = await client.login_staff(role="admin")
    renamed = await client.patch("/api/v1/questions/categories/tax", json={"label": "税费社保缴纳"}, headers=admin)
    assert renamed.json()["label"] == "税费社保缴纳"
    hidden = await client.patch("/api/v1/questions/categories/legal", json={"is_active": False}, headers=admin)
    assert hidden.status_code == 200
    added = await client.post("/api/v1/questions/categories", json={"code": "pets", "label": "宠物管理"}, headers=admin)
    assert added.status_code == 201
    again = await client.post("/api/v1/questions/categories", json={"code": "pets", "label": "宠物"}, headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "category_exists"
    codes = [c["value"] for c in (await client.get("/api/v1/questions/categories")).json()]
    assert "legal" not in codes and codes[-1] == "pets"
    assert (await client.patch("/api/v1/questions/categories/nosuch", json={"label": "x"},
                               headers=admin)).status_code == 404
