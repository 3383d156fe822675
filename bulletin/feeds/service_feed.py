"""The personal homepage (市民主页): one account's feed, unread count and read marks.

A feed is the account's own table of entries (one per item), read newest first with a
keyset cursor over (published_at, item id) on an index that starts with the account: a page
costs the same at any depth. ``matched_by`` names the account's subscriptions (its own and
those of enterprises it gets messages from) whose lists the item matched. The account's
booking events are pulled from appointments when the first page or the unread count is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from appointments import service as appointments_service
from bulletin.feeds import repository
from bulletin.feeds.model import Criteria
from bulletin.feeds.service_fanout import page_of
from bulletin.feeds.tables import Account, Entry, FeedItem
from server import clock, config, paging, storage

SCOPE = "feed"
BOOKING_TITLES = {"booked": "预约成功", "cancelled": "预约已取消", "checked_in": "已签到", "serving": "正在办理",
                  "completed": "已办结", "no_show": "预约未到"}


async def feed(user_id: int, *, cursor: str | None, limit: int) -> dict[str, Any]:
    """GET /feed: documents, notices and booking events of one account, newest first."""
    before = paging.moment_and_id(cursor, scope=SCOPE)
    if before is None:
        await sync_bookings(user_id)
    rows = await repository.feed_page(user_id, before=before, limit=limit + 1)
    page = rows[:limit]
    matched = await _matched_by(user_id, [r["item_id"] for r in page])
    items = [{"id": r["item_id"], "kind": r["kind"], "title": r["title"], "summary": r["summary"],
              "source": r["source"], "published_at": r["published_at"], "read": r["read"], "ref_id": r["ref_id"],
              "page": page_of(r["kind"], r["ref_id"]), "matched_by": matched.get(r["item_id"], [])} for r in page]
    last = page[-1] if len(rows) > limit else None
    next_cursor = paging.next_cursor(last["published_at"], last["item_id"], scope=SCOPE) if last else None
    return {"items": items, "next_cursor": next_cursor}


async def _matched_by(user_id: int, item_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    if not item_ids:
        return {}
    subscriptions = await repository.account_lists(user_id)
    pairs = await repository.item_lists(item_ids, [list_id for _, list_id, _ in subscriptions])
    criteria: dict[int, Criteria] = await repository.list_criteria({lst for _, lst in pairs})
    found: dict[int, list[dict[str, Any]]] = {}
    for item_id, list_id in sorted(pairs):
        for subscription_id, sub_list, enterprise_id in subscriptions:
            if sub_list == list_id:
                found.setdefault(item_id, []).append({"subscription_id": subscription_id,
                                                      "criteria": criteria[list_id].as_dict(),
                                                      "enterprise_id": enterprise_id})
    for entries in found.values():
        entries.sort(key=lambda m: m["subscription_id"])
    return found


async def unread_count(user_id: int) -> dict[str, int]:
    """GET /feed/unread-count."""
    await sync_bookings(user_id)
    return await _unread(user_id)


async def mark_read(user_id: int, item_ids: Sequence[int]) -> dict[str, int]:
    """POST /feed/read {ids}: these items are read (ids not in the feed are ignored)."""
    changed = await Entry.filter(user_id=user_id, item_id__in=list(set(item_ids)), read=False).update(read=True)
    return {"marked": changed, **await _unread(user_id)}


async def mark_all_read(user_id: int) -> dict[str, int]:
    """POST /feed/read-all."""
    changed = await Entry.filter(user_id=user_id, read=False).update(read=True)
    return {"marked": changed, "unread": 0}


async def _unread(user_id: int) -> dict[str, int]:
    return {"unread": await Entry.filter(user_id=user_id, read=False).count()}


def _booking_title(event: dict[str, Any]) -> tuple[str, str]:
    when = event["slot_start"].astimezone(config.current().tz).strftime("%m月%d日 %H:%M")
    label = BOOKING_TITLES.get(event["status"], "预约更新")
    return f"{label}：{event['service']}"[:300], f"{when} · {event['hall']}"[:300]


async def sync_bookings(user_id: int) -> int:
    """Bring the account's booking events into its feed (each booking one entry, moved up when it changes)."""
    state = await Account.get_or_none(user_id=user_id)
    events = await appointments_service.booking_events(user_id, changed_after=state.bookings_synced_at if state else None)
    if not events:
        return 0
    async with storage.transaction() as conn:
        await Account.bulk_create([Account(user_id=user_id)], ignore_conflicts=True, using_db=conn)
        for event in events:
            title, summary = _booking_title(event)
            values = {"title": title, "summary": summary, "source": event["hall"][:64],
                      "published_at": event["changed_at"], "owner_id": user_id}
            item, created = await FeedItem.get_or_create(kind="booking", ref_id=event["booking_id"], using_db=conn,
                                                         defaults={**values, "created_at": clock.now()})
            if not created:
                await FeedItem.filter(id=item.id).using_db(conn).update(**values)
            moved = await Entry.filter(user_id=user_id, item_id=item.id).using_db(conn).update(
                published_at=event["changed_at"], read=False)
            if not moved:
                await Entry.bulk_create([Entry(user_id=user_id, item_id=item.id, published_at=event["changed_at"],
                                               channel=3, read=False, created_at=clock.now())],
                                        ignore_conflicts=True, using_db=conn)
        await Account.filter(user_id=user_id).using_db(conn).update(bookings_synced_at=events[-1]["changed_at"])
    return len(events)
