"""Document bodies: sanitised HTML, Markdown, the mini-program's rich-text nodes, plain text.

Every body an editor submits goes through ``sanitize_html`` (nh3, the ammonia sanitiser)
before it is stored or shown, so readers only ever receive the safe subset below.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = frozenset({
    "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "br", "span", "sub", "sup",
    "strong", "em", "b", "i", "u", "a", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
}
_URL_PREFIXES = {"href": ("http://", "https://", "mailto:")}
# Images come only from the gazette's own attachments, by their path: no tracking pixel or hot-linked
# picture from another host loads when a resident reads a document (the pages' CSP says img-src 'self').
OWN_IMAGE = re.compile(r"/api/v1/gazette/attachments/\d{1,10}")
_NUMBER_RE = re.compile(r"\d{1,4}")
_ALIGNMENTS = frozenset({"left", "center", "right"})
_HEADING_RE = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)
# nh3 serialises attributes as name="value" with any " inside escaped, so this finds whole
# <img> tags even when a value contains ">".
_IMG_TAG_RE = re.compile(r'<img((?:\s+[\w:-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE_NAME_RE = re.compile(r'\s+([\w:-]+)="[^"]*"')


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 has already dropped schemes outside http/https/mailto; this also drops relative
    # and protocol-relative links, and every image source but an attachment of ours.
    if attribute == "src":
        return value.strip() if OWN_IMAGE.fullmatch(value.strip()) else None
    if attribute in _URL_PREFIXES:
        return value if value.strip().lower().startswith(_URL_PREFIXES[attribute]) else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if _NUMBER_RE.fullmatch(value.strip()) else None
    if attribute == "align":
        return value.lower() if value.lower() in _ALIGNMENTS else None
    return value


def sanitize_html(html: str) -> str:
    """The safe subset of html: no scripts, event handlers, styles or non-http(s) links, and images
    only from the gazette's attachments (``/api/v1/gazette/attachments/{id}``)."""
    cleaned = nh3.clean(
        _clamp_headings(html),
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        url_relative="pass_through",  # attachment paths; _filter_attribute keeps no other relative URL
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _IMG_TAG_RE.sub(_drop_image_without_source, cleaned)


def _drop_image_without_source(match: re.Match[str]) -> str:
    # An image whose source was refused would render as a broken box.
    return match[0] if "src" in _ATTRIBUTE_NAME_RE.findall(match[1]) else ""


def _clamp_headings(html: str) -> str:
    # The reading page's <h1> is the document title, so body headings start at <h2>;
    # renaming before sanitising keeps a "# 标题" heading instead of flattening it to text.
    return _HEADING_RE.sub(lambda m: f"<{m[1]}h{min(max(int(m[2]), 2), 4)}", html)


def markdown_to_html(text: str) -> str:
    """Markdown (with tables) rendered to HTML, then sanitised like any HTML body."""
    rendered = markdown_lib.markdown(
        text,
        extensions=["tables"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return sanitize_html(rendered)


def body_to_html(body: str, *, body_format: str) -> str:
    """Safe HTML for a stored body in 'markdown' or 'html' format."""
    if body_format == "markdown":
        return markdown_to_html(body)
    if body_format == "html":
        return sanitize_html(body)
    raise ValueError(f"unknown body format {body_format!r}; expected 'markdown' or 'html'")


# --- rich-text nodes --------------------------------------------------------------------

_VOID_TAGS = frozenset({"br", "img", "hr", "col", "wbr", "input", "meta", "link"})
# Attributes the mini-program's <rich-text> trusts, per tag (class and style everywhere).
_RICH_TEXT_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Whitespace between these tags is source formatting, not text a reader should see.
_CONTAINERS = frozenset({"ul", "ol", "table", "thead", "tbody", "tfoot", "tr"})
_IMG_STYLE = "max-width:100%;height:auto;"

Node = dict[str, Any]


class _NodeBuilder(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.root: list[Node] = []
        self._stack: list[tuple[str, list[Node]]] = [("", self.root)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node: Node = {"name": tag, "attrs": _rich_text_attrs(tag, dict(attrs))}
        if tag == "img" and "src" in node["attrs"]:
            node["attrs"]["src"] = self.base + node["attrs"]["src"]  # the mini-program needs a full URL
        self._stack[-1][1].append(node)
        if tag not in _VOID_TAGS:
            node["children"] = []
            self._stack.append((tag, node["children"]))

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self._stack[1:]):
            while self._stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        parent, children = self._stack[-1]
        if not data.strip() and (parent == "" or parent in _CONTAINERS):
            return
        children.append({"type": "text", "text": data})


def _rich_text_attrs(tag: str, attrs: dict[str, str | None]) -> dict[str, str]:
    allowed = _RICH_TEXT_ATTRIBUTES.get(tag, set())
    kept = {k: v for k, v in attrs.items() if k in allowed and v is not None}
    if attrs.get("align"):
        kept["style"] = f"text-align:{attrs['align']};"
    if tag == "img":
        kept["style"] = _IMG_STYLE
    return kept


def to_rich_text_nodes(html: str, *, base: str = "") -> list[Node]:
    """The body as the node array that the mini-program's <rich-text nodes> takes; image paths
    are prefixed with ``base`` (the public address)."""
    builder = _NodeBuilder(base)
    builder.feed(sanitize_html(html))
    builder.close()
    return builder.root


# --- plain text ----------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "table", "caption", "thead", "tbody", "tfoot", "tr", "pre", "hr", "br",
})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "iframe"})
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
# A line break inside Chinese running text is source wrapping: joining without a space keeps
# the sentence one CJK run for phrase search.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_WRAP_RE = re.compile(f"(?<=[{_HAN}])[ \t]*\n\\s*(?=[{_HAN}])")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(_HAN_WRAP_RE.sub("", data).replace("\n", " "))


def plain_text(html: str) -> str:
    """Readable text of an HTML body: entities decoded, one line per block, for indexing."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (_SPACES_RE.sub(" ", line).strip() for line in "".join(extractor.parts).split("\n"))
    return "\n".join(line for line in lines if line)
