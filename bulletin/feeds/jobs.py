"""The worker's part of feeds: fan-out, withdrawal, backfill and digest handlers, daily jobs."""

from __future__ import annotations

from datetime import time, timedelta

from tortoise.expressions import Subquery

from bulletin.feeds import (
    service_backfill,
    service_digest,
    service_enterprise_review,
    service_fanout,
)
from bulletin.feeds.digest import DIGEST_AT
from bulletin.feeds.service_subscriptions import BACKFILL_TOPIC
from bulletin.feeds.tables import FeedItem, ItemList, Subscription
from bulletin.service_editing import CORRECTED_TOPIC, PUBLISHED_TOPIC, WITHDRAWN_TOPIC
from server import clock
from server.worker import Jobs

CLEANUP_AT = time(3, 30)


def register(jobs: Jobs) -> None:
    """Outbox topics and periodic jobs of feeds."""
    jobs.handler(PUBLISHED_TOPIC, service_fanout.on_published)
    jobs.handler(service_fanout.NOTICE_PUBLISHED, service_fanout.on_published)
    jobs.handler(WITHDRAWN_TOPIC, service_fanout.on_withdrawn)
    jobs.handler(CORRECTED_TOPIC, service_fanout.on_corrected)
    jobs.handler(service_fanout.NOTICE_WITHDRAWN, service_fanout.on_withdrawn)
    jobs.handler(BACKFILL_TOPIC, service_backfill.on_backfill)
    jobs.handler(service_digest.DIGEST_TOPIC, service_digest.on_digest)
    jobs.daily("feeds.digest", DIGEST_AT, service_digest.queue_today)
    jobs.daily("feeds.cleanup", CLEANUP_AT, cleanup)
    jobs.every("feeds.expire_registrations", timedelta(hours=1), service_enterprise_review.expire_registrations)


async def cleanup() -> dict[str, int]:
    """Nightly: forget keyword tokens past the backfill window, and links of lists nobody follows.

    Lists themselves stay (they are small and shared); a list followed again is re-linked to
    recent items by the new subscription's backfill.
    """
    cutoff = clock.now() - service_backfill.WINDOW
    words = await FeedItem.filter(published_at__lt=cutoff, words__isnull=False).update(words=None)
    followed = Subquery(Subscription.all().distinct().values("list_id"))
    old_items = Subquery(FeedItem.filter(published_at__lt=cutoff).values("id"))
    links = await ItemList.filter(item_id__in=old_items).exclude(list_id__in=followed).delete()
    return {"words_dropped": words, "links_dropped": links}
