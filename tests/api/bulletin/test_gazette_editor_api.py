"""Editors through HTTP: roles, sanitising, validation, publish/withdraw with its outbox event, links."""

from __future__ import annotations

import pytest

from bulletin import service_editing
from server import outbox
from server.tables import OutboxMessage
from tests.integration.bulletin.gazette_support import published

DRAFT = {"title": "关于开展安全生产检查的通知", "agency": "lhyjglj", "doc_type": "notice", "body": "正文"}


@pytest.fixture
async def editor(client):
    return await client.login_staff(role="editor")


async def _create(client, headers, **changes) -> dict:
    answer = await client.post("/api/v1/gazette/documents", json={**DRAFT, **changes}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_only_editors_write(client):
    assert (await client.post("/api/v1/gazette/documents", json=DRAFT)).status_code == 401
    for headers in (await client.login_dev(), await client.login_staff(role="staff")):
        refused = await client.post("/api/v1/gazette/documents", json=DRAFT, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    admin = await client.login_staff(role="admin")
    assert (await client.post("/api/v1/gazette/documents", json=DRAFT, headers=admin)).status_code == 201


async def test_hostile_html_and_markdown_are_sanitised(client, editor):
    hostile_html = ('<p onclick="steal()">通知<script>alert(1)</script></p><iframe src="https://x.example"></iframe>'
                    '<a href="javascript:alert(2)">点我</a><img src="https://img.example/a.png" onerror="alert(3)">'
                    '<a href="https://www.gov.cn/">中国政府网</a>')
    document = await _create(client, editor, body=hostile_html, body_format="html")
    html = document["body_html"]
    for forbidden in ("script", "alert", "onclick", "onerror", "iframe", "javascript:"):
        assert forbidden not in html
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>' in html
    assert "img.example" not in html  # images only from the gazette's own attachments
    hostile_markdown = "[点我](javascript:alert(1))\n\n<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n**加粗**"
    markdown = await _create(client, editor, body=hostile_markdown, body_format="markdown")
    assert "alert" not in markdown["body_html"] and "javascript" not in markdown["body_html"]
    assert "<strong>加粗</strong>" in markdown["body_html"]
    await client.post(f"/api/v1/gazette/documents/{markdown['id']}/publish", headers=editor)
    nodes = (await client.get(f"/api/v1/gazette/documents/{markdown['id']}")).json()["body_nodes"]
    assert "alert" not in str(nodes) and "javascript" not in str(nodes)


async def test_an_agency_is_named_by_its_code_or_its_name(client, editor):
    named = await _create(client, editor, agency="罗湖区教育局")
    assert named["agency"] == "lhjyj"


async def test_bad_input_is_422_naming_the_field(client, editor):
    cases = [
        ({"agency": "nosuch"}, "unknown_agency"),
        ({"doc_type": "memo"}, "validation_error"),
        ({"written_on": "2024-06-01", "published_on": "2024-05-01"}, "validation_error"),
        ({"industries": ["Z"]}, "validation_error"),
        ({"issue_id": 999}, "unknown_issue"),
        ({"surprise": 1}, "validation_error"),
    ]
    for changes, code in cases:
        answer = await client.post("/api/v1/gazette/documents", json={**DRAFT, **changes}, headers=editor)
        assert answer.status_code == 422, (changes, answer.text)
        assert answer.json()["error"]["code"] == code
    fields = (await client.post("/api/v1/gazette/documents", json={**DRAFT, "doc_type": "memo"},
                                headers=editor)).json()["error"]["details"]["fields"]
    assert [f["field"] for f in fields] == ["doc_type"]


async def test_index_numbers_are_unique(client, editor):
    await _create(client, editor, index_number="11440303/2024-1")
    again = await client.post("/api/v1/gazette/documents", json={**DRAFT, "index_number": "11440303/2024-1"},
                              headers=editor)
    assert again.status_code == 409 and again.json()["error"]["code"] == "index_number_taken"


async def test_publish_writes_its_outbox_event_and_status_rules_hold(client, editor):
    document = await _create(client, editor, divisions=["440303001"], industries=["F"], sizes=["micro"])
    url = f"/api/v1/gazette/documents/{document['id']}"
    premature = await client.post(f"{url}/withdraw", json={"reason": "尚未发布"}, headers=editor)
    assert premature.status_code == 409 and premature.json()["error"]["code"] == "document_status_conflict"
    done = await client.post(f"{url}/publish", headers=editor)
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert (await client.post(f"{url}/publish", headers=editor)).status_code == 409
    events = await OutboxMessage.filter(topic="gazette.published")
    assert [e.payload for e in events] == [{"kind": "document", "id": document["id"]}]
    assert events[0].dedup_key.startswith(f"gazette.published:document:{document['id']}:")
    withdrawn = await client.post(f"{url}/withdraw", json={"reason": "政策调整"}, headers=editor)
    assert withdrawn.json()["status"] == "withdrawn" and withdrawn.json()["withdrawn_reason"] == "政策调整"
    frozen = await client.patch(url, json={"title": "改个标题"}, headers=editor)
    assert frozen.status_code == 409


async def test_a_failed_outbox_write_leaves_the_document_unpublished(client, editor, monkeypatch):
    document = await _create(client, editor, body="养老服务")

    async def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        await service_editing.publish_document(document["id"])
    after = (await client.get(f"/api/v1/gazette/editor/documents/{document['id']}", headers=editor)).json()
    assert after["status"] == "draft"
    assert (await client.get("/api/v1/gazette/documents", params={"q": "养老服务"})).json()["total"] == 0


async def test_editing_a_published_document_updates_search(client, editor):
    document = await published("关于开展消防检查的通知", body="检查消防通道。")
    assert (await client.get("/api/v1/gazette/documents", params={"q": "消防"})).json()["total"] == 1
    changed = await client.patch(f"/api/v1/gazette/documents/{document}",
                                 json={"title": "关于开展燃气检查的通知", "body": "检查燃气管道。"}, headers=editor)
    assert changed.status_code == 200 and changed.json()["title"] == "关于开展燃气检查的通知"
    assert (await client.get("/api/v1/gazette/documents", params={"q": "消防"})).json()["total"] == 0
    assert (await client.get("/api/v1/gazette/documents", params={"q": "燃气"})).json()["total"] == 1


async def test_a_doc_number_is_stored_and_shown_in_the_standard_form_and_found_in_any_style(client, editor):
    document = await _create(client, editor, doc_number="罗教[2026]21号")
    assert document["doc_number"] == "罗教〔2026〕21号"
    assert (await _create(client, editor, doc_number=" 罗教［２０２６］第21号"))["doc_number"] == "罗教〔2026〕21号"
    await client.post(f"/api/v1/gazette/documents/{document['id']}/publish", headers=editor)
    shown = (await client.get(f"/api/v1/gazette/documents/{document['id']}")).json()
    assert shown["doc_number"] == "罗教〔2026〕21号"
    page = await client.get(f"/d/{document['id']}")
    assert "罗教〔2026〕21号" in page.text and "罗教[2026]" not in page.text
    for typed in ("罗教[2026]21号", "罗教（2026）21", "罗教(2026)21号", "罗教【2026】21号", "罗教［2026］21号",
                  "罗教﹝2026﹞21号", "罗教〔2026〕21号"):
        found = (await client.get("/api/v1/gazette/documents", params={"q": typed})).json()["items"]
        assert [(i["id"], i["doc_number"]) for i in found] == [(document["id"], "罗教〔2026〕21号")], typed
    corrected = await client.patch(f"/api/v1/gazette/documents/{document['id']}", json={"doc_number": "罗教【2026】22号"},
                                   headers=editor)
    assert corrected.json()["doc_number"] == "罗教〔2026〕22号"
    cleared = await client.patch(f"/api/v1/gazette/documents/{document['id']}", json={"doc_number": None},
                                 headers=editor)
    assert cleared.json()["doc_number"] is None


async def test_interpretations_link_only_interpretations(client, editor):
    policy = await published("关于稳岗补贴的通知")
    other = await published("关于就业见习的通知")
    explained = await published("稳岗补贴政策解读", kind="interpretation", doc_type=None)
    wrong = await client.put(f"/api/v1/gazette/documents/{policy}/interpretations", json={"ids": [other]},
                             headers=editor)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "not_an_interpretation"
    right = await client.put(f"/api/v1/gazette/documents/{policy}/interpretations", json={"ids": [explained]},
                             headers=editor)
    assert right.status_code == 200
    reverse = await client.put(f"/api/v1/gazette/documents/{explained}/interpretations", json={"ids": [explained]},
                               headers=editor)
    assert reverse.status_code == 422


async def test_related_service_items_and_pois_must_exist(client, editor):
    from appointments import service_halls

    hall = await service_halls.create_hall({"name": "测试行政服务大厅", "address": "测试地址"}, rules=None)
    item = await service_halls.add_service(hall["id"], {"name": "公租房申请"})
    document = await published("关于公租房申请的通知")
    unknown = await client.put(f"/api/v1/gazette/documents/{document}/services", json={"ids": [item["id"] + 99]},
                               headers=editor)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_related_item"
    linked = await client.put(f"/api/v1/gazette/documents/{document}/services", json={"ids": [item["id"]]},
                              headers=editor)
    assert linked.status_code == 200 and linked.json()["services"] == [item["id"]]
    shown = (await client.get(f"/api/v1/gazette/documents/{document}")).json()["services"]
    assert shown == [{"id": item["id"], "name": "公租房申请", "hall_id": hall["id"], "hall_name": "测试行政服务大厅"}]
    poi = await client.put(f"/api/v1/gazette/documents/{document}/pois", json={"ids": [424242]}, headers=editor)
    assert poi.status_code == 422


async def test_agencies_topics_issues_and_the_editor_listing(client, editor):
    made = await client.post("/api/v1/gazette/agencies", json={"code": "lhtyj", "name": "罗湖区退役军人事务局"},
                             headers=editor)
    assert made.status_code == 201 and made.json() == {"value": "lhtyj", "label": "罗湖区退役军人事务局"}
    duplicate = await client.post("/api/v1/gazette/agencies", json={"code": "lhtyj", "name": "另一个名字"},
                                  headers=editor)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "agency_exists"
    agencies = (await client.get("/api/v1/gazette/agencies")).json()
    topics = (await client.get("/api/v1/gazette/topics")).json()
    # Every vocabulary has one shape, so a picker is written once.
    assert {"value": "lhtyj", "label": "罗湖区退役军人事务局"} in agencies
    assert {"value": "education", "label": "教育"} in topics
    assert {tuple(sorted(entry)) for entry in agencies + topics} == {("label", "value")}
    issue = {"year": 2024, "number": 5, "total_number": 185, "title": "2024年第5期", "published_on": "2024-12-20"}
    assert (await client.post("/api/v1/gazette/issues", json=issue, headers=editor)).status_code == 201
    clash = await client.post("/api/v1/gazette/issues", json={**issue, "total_number": 186}, headers=editor)
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "issue_exists"
    listed = (await client.get("/api/v1/gazette/issues", params={"year": 2024})).json()
    assert [(i["number"], i["document_count"]) for i in listed] == [(5, 0)]
    assert (await client.get("/api/v1/gazette/issues/999")).json()["error"]["code"] == "issue_not_found"
    draft_doc = await _create(client, editor)
    drafts = (await client.get("/api/v1/gazette/editor/documents", params={"status": "draft"}, headers=editor)).json()
    assert [d["id"] for d in drafts["items"]] == [draft_doc["id"]]
