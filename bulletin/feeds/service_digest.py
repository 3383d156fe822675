"""Daily and weekly digests (每日/每周摘要): one message per account at 08:30 local time.

The worker's daily job at 08:30 queues one "feeds.digest" event for the day (deduplicated by
day); its handler walks the accounts with entries waiting for a digest, a batch at a time.
Per batch, in one transaction: a digest row per account (unique per account and day), its
push message (deduplicated per account and day) and the entries marked as digested. A
digest covers the entries created before 08:30 of its day; the rest wait for the next one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from bulletin.feeds import digest
from bulletin.feeds.service_fanout import PURPOSE
from bulletin.feeds.tables import Digest, Entry, FeedItem
from server import clock, config, notify, outbox, storage
from server.tables import OutboxMessage

DIGEST_TOPIC = "feeds.digest"
ACCOUNTS_PER_BATCH = 500
DIGEST_PAGE = "pages/feed/index"


async def queue_today() -> None:
    """Periodic job (08:30 local): queue today's digest run once, whichever worker gets here first."""
    day = clock.today()
    await outbox.enqueue(DIGEST_TOPIC, {"day": day.isoformat()}, dedup_key=f"{DIGEST_TOPIC}:{day.isoformat()}")


async def on_digest(message: OutboxMessage) -> None:
    """Outbox handler of "feeds.digest" {day}."""
    await send_digests(date.fromisoformat(str(message.payload["day"])))


async def send_digests(day: date) -> int:
    """Assemble and queue the digests of a local day; returns how many accounts got one."""
    zone = config.current().tz
    channels, until = list(digest.channels_due(day)), digest.cutoff(day, zone)
    total = 0
    while True:
        async with storage.transaction() as conn:
            users = await (Entry.filter(pending_digest__in=channels, created_at__lt=until).using_db(conn)
                           .order_by("user_id").distinct().limit(ACCOUNTS_PER_BATCH).values_list("user_id", flat=True))
            if not users:
                return total
            entries = await (Entry.filter(user_id__in=list(users), pending_digest__in=channels,
                                          created_at__lt=until).using_db(conn))
            titles = dict(await FeedItem.filter(id__in={e.item_id for e in entries}).using_db(conn)
                          .values_list("id", "title"))
            per_user: dict[int, list[digest.DigestItem]] = defaultdict(list)
            for entry in entries:
                per_user[entry.user_id].append(digest.DigestItem(entry.item_id, titles[entry.item_id],
                                                                 entry.published_at, entry.pending_digest or 0))
            await _record(day, per_user, conn=conn)
            await Entry.filter(id__in=[e.id for e in entries]).using_db(conn).update(pending_digest=None)
            total += len(per_user)


async def _record(day: date, per_user: dict[int, list[digest.DigestItem]], *, conn: Any) -> None:
    period, now, zone = digest.period_key(day), clock.now(), config.current().tz
    rows = [Digest(user_id=user_id, period=period, created_at=now,
                   item_ids=[i.item_id for i in digest.ordered(items)]) for user_id, items in per_user.items()]
    await Digest.bulk_create(rows, ignore_conflicts=True, using_db=conn)
    messages = [
        outbox.NewMessage(notify.TOPIC, {"user_id": user_id, "purpose": PURPOSE, "page": DIGEST_PAGE,
                                         "data": digest.digest_message(items, now=now, zone=zone)},
                          dedup_key=f"feed-digest:{user_id}:{period}")
        for user_id, items in per_user.items()
    ]
    await outbox.enqueue_many(messages, using_db=conn)


async def digests_of(user_id: int, *, limit: int = 10) -> list[dict[str, Any]]:
    """An account's latest digests with the items they listed (newest first)."""
    rows = await Digest.filter(user_id=user_id).order_by("-created_at", "-id").limit(limit)
    return [{"id": r.id, "period": r.period, "item_ids": list(r.item_ids), "created_at": r.created_at} for r in rows]
