"""Sanitising hostile bodies, Markdown, rich-text nodes for the mini-program, plain text."""

import re

import pytest

from bulletin.html import (
    body_to_html,
    markdown_to_html,
    plain_text,
    sanitize_html,
    to_rich_text_nodes,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="https://example.com/a.png" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<form action="https://evil.example"><input name="pwd"></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div onmouseover="alert(1)">x</div>',
    "<!--<script>alert(1)</script>-->",
    '<style>body{display:none}</style>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<p><a href="https://ok.example" onclick="alert(1)" target="_blank">ok</a></p>',
]
FORBIDDEN = re.compile(
    r"<script|<iframe|<object|<svg|<math|<form|<input|<style|<meta|<base|<div"
    r"|\son\w+=|style=|javascript:|vbscript:|data:|target=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_html_loses_everything_executable(hostile: str) -> None:
    assert not FORBIDDEN.search(sanitize_html(hostile))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_loses_everything_executable(hostile: str) -> None:
    assert not FORBIDDEN.search(markdown_to_html(f"正文\n\n{hostile}\n\n[点我]({hostile[:20]})"))


def test_markdown_javascript_and_relative_links_keep_their_text_but_not_their_target() -> None:
    html = markdown_to_html("[甲](javascript:alert(1)) [乙](/d/12) [丙](//evil.example)")
    assert "href" not in html
    assert ">甲<" in html and ">乙<" in html and ">丙<" in html


def test_allowed_structure_survives() -> None:
    source = (
        '<h2>一、总体要求</h2><p>按<strong>规定</strong>执行<em>本</em>办法<sup>1</sup>。<br>'
        '详见<a href="https://www.gov.cn/zhengce/">政策库</a>或'
        '<a href="mailto:zwgk@example.gov.cn">来信</a>。</p>'
        '<ol start="3"><li>甲</li></ol><blockquote>引文</blockquote>'
        '<img src="/api/v1/gazette/attachments/7" alt="示意图" width="640">'
    )
    assert sanitize_html(source) == (
        '<h2>一、总体要求</h2><p>按<strong>规定</strong>执行<em>本</em>办法<sup>1</sup>。<br>'
        '详见<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer">政策库</a>或'
        '<a href="mailto:zwgk@example.gov.cn" rel="noopener noreferrer">来信</a>。</p>'
        '<ol start="3"><li>甲</li></ol><blockquote>引文</blockquote>'
        '<img src="/api/v1/gazette/attachments/7" alt="示意图" width="640">'
    )


def test_images_come_only_from_the_gazettes_attachments() -> None:
    assert sanitize_html('<p><img src="mailto:a@b.cn"><img src="/local.png"></p>') == "<p></p>"
    assert sanitize_html('<p>甲<img alt=" src=">乙</p>') == "<p>甲乙</p>"
    assert sanitize_html('<img alt="a>b" src="/api/v1/gazette/attachments/12">') == (
        '<img alt="a&gt;b" src="/api/v1/gazette/attachments/12">'
    )
    # A tracking pixel or a hot-linked picture from any other host, even one shaped like our path.
    for source in ("https://x.cn/1.png", "https://bianmin.example.gov.cn/api/v1/gazette/attachments/1",
                   "//evil.example/api/v1/gazette/attachments/1", "/api/v1/gazette/attachments/1?u=2",
                   "/api/v1/gazette/attachments/../../1", "data:image/gif;base64,R0lGOD"):
        assert sanitize_html(f'<p>甲<img src="{source}">乙</p>') == "<p>甲乙</p>", source
    assert markdown_to_html("![图](https://t.example/p.gif)![表](/api/v1/gazette/attachments/3)") == (
        '<p><img alt="表" src="/api/v1/gazette/attachments/3"></p>')


def test_headings_are_kept_within_h2_to_h4() -> None:
    assert sanitize_html("<h1>标题</h1><h6>细目</h6>") == "<h2>标题</h2><h4>细目</h4>"
    assert markdown_to_html("# 标题") == "<h2>标题</h2>"


def test_markdown_tables_render_with_alignment() -> None:
    html = markdown_to_html("| 事项 | 时限 |\n|:--|--:|\n| 公租房 | 20 |\n")
    compact = re.sub(r">\s+<", "><", html)
    assert compact == (
        '<table><thead><tr><th align="left">事项</th><th align="right">时限</th></tr></thead>'
        '<tbody><tr><td align="left">公租房</td><td align="right">20</td></tr></tbody></table>'
    )


def test_body_to_html_dispatches_on_format() -> None:
    assert body_to_html("**重点**", body_format="markdown") == "<p><strong>重点</strong></p>"
    assert body_to_html("**重点**", body_format="html") == "**重点**"
    with pytest.raises(ValueError):
        body_to_html("x", body_format="docx")


def test_rich_text_nodes_mirror_the_html_tree() -> None:
    nodes = to_rich_text_nodes("<p>按<strong>规定</strong>办理</p>")
    assert nodes == [{
        "name": "p", "attrs": {}, "children": [
            {"type": "text", "text": "按"},
            {"name": "strong", "attrs": {}, "children": [{"type": "text", "text": "规定"}]},
            {"type": "text", "text": "办理"},
        ],
    }]


def test_rich_text_nodes_decode_entities() -> None:
    nodes = to_rich_text_nodes("<p>AT&amp;T &lt;通知&gt; &quot;甲&quot;&nbsp;乙</p>")
    assert nodes[0]["children"] == [{"type": "text", "text": 'AT&T <通知> "甲"\u00a0乙'}]


def test_rich_text_images_fit_the_screen() -> None:
    nodes = to_rich_text_nodes('<img src="/api/v1/gazette/attachments/5" alt="图" width="900">',
                               base="https://bianmin.example.gov.cn")
    assert nodes == [{"name": "img", "attrs": {  # the mini-program needs the full address
        "src": "https://bianmin.example.gov.cn/api/v1/gazette/attachments/5", "alt": "图", "width": "900",
        "style": "max-width:100%;height:auto;",
    }}]


def test_rich_text_drops_untrusted_markup_and_layout_whitespace() -> None:
    nodes = to_rich_text_nodes(
        '<ul>\n  <li onclick="x()">甲</li>\n</ul><script>alert(1)</script>'
        '<table><tr><td align="center" colspan="2">合计</td></tr></table>'
        '<a href="https://www.gov.cn">链接</a>'
    )
    assert nodes == [
        {"name": "ul", "attrs": {}, "children": [
            {"name": "li", "attrs": {}, "children": [{"type": "text", "text": "甲"}]},
        ]},
        {"name": "table", "attrs": {}, "children": [
            {"name": "tbody", "attrs": {}, "children": [
                {"name": "tr", "attrs": {}, "children": [
                    {"name": "td", "attrs": {"colspan": "2", "style": "text-align:center;"},
                     "children": [{"type": "text", "text": "合计"}]},
                ]},
            ]},
        ]},
        {"name": "a", "attrs": {}, "children": [{"type": "text", "text": "链接"}]},
    ]


def test_plain_text_puts_blocks_on_lines_and_joins_wrapped_chinese() -> None:
    html = (
        "<h2>一、总体要求</h2><p>深入推进\n放管服改革，&amp; 优化&nbsp;服务。</p>"
        "<script>alert(1)</script><ul><li>甲</li><li>乙</li></ul>"
        "<table><tr><td>事项</td><td>时限</td></tr></table>"
    )
    assert plain_text(html) == "一、总体要求\n深入推进放管服改革，& 优化 服务。\n甲\n乙\n事项 时限"
