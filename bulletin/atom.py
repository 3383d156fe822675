"""Atom 1.0 feeds (RFC 4287) of published gazette documents, built with xml.etree.

The feed carries what RFC 4287 requires (id, title, updated; an author on the feed or on
every entry; a rel="self" link as section 4.2.7 recommends) plus the alternate HTML page,
and each entry carries id, title, updated, published, an alternate link and a summary.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 forbids even when escaped; pasted Word text sometimes carries them.
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AUTHORITY_RE = re.compile(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}|[^@\s]+@[A-Za-z0-9.-]+")


@dataclass(frozen=True, slots=True)
class AtomEntry:
    """One feed entry; id is a tag: URI or a URL that never changes for the document."""

    id: str
    title: str
    link: str
    updated: datetime
    published: datetime
    summary: str
    author: str | None = None


def tag_uri(*, authority: str, minted_on: date, specific: str) -> str:
    """A tag: URI (RFC 4151), e.g. tag:gov.example.cn,2024-01-01:gazette/document/42."""
    if not _AUTHORITY_RE.fullmatch(authority):
        raise ValueError(f"tag authority must be a domain name or an e-mail address: {authority!r}")
    return f"tag:{authority},{minted_on.isoformat()}:{quote(specific, safe='/?:@!$&()*+,;=-._~')}"


def build_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str,
    entries: Sequence[AtomEntry],
    updated: datetime | None = None,
    author: str | None = None,
    subtitle: str | None = None,
) -> bytes:
    """The feed as UTF-8 XML bytes; updated defaults to the newest entry's updated time."""
    if author is None and not all(e.author for e in entries):
        raise ValueError("Atom needs a feed author unless every entry has one (RFC 4287 4.1.1)")
    newest = max((e.updated for e in entries), default=None)
    stamp = updated or newest
    if stamp is None:
        raise ValueError("an empty feed needs an explicit updated time")
    # Unqualified names under a literal xmlns keep the Atom namespace the default one without
    # ET.register_namespace, which would change serialisation for the whole process.
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "zh-CN"})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    if subtitle:
        _text(feed, "subtitle", subtitle)
    _text(feed, "updated", rfc3339(stamp))
    _link(feed, self_url, rel="self", media_type="application/atom+xml")
    _link(feed, alternate_url, rel="alternate", media_type="text/html")
    if author:
        _author(feed, author)
    for entry in entries:
        _entry(feed, entry)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _entry(feed: ET.Element, entry: AtomEntry) -> None:
    element = ET.SubElement(feed, "entry")
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _text(element, "updated", rfc3339(entry.updated))
    _text(element, "published", rfc3339(entry.published))
    _link(element, entry.link, rel="alternate", media_type="text/html")
    _text(element, "summary", entry.summary)
    if entry.author:
        _author(element, entry.author)


def rfc3339(moment: datetime) -> str:
    """An RFC 3339 date-time as Atom requires; refuses a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Atom dates need a timezone; got a naive datetime")
    return moment.isoformat(timespec="seconds")


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, name).text = _XML_INVALID_RE.sub("", value)


def _link(parent: ET.Element, href: str, *, rel: str, media_type: str) -> None:
    attributes = {"rel": rel, "type": media_type, "href": _XML_INVALID_RE.sub("", href)}
    ET.SubElement(parent, "link", attributes)


def _author(parent: ET.Element, name: str) -> None:
    _text(ET.SubElement(parent, "author"), "name", name)
