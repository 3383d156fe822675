"""Seeding feeds through the service layer: residents, subscriptions, published documents, the worker."""

from __future__ import annotations

import dataclasses
from typing import Any

from bulletin import service_editing
from bulletin.feeds.service_subscriptions import Owner, create_subscription
from bulletin.feeds.tables import Entry, FeedItem
from server import accounts, config
from server.config import Template
from server.outbox import Dispatcher
from server.worker import collect_jobs

FEED_TOPICS = ("gazette.published", "gazette.withdrawn", "gazette.corrected", "feeds.notice_published",
               "feeds.notice_withdrawn", "feeds.backfill", "feeds.digest")
DOC_TEMPLATE = "tmpl-doc"


async def resident(wx: Any, openid: str) -> int:
    """A resident logged in through (fake) WeChat, so that messages can reach them; returns the user id."""
    result = await accounts.login_wechat(wx.login_code(openid=openid))
    return int(result["user"]["id"])


async def subscribe(user_id: int, frequency: str = "immediate", **criteria: list[str]) -> dict[str, Any]:
    """A personal subscription with these criteria."""
    return await create_subscription(Owner(user_id=user_id), criteria=criteria, frequency=frequency)


async def publish(title: str, *, body: str = "", notify: bool = True, **fields: Any) -> int:
    """A published gazette document (by 罗湖区教育局 unless told otherwise), dated the day it is published
    unless ``published_on`` says otherwise; returns its id."""
    values: dict[str, Any] = {"title": title, "agency": "lhjyj", "doc_type": "notice", "body": body,
                              "body_format": "markdown", "kind": "document", "validity": "valid", "summary": ""}
    values.update(fields)
    created = await service_editing.create_document(values, editor_id=None)
    await service_editing.publish_document(int(created["id"]), notify=notify)
    return int(created["id"])


async def run_feeds() -> int:
    """Run the feeds' outbox handlers until nothing is due (messages stay queued, unsent)."""
    handlers = {t: h for t, h in collect_jobs().handlers.items() if t in FEED_TOPICS}
    return await _drain(Dispatcher(handlers, worker_id="feeds-test"))


async def run_all() -> int:
    """Run every outbox handler (including sending WeChat messages) until nothing is due."""
    return await _drain(Dispatcher(collect_jobs().handlers, worker_id="all-test"))


async def _drain(dispatcher: Dispatcher) -> int:
    handled = 0
    while batch := await dispatcher.run_once():
        handled += batch
    return handled


async def feed_users(item_ref: int, kind: str = "document") -> set[int]:
    """Accounts whose feed holds the item."""
    item = await FeedItem.get_or_none(kind=kind, ref_id=item_ref)
    return set(await Entry.filter(item_id=item.id).values_list("user_id", flat=True)) if item else set()


def with_document_template(settings: Any, *, kind: str = "long_term", rate: int | None = None) -> None:
    """Install settings with the document_published template (and a send rate)."""
    changes: dict[str, Any] = {"wechat_templates": {
        "document_published": Template("document_published", DOC_TEMPLATE, kind)}}
    if rate is not None:
        changes["push_rate"] = rate
    config.install(dataclasses.replace(settings, **changes))
