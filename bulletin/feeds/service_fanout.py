"""Publish-time fan-out: index a new document or notice, match subscriber lists, deliver per account.

One outbox event per published item ("gazette.published" from the gazette, "feeds.notice_published"
from notices). The handler records the item, matches lists with one statement over the term
index, then walks the matched accounts in id order, BATCH at a time. Each batch is one
transaction holding the item's row lock: the feed entries (INSERT ... SELECT ... ON CONFLICT
DO NOTHING, unique per account and item), the push messages of immediate subscribers (one per
account and item, by dedup key) and the cursor move together. A worker killed mid-fan-out
loses at most an uncommitted batch; the outbox hands the event to a worker again when the
lease runs out, and it resumes at the cursor: every account gets exactly one entry and at
most one message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from bulletin import service_reading as gazette
from bulletin.feeds import digest, repository
from bulletin.feeds.model import RANK, ItemFacts, probes
from bulletin.feeds.tables import Entry, FanOut, FeedItem, Notice
from bulletin.text import keyword_tokens
from server import clock, config, notify, outbox, storage
from server.tables import OutboxMessage

log = logging.getLogger("bianmin.feeds.fanout")
BATCH = 5000
PURPOSE = "document_published"
NOTICE_PUBLISHED = "feeds.notice_published"
NOTICE_WITHDRAWN = "feeds.notice_withdrawn"
PAGES = {"document": "pages/gazette/reader/reader?id={}", "notice": "pages/notices/detail?id={}",
         "booking": "pages/booking/detail?id={}"}


def group_of(item_id: int) -> str:
    """The outbox group of an item's pending messages (cancelled when it is withdrawn)."""
    return f"feed-item:{item_id}"


def page_of(kind: str, ref_id: int) -> str:
    """The mini-program page that opens a feed item."""
    return PAGES.get(kind, "pages/feed/index").format(ref_id)


async def source_of(kind: str, ref_id: int) -> dict[str, Any] | None:
    """What the item's owner says about it now: status, title, text, facts (None when it is gone)."""
    if kind == "document":
        found = await gazette.documents_for_feeds([ref_id])
        if not found:
            return None
        d = found[0]
        facts = ItemFacts.build(topic=d["topic"], agency=d["agency"], doc_type=d["doc_type"],
                                disclosure=d["disclosure"], divisions=d["divisions"],
                                industries=d["industries"], sizes=d["sizes"])
        return {"status": d["status"], "title": d["title"], "summary": d["summary"], "source": d["agency_name"],
                "text": "\n".join((d["title"], d["summary"], d["body_text"])), "facts": facts,
                "published_at": d["published_at"]}
    notice = await Notice.get_or_none(id=ref_id)
    if notice is None:
        return None
    return {"status": notice.status, "title": notice.title, "summary": notice.body[:120],
            "source": notice.source, "text": f"{notice.title}\n{notice.body}",
            "facts": ItemFacts.from_dict(notice.facts), "published_at": notice.published_at}


async def audience(kind: str, ref_id: int) -> dict[str, int]:
    """Before publishing: how many accounts the item would reach ({accounts, immediate}), by the
    matching publication uses (its tags and the stored keywords its text contains)."""
    source = await source_of(kind, ref_id)
    if source is None:
        return {"accounts": 0, "immediate": 0}
    tokens = await asyncio.to_thread(keyword_tokens, source["text"])
    keywords = await repository.keywords_matching(tokens)
    return await repository.audience(probes(source["facts"], keywords))


async def on_published(message: OutboxMessage) -> None:
    """Outbox handler of "gazette.published" and "feeds.notice_published"."""
    kind, ref_id = str(message.payload["kind"]), int(message.payload["id"])
    source = await source_of("notice" if kind == "notice" else "document", ref_id)
    if source is None or source["status"] != "published":
        return  # withdrawn (or gone) before the fan-out started: nobody hears of it
    item_id = await index_item("notice" if kind == "notice" else "document", ref_id, source,
                               notify=message.payload.get("notify", True) is not False)
    await fan_out(item_id)


async def on_corrected(message: OutboxMessage) -> None:
    """Outbox handler of "gazette.corrected": an editor corrected a published document.

    The feed item takes the new title, summary and tags; subscriptions it matches only now get it
    (and an immediate message, as for a new publication: for them it is new); everyone who had it
    keeps it and is not messaged again. A document not fanned out yet needs nothing: its
    publication event reads the corrected document.
    """
    kind = "notice" if message.payload["kind"] == "notice" else "document"
    ref_id = int(message.payload["id"])
    source = await source_of(kind, ref_id)
    item = await FeedItem.get_or_none(kind=kind, ref_id=ref_id)
    if source is None or source["status"] != "published" or item is None or item.status != "published":
        return
    if await refresh_item(item, source):
        await fan_out(item.id)


async def refresh_item(item: FeedItem, source: dict[str, Any]) -> int:
    """Take a corrected source's text and tags; returns how many lists the item matches only now
    (when some do, its fan-out runs again over everyone: existing entries and messages are kept)."""
    tokens = await asyncio.to_thread(keyword_tokens, source["text"])
    facts: ItemFacts = source["facts"]
    async with storage.transaction() as conn:
        await FeedItem.filter(id=item.id).using_db(conn).update(**_item_values(source, tokens))
        keywords = await repository.keywords_matching(tokens, conn=conn)
        added = await repository.match_lists(item.id, probes(facts, keywords), conn=conn)
        if added:
            await FanOut.filter(item_id=item.id).using_db(conn).update(done=False, cursor=0, started_at=clock.now(),
                                                                       finished_at=None)
    return added


