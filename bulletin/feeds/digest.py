"""Digests (每日/每周摘要) and the WeChat message texts of the feed (pure).

A daily digest goes out at 08:30 local time with every item matched through a daily
subscription since the last digest; on Mondays the same message also covers the items of
weekly subscriptions, so an account gets at most one digest message a day. Items are
listed newest first. WeChat's ``thing`` fields hold at most 20 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from bulletin.feeds.model import RANK

DIGEST_AT = time(8, 30)
MONDAY = 0
THING_CHARS = 20


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One entry waiting for a digest."""

    item_id: int
    title: str
    published_at: datetime
    channel: int


def channels_due(day: date) -> tuple[int, ...]:
    """Which pending channels the digest of a local day covers: daily, and weekly on Mondays."""
    due = [RANK["daily"]]
    if day.weekday() == MONDAY:
        due.append(RANK["weekly"])
    return tuple(due)


def cutoff(day: date, zone: tzinfo) -> datetime:
    """The digest moment of a local day (08:30), in UTC: entries created before it are in that digest."""
    # In UTC because SQLite compares stored timestamps as text.
    return datetime.combine(day, DIGEST_AT, tzinfo=zone).astimezone(UTC)


def period_key(day: date) -> str:
    """The digest's identity per account: one a day at most."""
    return day.isoformat()


def thing(text: str, limit: int = THING_CHARS) -> str:
    """Trim to a WeChat ``thing`` field (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def local_time(moment: datetime, zone: tzinfo) -> str:
    """WeChat ``time`` field text: 2024年06月03日 08:30."""
    return moment.astimezone(zone).strftime("%Y年%m月%d日 %H:%M")


def ordered(items: Sequence[DigestItem]) -> list[DigestItem]:
    """Digest order: newest first, ties by id (newest id first)."""
    return sorted(items, key=lambda i: (i.published_at, i.item_id), reverse=True)


def digest_label(channels: Sequence[int]) -> str:
    """每日摘要, or 每周摘要 when only weekly items are in it."""
    return "每周摘要" if set(channels) == {RANK["weekly"]} else "每日摘要"


def digest_message(items: Sequence[DigestItem], *, now: datetime, zone: tzinfo) -> dict[str, str]:
    """The subscribe-message data of a digest: how many items, the newest title, when, what kind."""
    newest = ordered(items)
    more = f"等{len(newest)}条" if len(newest) > 1 else ""
    return {
        "thing1": thing(f"您关注的内容有{len(newest)}条更新"),
        "thing2": thing(newest[0].title, THING_CHARS - len(more)) + more if newest else "",
        "time3": local_time(now, zone),
        "thing4": digest_label([i.channel for i in newest]),
    }


def item_message(*, title: str, source: str, published_at: datetime, zone: tzinfo) -> dict[str, str]:
    """The subscribe-message data of one new document or notice."""
    return {"thing1": thing(title), "thing2": thing(source or "政务公开"), "time3": local_time(published_at, zone),
            "thing4": "您订阅的内容有更新"}
