"""The server-rendered reading pages: escaping, Open Graph, links, the 已撤回 page."""

from datetime import UTC, date, datetime

from bulletin.pages import document_page, not_found_page, withdrawn_page

VIEW = {
    "id": 7, "title": "关于<script>的通知", "summary": "摘要 & 说明", "agency": {"value": "a", "label": "罗湖区民政局"},
    "doc_number": "罗民〔2024〕3号", "index_number": "IDX-1", "written_on": date(2024, 5, 1),
    "published_on": date(2024, 5, 6), "topic": {"value": "education", "label": "教育"},
    "validity": {"value": "valid", "label": "有效"}, "body_html": "<p>正文</p>",
    "attachments": [{"url": "/api/v1/gazette/attachments/3", "filename": "表.pdf"}],
    "interpretations": [{"id": 9, "title": "解读"}], "interprets": [],
}


def test_document_page_escapes_everything_but_the_sanitised_body() -> None:
    html = document_page(VIEW, url="https://x.example/d/7")
    assert "<title>关于&lt;script&gt;的通知 - 政府公报</title>" in html
    assert '<meta property="og:description" content="摘要 &amp; 说明">' in html
    assert "<p>正文</p>" in html and "<script>" not in html
    assert '<a href="/d/9">解读</a>' in html and '<a href="/api/v1/gazette/attachments/3">表.pdf</a>' in html
    assert "<th>发布日期</th><td>2024-05-06</td>" in html


def test_withdrawn_page_says_so_with_the_reason_and_no_body() -> None:
    html = withdrawn_page({"title": "旧通知", "withdrawn_at": datetime(2024, 6, 1, 8, tzinfo=UTC),
                           "withdrawn_reason": "已被<新文件>替代"}, url="https://x.example/d/7")
    assert "已撤回" in html and "2024-06-01" in html and "已被&lt;新文件&gt;替代" in html
    assert "<title>已撤回：旧通知 - 政府公报</title>" in html


def test_not_found_page() -> None:
    assert "文件不存在" in not_found_page()
