"""Server-rendered reading pages (/d/{id}): the target of the QR codes on paper notices.

Plain HTML with inline CSS so a phone renders it on a slow network without any script.
Every value is escaped except the body, which was sanitised by bulletin.html when saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from html import escape
from typing import Any

SITE_NAME = "政府公报"
_STYLE = """
body{margin:0;font:16px/1.75 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f6f6f6}
main{max-width:46rem;margin:0 auto;padding:1rem 1.1rem 3rem;background:#fff}
h1{font-size:1.35rem;line-height:1.5;margin:.5rem 0 1rem;text-align:center}
.meta{font-size:.85rem;color:#555;border:1px solid #e3e3e3;border-collapse:collapse;width:100%;margin-bottom:1rem}
.meta th,.meta td{border:1px solid #e3e3e3;padding:.3rem .5rem;text-align:left;vertical-align:top}
.meta th{white-space:nowrap;background:#fafafa;font-weight:normal}
.body img{max-width:100%;height:auto}.body table{border-collapse:collapse;max-width:100%;overflow-x:auto;display:block}
.body td,.body th{border:1px solid #ccc;padding:.2rem .4rem}
section.links{margin-top:2rem;border-top:1px solid #eee;padding-top:.5rem}
.notice{margin:3rem 0;padding:1.5rem;border:2px solid #c62828;color:#c62828;text-align:center;font-size:1.1rem}
a{color:#0b57d0}
"""


def _fmt(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _page(*, title: str, head: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(title)}</title>{head}<style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _og(properties: Mapping[str, str]) -> str:
    return "".join(f'<meta property="{escape(k)}" content="{escape(v)}">' for k, v in properties.items() if v)


def _links(heading: str, items: Sequence[Mapping[str, Any]]) -> str:
    if not items:
        return ""
    entries = "".join(f'<li><a href="/d/{int(i["id"])}">{escape(i["title"])}</a></li>' for i in items)
    return f"<section class=\"links\"><h2>{escape(heading)}</h2><ul>{entries}</ul></section>"


def _meta_table(view: Mapping[str, Any]) -> str:
    rows = [
        ("索引号", view.get("index_number")), ("发布机构", view["agency"]["label"]),
        ("文号", view.get("doc_number")), ("成文日期", _fmt(view.get("written_on"))),
        ("发布日期", _fmt(view.get("published_on"))),
        ("主题分类", (view.get("topic") or {}).get("label")),
        ("有效性", (view.get("validity") or {}).get("label")),
    ]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows if v)
    return f"<table class=\"meta\">{cells}</table>"


def document_page(view: Mapping[str, Any], *, url: str) -> str:
    """The reading page of a published document."""
    description = view.get("summary") or ""
    head = _og({"og:type": "article", "og:site_name": SITE_NAME, "og:title": view["title"],
                "og:description": description, "og:url": url})
    head += f'<meta name="description" content="{escape(description)}"><link rel="canonical" href="{escape(url)}">'
    attachments = "".join(
        f'<li><a href="{escape(a["url"])}">{escape(a["filename"])}</a></li>' for a in view.get("attachments", []))
    body = (
        f"<h1>{escape(view['title'])}</h1>{_meta_table(view)}"
        f"<article class=\"body\">{view.get('body_html') or ''}</article>"
        + (f"<section class=\"links\"><h2>附件</h2><ul>{attachments}</ul></section>" if attachments else "")
        + _links("政策解读", view.get("interpretations", []))
        + _links("解读的文件", view.get("interprets", []))
    )
    return _page(title=f"{view['title']} - {SITE_NAME}", head=head, body=body)


def withdrawn_page(view: Mapping[str, Any], *, url: str) -> str:
    """The page a withdrawn document leaves behind: its title and a clear 已撤回 notice."""
    head = _og({"og:type": "article", "og:site_name": SITE_NAME, "og:title": f"已撤回：{view['title']}",
                "og:description": "该文件已撤回", "og:url": url})
    reason = view.get("withdrawn_reason")
    body = (
        f"<h1>{escape(view['title'])}</h1>"
        f"<div class=\"notice\"><strong>已撤回</strong><p>该文件已于 {escape(_fmt(view.get('withdrawn_at')))} 撤回，"
        "不再有效，请勿依据本文件办理。</p>"
        + (f"<p>撤回原因：{escape(reason)}</p>" if reason else "")
        + "</div>"
    )
    return _page(title=f"已撤回：{view['title']} - {SITE_NAME}", head=head, body=body)


def not_found_page() -> str:
    """What /d/{id} shows for a document that does not exist or is not published."""
    return _page(title=f"文件不存在 - {SITE_NAME}", head="",
                 body="<h1>文件不存在</h1><p>您访问的文件不存在或尚未发布。</p>")
