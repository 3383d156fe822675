"""Attachments: accepted formats by content, refused files, download headers, who may read them."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest

from bulletin import errors, service_attachments
from bulletin.filetypes import MAX_ATTACHMENT_BYTES
from tests.integration.bulletin.gazette_support import draft, published

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
async def editor(client):
    return await client.login_staff(role="editor")


async def _upload(client, headers, document_id: int, name: str, data: bytes):
    return await client.post(f"/api/v1/gazette/documents/{document_id}/attachments",
                             files={"file": (name, data, "application/octet-stream")}, headers=headers)


async def test_a_pdf_is_stored_by_hash_and_served_inline_with_its_name(client, editor, db):
    document = await published("关于公布办事指南的通知")
    answer = await _upload(client, editor, document, "办事指南（2024版）.pdf", PDF)
    assert answer.status_code == 201, answer.text
    attachment = answer.json()
    assert attachment["content_type"] == "application/pdf" and attachment["size"] == len(PDF)
    stored = list((db.settings.var_dir / "attachments").rglob("*"))
    assert any(p.is_file() and p.read_bytes() == PDF for p in stored)
    download = await client.get(attachment["url"])
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        f"inline; filename=\"_____2024__.pdf\"; filename*=UTF-8''{quote('办事指南（2024版）.pdf', safe='')}")
    listed = (await client.get(f"/api/v1/gazette/documents/{document}")).json()["attachments"]
    assert [a["id"] for a in listed] == [attachment["id"]]


async def test_office_files_download_as_attachments(client, editor):
    document = await published("关于征求意见的公告")
    answer = await _upload(client, editor, document, "意见反馈表.docx", _docx())
    assert answer.status_code == 201
    download = await client.get(answer.json()["url"])
    assert download.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert download.headers["content-disposition"].startswith("attachment;")


async def test_files_that_are_not_what_they_claim_are_refused(client, editor):
    document = await published("关于上传附件的通知")
    for name, data in (("通知.pdf", b"MZ\x90\x00 executable"), ("通知.docx", PDF),
                       ("page.html", b"<html><script>alert(1)</script></html>"), ("表格.xlsx", _docx())):
        refused = await _upload(client, editor, document, name, data)
        assert refused.status_code == 415, name
        assert refused.json()["error"]["code"] == "attachment_type_refused"
    missing = await client.post(f"/api/v1/gazette/documents/{document}/attachments", json={}, headers=editor)
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "attachment_missing"
    resident = await client.login_dev()
    assert (await _upload(client, resident, document, "a.pdf", PDF)).status_code == 403


async def test_uploads_beyond_the_servers_body_limit_but_within_twenty_megabytes_land(client, editor, app):
    # The app refuses bodies over BIANMIN_MAX_BODY_BYTES (10 MiB by default); the attachment route
    # has its own limit, so a 12 MiB scan goes in while other routes still refuse that much.
    assert app.config.REQUEST_MAX_SIZE < 12 * 1024 * 1024 < MAX_ATTACHMENT_BYTES
    document = await published("关于公布扫描件的通知")
    big = PDF + b"%" + b"0" * (12 * 1024 * 1024)
    answer = await _upload(client, editor, document, "扫描件.pdf", big)
    assert answer.status_code == 201, answer.text[:300]
    assert answer.json()["size"] == len(big)
    assert (await client.get(answer.json()["url"])).content == big
    elsewhere = await client.post("/api/v1/auth/dev", content=b"{" + b" " * (12 * 1024 * 1024) + b"}",
                                  headers={"content-type": "application/json"})
    assert elsewhere.status_code == 413 and elsewhere.json()["error"]["code"] == "payload_too_large"
    too_big = await _upload(client, editor, document, "太大.pdf", PDF + b"0" * (MAX_ATTACHMENT_BYTES + 100 * 1024))
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "payload_too_large"
    assert too_big.json()["error"]["details"]["limit_bytes"] > MAX_ATTACHMENT_BYTES
    assert len((await client.get(f"/api/v1/gazette/documents/{document}")).json()["attachments"]) == 1


async def test_more_than_twenty_megabytes_is_refused(db):
    document = await published("关于大附件的通知")
    with pytest.raises(errors.AttachmentTooLarge):
        await service_attachments.upload(document, data=PDF + b"0" * MAX_ATTACHMENT_BYTES, filename="大文件.pdf")


async def test_draft_attachments_are_for_editors_and_deleting_removes_them(client, editor):
    document = await draft("草稿附件")
    attachment = (await _upload(client, editor, document, "草稿.pdf", PDF)).json()
    assert (await client.get(attachment["url"])).status_code == 404
    assert (await client.get(attachment["url"], headers=editor)).status_code == 200
    assert (await client.delete(f"/api/v1/gazette/attachments/{attachment['id']}", headers=editor)).status_code == 204
    gone = await client.get(attachment["url"], headers=editor)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "attachment_not_found"
