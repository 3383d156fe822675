"""Reading without login: documents, drafts, withdrawn pages, /d/{id}, the Atom feed, QR and mini-program codes."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import PIL.Image
import zxingcpp

from bulletin import service_catalog, service_editing
from server import clock
from server.tables import OutboxMessage
from tests.integration.bulletin.gazette_support import draft, published

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://bianmin.example.gov.cn"


def _decode(content: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(content)))]


async def test_a_draft_is_404_to_residents_and_anonymous_readers_but_not_to_editors(client):
    secret = await draft("内部讨论稿", body="尚未定稿的内容")
    resident = await client.login_dev()
    for headers in ({}, resident):
        answer = await client.get(f"/api/v1/gazette/documents/{secret}", headers=headers)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "document_not_found"
    page = await client.get(f"/d/{secret}")
    assert page.status_code == 404 and "文件不存在" in page.text and "尚未定稿" not in page.text
    editor = await client.login_staff(role="editor")
    seen = await client.get(f"/api/v1/gazette/documents/{secret}", headers=editor)
    assert seen.status_code == 200 and seen.json()["status"] == "draft"
    assert (await client.get(f"/api/v1/gazette/documents/{secret}/qr.png")).status_code == 404


async def test_a_document_answers_every_field_links_both_ways_and_its_neighbours(client):
    issue = await service_catalog.create_issue({"year": 2024, "number": 3, "total_number": 183,
                                                "title": "2024年第3期", "published_on": date(2024, 9, 13),
                                                "sections": ["区政府文件"]})
    first = await published("第一篇", issue_id=issue["id"], section="区政府文件", issue_order=1)
    policy = await published("关于优化营商环境的通知", body="## 一、总则\n\n**一网通办**。", issue_id=issue["id"],
                             section="区政府文件", issue_order=2, doc_number="深罗府〔2024〕12号",
                             written_on=date(2024, 9, 1), published_on=date(2024, 9, 6), industries=["F"], sizes=["small"], divisions=["440303"])
    last = await published("第三篇", issue_id=issue["id"], section="区政府文件", issue_order=3)
    explained = await published("一图读懂营商环境措施", kind="interpretation", doc_type=None)
    await service_editing.set_interpretations(policy, [explained])
    body = (await client.get(f"/api/v1/gazette/documents/{policy}")).json()
    assert body["doc_number"] == "深罗府〔2024〕12号" and body["written_on"] == "2024-09-01"
    assert body["agency"] == {"value": "lhfgj", "label": "罗湖区发展和改革局"}  # as /agencies lists it
    assert body["body_html"] == "<h2>一、总则</h2>\n<p><strong>一网通办</strong>。</p>"
    assert body["body_nodes"][0] == {"name": "h2", "attrs": {}, "children": [{"type": "text", "text": "一、总则"}]}
    assert body["tags"] == {"divisions": ["440303"], "industries": ["F"], "sizes": ["small"]}
    assert [i["id"] for i in body["interpretations"]] == [explained]
    assert (body["previous"]["id"], body["next"]["id"]) == (first, last)
    assert body["issue"]["total_number"] == 183 and body["url"] == f"{BASE}/d/{policy}"
    reverse = (await client.get(f"/api/v1/gazette/documents/{explained}")).json()
    assert [d["id"] for d in reverse["interprets"]] == [policy] and reverse["kind"] == "interpretation"
    toc = (await client.get(f"/api/v1/gazette/issues/{issue['id']}")).json()
    assert [d["id"] for d in toc["contents"][0]["documents"]] == [first, policy, last]


async def test_a_withdrawn_document_keeps_a_clear_page_and_answers_without_its_body(client):
    document = await published("关于临时交通管制的通告", body="管制路段如下。", summary="交通管制")
    await service_editing.withdraw_document(document, reason="管制已提前结束")
    answer = (await client.get(f"/api/v1/gazette/documents/{document}")).json()
    assert answer["status"] == "withdrawn" and answer["title"] == "关于临时交通管制的通告"
    assert "body_html" not in answer and "body_nodes" not in answer
    page = await client.get(f"/d/{document}")
    assert page.status_code == 200
    assert "已撤回" in page.text and "管制已提前结束" in page.text and "管制路段如下" not in page.text
    assert "<title>已撤回：关于临时交通管制的通告" in page.text


async def test_the_reading_page_has_a_title_open_graph_tags_and_linked_interpretations(client):
    policy = await published("关于<b>长者饭堂</b>补贴的通知", summary="每餐补贴 5 元", body="正文内容")
    explained = await published("长者饭堂补贴解读", kind="interpretation", doc_type=None)
    await service_editing.set_interpretations(policy, [explained])
    page = await client.get(f"/d/{policy}")
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<title>关于&lt;b&gt;长者饭堂&lt;/b&gt;补贴的通知 - 政府公报</title>" in html
    assert '<meta property="og:title" content="关于&lt;b&gt;长者饭堂&lt;/b&gt;补贴的通知">' in html
    assert '<meta property="og:description" content="每餐补贴 5 元">' in html
    assert f'<meta property="og:url" content="{BASE}/d/{policy}">' in html
    assert f'<a href="/d/{explained}">长者饭堂补贴解读</a>' in html
    assert 'name="viewport"' in html


async def test_the_atom_feed_is_valid_atom_with_the_newest_published_documents(client):
    older = await published("较早的通知", published_on=date(2024, 1, 2), summary="较早")
    newer = await published("较新的通知", published_on=date(2024, 6, 2), summary="较新")
    await draft("草稿不进订阅源")
    gone = await published("撤回的通知")
    await service_editing.withdraw_document(gone, reason="错误")
    feed = await client.get("/gazette/feed.xml")
    assert feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(feed.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/gazette/feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["较新的通知", "较早的通知"]
    for entry, document in zip(entries, (newer, older)):
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}/d/{document}"
        assert entry.find(f"{ATOM}id").text.startswith("tag:bianmin.example.gov.cn,")
        assert datetime.fromisoformat(entry.find(f"{ATOM}updated").text).tzinfo is not None
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 2


async def test_atom_entries_are_dated_by_their_publication_and_last_correction_not_by_the_import(client):
    clock.freeze(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))  # 10:00 in Shenzhen, importing the 2024 archive
    archived = await published("往年的通知", published_on=date(2024, 3, 1))
    fresh = await published("今天的通知", published_on=None)  # published now: dated today at this moment
    clock.freeze(datetime(2026, 12, 7, 6, 30, tzinfo=UTC))
    await service_editing.update_document(archived, {"summary": "更正：补贴标准为每月200元"})  # 勘误
    await service_editing.set_related(fresh, services=[])  # linking is no correction
    entries = {e.find(f"{ATOM}title").text: (e.find(f"{ATOM}published").text, e.find(f"{ATOM}updated").text)
               for e in ET.fromstring((await client.get("/gazette/feed.xml")).content).findall(f"{ATOM}entry")}
    assert entries == {"往年的通知": ("2024-03-01T00:00:00+08:00", "2026-12-07T06:30:00+00:00"),
                       "今天的通知": ("2026-12-07T02:00:00+00:00", "2026-12-07T02:00:00+00:00")}


async def _feed(client) -> tuple[str, dict[str, str]]:
    """The feed's own <updated> and each entry's, by title."""
    root = ET.fromstring((await client.get("/gazette/feed.xml")).content)
    return root.find(f"{ATOM}updated").text, {e.find(f"{ATOM}title").text: e.find(f"{ATOM}updated").text
                                              for e in root.findall(f"{ATOM}entry")}


async def test_the_feed_is_updated_when_its_newest_entry_is_and_a_form_saved_unchanged_corrects_nothing(client):
    clock.freeze(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))  # the archive imported today
    archived = await published("往年的通知", published_on=date(2024, 3, 1), summary="原文", divisions=["440303"])
    await published("去年的通知", published_on=date(2025, 6, 2))
    assert await _feed(client) == ("2025-06-02T00:00:00+08:00", {"往年的通知": "2024-03-01T00:00:00+08:00",
                                                                 "去年的通知": "2025-06-02T00:00:00+08:00"})
    clock.freeze(datetime(2026, 12, 7, 6, 30, tzinfo=UTC))
    await service_editing.update_document(archived, {"summary": "更正：补贴标准为每月200元"})
    assert (await _feed(client))[0] == "2026-12-07T06:30:00+00:00"
    clock.freeze(datetime(2026, 12, 8, 1, 0, tzinfo=UTC))  # the console saves the whole form, nothing changed
    editor = await client.login_staff(role="editor")
    saved = await client.patch(f"/api/v1/gazette/documents/{archived}", headers=editor, json={
        "title": "往年的通知", "summary": "更正：补贴标准为每月200元", "published_on": "2024-03-01",
        "divisions": ["440303"], "agency": "lhfgj"})
    assert saved.status_code == 200, saved.text
    assert await _feed(client) == ("2026-12-07T06:30:00+00:00", {"往年的通知": "2026-12-07T06:30:00+00:00",
                                                                 "去年的通知": "2025-06-02T00:00:00+08:00"})
    assert await OutboxMessage.filter(topic="gazette.corrected").count() == 1


async def test_qr_code_decodes_to_the_reading_page(client):
    document = await published("扫码查阅的通知")
    png = await client.get(f"/api/v1/gazette/documents/{document}/qr.png")
    assert png.headers["content-type"] == "image/png"
    assert _decode(png.content) == [f"{BASE}/d/{document}"]


async def test_mini_program_code_opens_the_reader_and_is_fetched_from_wechat_once(client, wx):
    document = await published("小程序码查阅的通知")
    first = await client.get(f"/api/v1/gazette/documents/{document}/wxacode.png")
    second = await client.get(f"/api/v1/gazette/documents/{document}/wxacode.png")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert _decode(first.content) == [f"pages/gazette/reader/reader?scene=d={document}"]
    assert wx.state.calls["/wxa/getwxacodeunlimit"] == 1


async def test_a_wechat_failure_is_503_and_is_not_cached(client, wx):
    document = await published("微信故障时的通知")
    wx.fail_next("/wxa/getwxacodeunlimit", 45009)
    failed = await client.get(f"/api/v1/gazette/documents/{document}/wxacode.png")
    assert failed.status_code == 503 and failed.json()["error"]["code"] == "wxacode_unavailable"
    retried = await client.get(f"/api/v1/gazette/documents/{document}/wxacode.png")
    assert retried.status_code == 200
