"""The public face of the gazette: QR and mini-program codes, the Atom feed, reading pages."""

from __future__ import annotations

import asyncio
import base64
import io
import logging
from datetime import datetime
from urllib.parse import urlsplit

import qrcode
from redis.exceptions import RedisError

from bulletin import errors, present, repository
from bulletin.atom import AtomEntry, build_feed, tag_uri
from bulletin.service_reading import visible_document
from bulletin.tables import Document
from server import clock, config, storage, wechat
from server.auth import CurrentUser

log = logging.getLogger("bianmin.bulletin.public")
FEED_SIZE = 50
MINIPROGRAM_PAGE = "pages/gazette/reader/reader"
WXACODE_TTL_S = 30 * 86400
FEED_TITLE = "政府公报"


def _render_qr(url: str) -> bytes:
    image = qrcode.make(url, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def qr_png(document_id: int, *, user: CurrentUser | None) -> bytes:
    """GET /documents/{id}/qr.png: a QR code of the document's reading page (/d/{id})."""
    document = await visible_document(document_id, user)
    return await asyncio.to_thread(_render_qr, present.public_url(document.id))


async def wxacode(document_id: int, *, user: CurrentUser | None) -> bytes:
    """GET /documents/{id}/wxacode.png: the mini-program code opening the reader, cached in Redis."""
    document = await visible_document(document_id, user)
    key = storage.key("gazette", "wxacode", document.id)
    try:
        cached = await storage.redis().get(key)
    except RedisError:
        cached = None
    if cached:
        return base64.b64decode(cached)
    try:
        image = await wechat.client().wxacode_unlimited(scene=f"d={document.id}", page=MINIPROGRAM_PAGE)
    except (wechat.WeChatError, wechat.WeChatUnavailable) as exc:
        log.warning("wxacode for document %s failed: %s", document.id, exc)
        raise errors.MiniProgramCodeUnavailable(details={"document_id": document.id}) from None
    try:
        await storage.redis().set(key, base64.b64encode(image).decode("ascii"), ex=WXACODE_TTL_S)
    except RedisError:
        pass
    return image


def image_type(data: bytes) -> str:
    """The media type of a PNG or JPEG image (WeChat answers either)."""
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def _document_id_uri(document: Document) -> str:
    host = urlsplit(config.current().public_base_url).hostname or ""
    minted = document.published_on or clock.today()
    try:
        return tag_uri(authority=host, minted_on=minted, specific=f"gazette/document/{document.id}")
    except ValueError:
        return present.public_url(document.id)  # an IP address or localhost: the stable URL will do


def _published(document: Document) -> datetime:
    moment = present.published_moment(document)
    assert moment is not None  # the feed lists published documents only
    return moment


def _updated(document: Document) -> datetime:
    """Its last correction after publication, else its publication."""
    published = _published(document)
    return max(document.corrected_at, published) if document.corrected_at else published


async def atom_feed() -> bytes:
    """GET /gazette/feed.xml: the newest published documents as Atom 1.0."""
    documents = await Document.filter(status="published").order_by("-published_on", "-id").limit(FEED_SIZE)
    agencies = await repository.agencies_by_id()
    base = config.current().public_base_url
    entries = [
        AtomEntry(id=_document_id_uri(d), title=d.title, link=present.public_url(d.id),
                  updated=_updated(d), published=_published(d),
                  summary=d.summary or d.body_text[:200], author=agencies[d.agency_id].name)
        for d in documents
    ]
    return build_feed(feed_id=f"{base}/gazette/feed.xml", title=FEED_TITLE, self_url=f"{base}/gazette/feed.xml",
                      alternate_url=f"{base}/", entries=entries, updated=None if entries else clock.now(),
                      author="政府公报编辑部", subtitle="最新发布的政府文件与政策解读")
