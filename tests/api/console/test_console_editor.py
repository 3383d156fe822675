"""The editor's pages through HTTP (both backends): draft, live preview through the sanitiser, the audience
named before publishing, publish, withdraw; editors only."""

from __future__ import annotations

import re

from tests.api.console.conftest import Browser, make_user
from tests.integration.feeds.feeds_support import subscribe

HOSTILE = "# 关于养老服务补贴的通知\n\n长者可申领补贴。<script>alert(1)</script><img src=x onerror=alert(2)>"
FORM = {"title": "关于养老服务补贴申领的通知", "agency": "lhjyj", "kind": "document", "doc_type": "notice",
        "topic": "civil_affairs_relief", "disclosure": "service", "validity": "valid", "body_format": "markdown",
        "doc_number": "罗民[2026]3号", "divisions": "440303003", "body": HOSTILE}


async def as_editor(browser: Browser) -> None:
    assert (await browser.log_in(*await make_user("editor"))).status_code == 303


async def test_an_editor_drafts_previews_and_publishes_sanitised(browser: Browser, client):
    from server import accounts

    reader = int((await accounts.login_dev("reader", None))["user"]["id"])
    await subscribe(reader, "immediate", topics=["civil_affairs_relief"])
    await as_editor(browser)
    preview = await browser.submit("/console/editor/preview", {"body": HOSTILE, "body_format": "markdown"},
                                   token_from="/console/editor/documents/new")
    assert preview.status_code == 200 and "<h" in preview.text and "长者可申领补贴" in preview.text
    assert "<script" not in preview.text and "onerror" not in preview.text

    created = await browser.submit("/console/editor/documents", FORM, token_from="/console/editor/documents/new")
    assert created.status_code == 303
    page = await browser.get(created.headers["location"])
    assert "罗民〔2026〕3号" in page.text  # stored in the standard form
    assert re.search(r"发布后将进入 1 位订阅者的主页，其中 1 位将即时收到微信消息", page.text)
    document_id = int(re.search(r"/documents/(\d+)", created.headers["location"]).group(1))

    published = await browser.submit(f"/console/editor/documents/{document_id}/publish", {},
                                      token_from=f"/console/editor/documents/{document_id}")
    assert published.status_code == 303
    reading = await client.get(f"/d/{document_id}")
    assert reading.status_code == 200 and "长者可申领补贴" in reading.text
    assert "<script>alert" not in reading.text and "onerror" not in reading.text
    found = await client.get("/api/v1/gazette/documents", params={"q": "养老服务补贴"})
    assert document_id in [item["id"] for item in found.json()["items"]]
    assert "<script" not in found.text

    withdrawn = await browser.submit(f"/console/editor/documents/{document_id}/withdraw", {"reason": "内容需修订"},
                                     token_from=f"/console/editor/documents/{document_id}")
    assert withdrawn.status_code == 303
    assert "已撤回：内容需修订" in (await browser.get(withdrawn.headers["location"])).text


async def test_a_bad_field_answers_with_the_apis_reason_and_saves_nothing(browser: Browser):
    await as_editor(browser)
    bad = await browser.submit("/console/editor/documents", {**FORM, "written_on": "2026-05-02",
                                                            "published_on": "2026-05-01"},
                               token_from="/console/editor/documents/new")
    assert bad.status_code == 422 and "成文日期" in bad.text
    listing = await browser.get("/console/editor/documents")
    assert FORM["title"] not in listing.text


async def test_the_editor_pages_are_for_editors(browser: Browser):
    assert (await browser.log_in(*await make_user("staff"))).status_code == 303
    assert (await browser.get("/console/editor/documents")).status_code == 403


async def test_notices_are_posted_and_withdrawn_by_editors_and_by_staff_of_their_hall(browser: Browser, client, db):
    from tests.integration.appointments.booking_support import make_hall

    world = await make_hall()
    assert (await browser.log_in(*await make_user("staff", halls=[world.hall_id]))).status_code == 303
    url = "/console/notices/"
    posted = await browser.submit(url, {"title": "周六延时服务", "body": "本周六上午正常办理社保业务。",
                                        "hall_id": str(world.hall_id), "topic": "", "divisions": ""}, token_from=url)
    assert posted.status_code == 303
    public = (await client.get("/api/v1/notices")).json()["items"]
    assert [n["title"] for n in public] == ["周六延时服务"]
    refused = await browser.submit(url, {"title": "无大厅", "body": "正文", "hall_id": "", "topic": ""},
                                   token_from=url)
    assert refused.status_code == 422  # hall staff post for their hall
    withdrawn = await browser.submit(f"{url}{public[0]['id']}/withdraw", {"reason": "时间调整"}, token_from=url)
    assert withdrawn.status_code == 303
    assert (await client.get("/api/v1/notices")).json()["items"] == []


