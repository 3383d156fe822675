"""Backfill: a new or changed subscription shows the matching items of the last 90 days.

Items published before a list existed were never matched against it, so the backfill
matches the recent items not yet linked to the list (the pure rule of model.matches on the
facts and keyword tokens kept with each item), links them, and gives the subscription's
readers entries for every recent item of the list. Backfilled entries send no message and
are not put in digests: they are not news, only context.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.expressions import Subquery

from bulletin.feeds import repository, sql
from bulletin.feeds.model import ItemFacts, matches
from bulletin.feeds.tables import FeedItem, ItemList, Membership, Subscription
from server import clock, storage
from server.tables import OutboxMessage

WINDOW = timedelta(days=90)
PAGE = 1000


async def on_backfill(message: OutboxMessage) -> None:
    """Outbox handler of "feeds.backfill" {subscription_id, user_id?}."""
    user_id = message.payload.get("user_id")
    await backfill(int(message.payload["subscription_id"]), only_user=int(user_id) if user_id else None)


async def backfill(subscription_id: int, *, only_user: int | None = None) -> int:
    """Link recent items to the subscription's list and fill its readers' feeds; returns items linked."""
    subscription = await Subscription.get_or_none(id=subscription_id)
    if subscription is None:
        return 0  # deleted before the worker came to it
    since = clock.now() - WINDOW
    linked = await link_recent_items(subscription.list_id, since=since)
    readers = [only_user] if only_user is not None else await readers_of(subscription)
    async with storage.transaction() as conn:
        for user_id in readers:
            await repository.execute(sql.backfill_entries(
                dialect=repository.dialect(conn), list_id=subscription.list_id, user_id=user_id, since=since,
                rank=subscription.rank, now=clock.now()), conn)
    return linked


async def readers_of(subscription: Subscription) -> list[int]:
    """Whose feeds a subscription fills: its person, or the opted-in members of its verified enterprise."""
    if subscription.user_id is not None:
        return [subscription.user_id]
    return list(await Membership.filter(enterprise_id=subscription.enterprise_id, notify=True,
                                        enterprise__status="verified").values_list("user_id", flat=True))


async def link_recent_items(list_id: int, *, since: object) -> int:
    """Match the recent published items not yet linked to a list, a page at a time."""
    criteria = (await repository.list_criteria([list_id]))[list_id]
    linked, after = 0, 0
    while True:
        rows = await (FeedItem.filter(status="published", kind__in=("document", "notice"), published_at__gte=since,
                                      id__gt=after)
                      .exclude(id__in=Subquery(ItemList.filter(list_id=list_id).values("item_id")))
                      .order_by("id").limit(PAGE).values("id", "facts", "words"))
        if not rows:
            return linked
        after = rows[-1]["id"]
        hits = [r["id"] for r in rows
                if matches(criteria, ItemFacts.from_dict(r["facts"] or {}),
                           set(r["words"].split(" ")) if r["words"] else None)]
        if hits:
            await ItemList.bulk_create([ItemList(list_id=list_id, item_id=i) for i in hits], ignore_conflicts=True)
            linked += len(hits)