async def index_item(kind: str, ref_id: int, source: dict[str, Any], *, notify: bool) -> int:
    """Record the item and the lists it matches (idempotent: a resumed event changes nothing)."""
    tokens = await asyncio.to_thread(keyword_tokens, source["text"])
    facts: ItemFacts = source["facts"]
    async with storage.transaction() as conn:
        item, _ = await FeedItem.get_or_create(
            kind=kind, ref_id=ref_id, using_db=conn,
            defaults={**_item_values(source, tokens), "notify": notify,
                      "published_at": source["published_at"] or clock.now(), "created_at": clock.now()})
        if item.status == "withdrawn":  # published again: back into feeds, delivered afresh
            await _republish(item, source, conn=conn)
        keywords = await repository.keywords_matching(tokens, conn=conn)
        await repository.match_lists(item.id, probes(facts, keywords), conn=conn)
        await FanOut.bulk_create([FanOut(item_id=item.id, started_at=clock.now())], ignore_conflicts=True,
                                 using_db=conn)
    return item.id


async def _republish(item: FeedItem, source: dict[str, Any], *, conn: Any) -> None:
    """Reset a withdrawn item for its new publication. People already messaged about it are not
    messaged again: the push dedup key is per account and item."""
    await FeedItem.filter(id=item.id).using_db(conn).update(
        status="published", title=source["title"][:300], summary=(source["summary"] or "")[:300])
    await FanOut.filter(item_id=item.id).using_db(conn).update(done=False, cursor=0, delivered=0,
                                                               started_at=clock.now(), finished_at=None)


def _item_values(source: dict[str, Any], tokens: Iterable[str]) -> dict[str, Any]:
    """A feed item's columns taken from its source (on publication, and again on a correction)."""
    facts: ItemFacts = source["facts"]
    return {"title": source["title"][:300], "summary": (source["summary"] or "")[:300],
            "source": source["source"][:64], "facts": facts.as_dict(), "words": " ".join(sorted(tokens)),
            "topic": facts.topic, "industries": _framed(facts.industries), "sizes": _framed(facts.sizes),
            "targeted": bool(facts.industries or facts.sizes)}


def _framed(values: Sequence[str]) -> str:
    # ",C,F," so that LIKE '%,F,%' finds one value without matching a prefix of another.
    return f",{','.join(values)}," if values else ""


async def fan_out(item_id: int, *, batch: int | None = None) -> int:
    """Deliver an indexed item to every matched account, a batch per transaction; returns batches run.

    The matched accounts are read once, in id order, from the cursor on (one sort, not one per
    batch); each batch then commits its entries, messages and the cursor together.
    """
    progress = await FanOut.get_or_none(item_id=item_id)
    if progress is None or progress.done:
        return 0
    recipients = await repository.recipients(item_id, after=progress.cursor)
    size, batches = batch or BATCH, 0
    for start in range(0, len(recipients), size):
        if not await _deliver(item_id, recipients[start:start + size]):
            return batches
        batches += 1
    delivered = await Entry.filter(item_id=item_id).count()
    await FanOut.filter(item_id=item_id, done=False).update(done=True, delivered=delivered, finished_at=clock.now())
    return batches


async def _deliver(item_id: int, recipients: Sequence[tuple[int, int]]) -> bool:
    """One batch in one transaction under the item's row lock; False when the fan-out must stop."""
    async with storage.transaction() as conn:
        item = await FeedItem.filter(id=item_id).select_for_update().using_db(conn).first()
        progress = await FanOut.filter(item_id=item_id).using_db(conn).first()
        if item is None or progress is None or progress.done or item.status != "published":
            return False
        # Another worker holding the same event (its lease ran out) may have done part of this batch.
        batch = [(user, rank) for user, rank in recipients if user > progress.cursor]
        if not batch:
            return True
        await repository.insert_entries(item, batch, conn=conn)
        if item.notify:
            await _push(item, [user for user, rank in batch if rank == RANK["immediate"]], conn=conn)
        await FanOut.filter(item_id=item_id).using_db(conn).update(cursor=batch[-1][0])
    return True


async def _push(item: FeedItem, user_ids: Sequence[int], *, conn: BaseDBAsyncClient) -> None:
    data = digest.item_message(title=item.title, source=item.source, published_at=item.published_at,
                               zone=config.current().tz)
    page = page_of(item.kind, item.ref_id)
    messages = [
        outbox.NewMessage(notify.TOPIC, {"user_id": user_id, "purpose": PURPOSE, "data": data, "page": page},
                          dedup_key=f"feed:{item.id}:{user_id}", group=group_of(item.id))
        for user_id in user_ids
    ]
    await outbox.enqueue_many(messages, using_db=conn)


async def on_withdrawn(message: OutboxMessage) -> None:
    """Outbox handler of "gazette.withdrawn" and "feeds.notice_withdrawn": out of every feed."""
    kind = "notice" if message.payload["kind"] == "notice" else "document"
    await withdraw_item(kind, int(message.payload["id"]))


async def withdraw_item(kind: str, ref_id: int) -> int:
    """Take an item out of every feed and cancel its unsent messages; returns entries removed."""
    async with storage.transaction() as conn:
        item = await FeedItem.filter(kind=kind, ref_id=ref_id).select_for_update().using_db(conn).first()
        if item is None:
            return 0
        await FeedItem.filter(id=item.id).using_db(conn).update(status="withdrawn")
        removed = await Entry.filter(item_id=item.id).using_db(conn).delete()
        await outbox.cancel_group(group_of(item.id), using_db=conn)
        await FanOut.filter(item_id=item.id).using_db(conn).update(done=True, finished_at=clock.now())
    log.info("feed item %s (%s %s) withdrawn from %d feeds", item.id, kind, ref_id, removed)
    return removed