async def test_an_attachment_is_deleted_after_a_confirmation_that_names_the_body_links(browser: Browser, client):
    from bulletin import service_attachments, service_editing
    from server.tables import OperationLog

    await as_editor(browser)
    document = await service_editing.create_document({**{k: FORM[k] for k in ("title", "agency", "doc_type")},
                                                      "body": "正文"}, editor_id=None)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    linked, spare = [await service_attachments.upload(document["id"], data=png, filename=name)
                     for name in ("流程图.png", "附表.png")]
    other = await service_editing.create_document({**{k: FORM[k] for k in ("title", "agency", "doc_type")},
                                                   "body": "另一份"}, editor_id=None)
    body = f"办理流程见[流程图]({linked['url']})。\n\n附表另行下载。"
    await service_editing.update_document(document["id"], {"body": body})
    url = f"/console/editor/documents/{document['id']}"

    page = await browser.get(url)
    assert f"{url}/attachments/{linked['id']}/delete" in page.text
    asked = await browser.get(f"{url}/attachments/{linked['id']}/delete")
    assert asked.status_code == 200 and "正文中有 1 处链接指向此附件" in asked.text and "办理流程见" in asked.text
    quiet = await browser.get(f"{url}/attachments/{spare['id']}/delete")
    assert "正文中没有链接指向此附件" in quiet.text  # attachments/{id} does not match attachments/{id}0
    wrong = await browser.get(f"/console/editor/documents/{other['id']}/attachments/{linked['id']}/delete")
    assert wrong.status_code == 404  # only through its own document

    no_csrf = await browser.post(f"{url}/attachments/{linked['id']}/delete")
    assert no_csrf.status_code == 403
    deleted = await browser.submit(f"{url}/attachments/{linked['id']}/delete", {},
                                   token_from=f"{url}/attachments/{linked['id']}/delete")
    assert deleted.status_code == 303 and deleted.headers["location"] == f"{url}?ok=detached"
    after = await browser.get(deleted.headers["location"])
    assert "附件已删除" in after.text and "流程图.png" not in after.text and "附表.png" in after.text
    assert (await client.get(linked["url"])).status_code == 404
    entry = await OperationLog.filter(action="console.editor.delete_attachment", result="ok").first()
    assert (entry.target, entry.result, entry.before["filename"], entry.after) == (
        f"attachment_id={linked['id']}", "ok", "流程图.png", None)


async def test_link_pickers_find_interpretations_and_service_items_as_the_editor_types(browser: Browser, db):
    from bulletin import service_editing
    from tests.integration.appointments.booking_support import make_hall
    from tests.integration.bulletin.gazette_support import published

    world = await make_hall()
    reading = await published("《罗湖区养老服务补贴办法》政策解读", kind="interpretation")
    await published("关于养老服务补贴的通知")  # a document, not an interpretation: never offered
    document = await service_editing.create_document({**{k: FORM[k] for k in ("title", "agency", "doc_type")},
                                                      "body": "正文"}, editor_id=None)
    await as_editor(browser)
    url = f"/console/editor/documents/{document['id']}"
    page = await browser.get(url)
    assert 'hx-get="/console/editor/pick/interpretations"' in page.text and 'id="f-services"' in page.text

    found = await browser.get("/console/editor/pick/interpretations", params={"q": "养老服务补贴"})
    assert found.status_code == 200
    offered = re.findall(r'data-add-id="#f-interpretations" data-id="(\d+)"', found.text)
    assert offered == [str(reading)]
    services = await browser.get("/console/editor/pick/services", params={"q": "区人力资源局"})
    assert re.findall(r'data-add-id="#f-services" data-id="(\d+)"', services.text) == [str(world.service_id)]
    assert "罗湖区行政服务大厅" in services.text  # which hall the item belongs to
    none = await browser.get("/console/editor/pick/services", params={"q": "不存在的事项"})
    assert "没有找到" in none.text and "data-id" not in none.text

    saved = await browser.submit(f"{url}/links", {"interpretations": offered[0], "services": str(world.service_id)},
                                 token_from=url)
    assert saved.status_code == 303
    assert await service_editing.interpretation_ids(document["id"]) == [reading]
    assert (await service_editing.editor_view(document["id"]))["services"] == [world.service_id]


async def test_link_pickers_are_for_editors(browser: Browser):
    assert (await browser.log_in(*await make_user("staff"))).status_code == 303
    assert (await browser.get("/console/editor/pick/services", params={"q": "社保"})).status_code == 403


async def test_the_upload_form_takes_the_files_the_api_takes(browser: Browser, client):
    """An editor's 12 MB scanned PDF goes through the console as through the API (both take 20 MB), and a file
    over the limit is refused with 413 before anything is stored."""
    from bulletin import service_attachments, service_editing

    await as_editor(browser)
    document = await service_editing.create_document({**{k: FORM[k] for k in ("title", "agency", "doc_type")},
                                                      "body": "正文"}, editor_id=None)
    url = f"/console/editor/documents/{document['id']}"
    scan = b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024) + b"\n%%EOF\n"
    token = await browser.form_token(url)
    sent = await browser.post(f"{url}/attachments", data={"csrf": token},
                              files={"file": ("扫描件.pdf", scan, "application/pdf")})
    assert sent.status_code == 303, sent.text[:300]
    [stored] = await service_attachments.list_for(document["id"])
    assert (stored["filename"], stored["size"]) == ("扫描件.pdf", len(scan))
    too_big = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)
    refused = await browser.post(f"{url}/attachments", data={"csrf": token},
                                 files={"file": ("太大.pdf", too_big, "application/pdf")})
    assert refused.status_code == 413
    assert len(await service_attachments.list_for(document["id"])) == 1
