"""Security headers, images only from our own attachments, and file names that cannot spoof (both backends)."""

from __future__ import annotations

import base64
import hashlib
import re

from tests.integration.bulletin.gazette_support import published

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    directives = (part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives if d[0]}


def assert_page_headers(response) -> None:
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    csp = policy(response)
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'none'"
    assert "script-src" not in csp or "'unsafe-inline'" not in csp["script-src"]


async def test_reading_pages_send_a_strict_policy(client):
    tracked = "![统计](https://tracker.example/pixel.gif?doc=1)"
    document = await published("关于做好冬季供暖工作的通知", body=f"正文。\n\n{tracked}\n\n![图](/api/v1/gazette/attachments/1)")
    page = await client.get(f"/d/{document}")
    assert page.status_code == 200
    assert_page_headers(page)
    assert policy(page)["img-src"] == "'self'" and "script-src" not in policy(page)
    assert "tracker.example" not in page.text and 'src="/api/v1/gazette/attachments/1"' in page.text
    detail = (await client.get(f"/api/v1/gazette/documents/{document}")).json()
    assert "tracker.example" not in detail["body_html"]
    images = [n for n in detail["body_nodes"] if n.get("name") == "img"] or [
        c for n in detail["body_nodes"] for c in n.get("children", []) if c.get("name") == "img"]
    assert [i["attrs"]["src"] for i in images] == ["https://bianmin.example.gov.cn/api/v1/gazette/attachments/1"]
    missing = await client.get("/d/999999")
    assert missing.status_code == 404
    assert_page_headers(missing)


async def test_the_docs_page_allows_only_its_own_scripts(client):
    page = await client.get("/docs")
    assert_page_headers(page)
    csp = policy(page)
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert csp["script-src"] == f"'self' 'sha256-{digest}'"
    assert csp["connect-src"] == "'self'"


async def test_api_answers_are_not_sniffed(client):
    for response in (await client.get("/api/v1/gazette/topics"), await client.get("/api/v1/nothing-here"),
                     await client.get("/healthz")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-type"].startswith("application/json")


async def test_attachment_names_lose_characters_that_spoof_them(client):
    document = await published("关于公布办事指南的通知")
    editor = await client.login_staff(role="editor")
    # "办事指南\u202Efdp.exe" displays as "办事指南exe.pdf"; the file really is a PDF, the name must say so.
    spoofed = "办事指南\u202egpj\u2066.\u200fpdf"
    answer = await client.post(f"/api/v1/gazette/documents/{document}/attachments",
                               files={"file": (spoofed, PDF, "application/octet-stream")}, headers=editor)
    assert answer.status_code == 201, answer.text
    assert answer.json()["filename"] == "办事指南gpj.pdf"
    download = await client.get(answer.json()["url"])
    assert "%E2%80%AE" not in download.headers["content-disposition"]


async def test_signed_in_answers_are_not_stored_by_any_cache(client):
    """A resident's own data (profile, bookings, letters) must not be kept by a proxy or the device's HTTP cache;
    answers that choose their caching (ETags, public gazette) keep their own."""
    resident = await client.login_dev()
    for path in ("/api/v1/me", "/api/v1/me/bookings", "/api/v1/nothing-here"):
        response = await client.get(path, headers=resident)
        assert response.headers["cache-control"] == "private, no-store", path
    anonymous = await client.get("/api/v1/gazette/topics")
    assert "no-store" not in anonymous.headers.get("cache-control", "")
