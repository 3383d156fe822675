"""Daily and weekly digests on both backends: what they list and when they go (frozen clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bulletin.feeds.service_digest import digests_of
from bulletin.feeds.tables import FeedItem
from server import clock, notify
from server.worker import collect_jobs, run_due_jobs
from tests.integration.feeds.feeds_support import (
    DOC_TEMPLATE,
    publish,
    resident,
    run_all,
    subscribe,
    with_document_template,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local moment in March 2026 (03-09 is a Monday), in UTC as the real clock gives it."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


async def tick(moment: datetime) -> None:
    clock.freeze(moment)
    await run_due_jobs(collect_jobs())
    await run_all()


async def titles(item_ids: list[int]) -> list[str]:
    rows = {i.id: i.title for i in await FeedItem.filter(id__in=item_ids)}
    return [rows[i] for i in item_ids]


async def test_daily_and_weekly_digests(db, wx):
    with_document_template(db.settings)
    clock.freeze(at(10, 7))  # Tuesday 07:00
    daily = await resident(wx, "o-daily")
    weekly = await resident(wx, "o-weekly")
    for user_id, frequency in ((daily, "daily"), (weekly, "weekly")):
        await notify.record_grants(user_id, {DOC_TEMPLATE: "accept"})
        await subscribe(user_id, frequency, topics=["education"])
    await run_all()
    await publish("2026年义务教育招生工作", topic="education")
    clock.freeze(at(10, 7, 30))
    await publish("课后服务管理办法", topic="education")
    await run_all()
    await tick(at(10, 8, 0))
    assert wx.sent == []  # nothing before 08:30, and nothing at publication for digest subscribers
    await tick(at(10, 8, 31))
    assert [(m["touser"], m["data"]["thing1"]["value"], m["data"]["thing2"]["value"]) for m in wx.sent] == [
        ("o-daily", "您关注的内容有2条更新", "课后服务管理办法等2条")]
    first = (await digests_of(daily))[0]
    assert first["period"] == "2026-03-10"
    assert await titles(first["item_ids"]) == ["课后服务管理办法", "2026年义务教育招生工作"]
    await tick(at(10, 9))  # the same day again: no second digest
    clock.freeze(at(10, 9, 5))
    await publish("秋季学期学位申请", topic="education")
    await run_all()  # the worker delivers it to feeds at once; the message waits for the digest
    await tick(at(11, 8, 31))  # Wednesday: only what came since the last digest
    assert len(wx.sent) == 2 and wx.sent[1]["data"]["thing2"]["value"] == "秋季学期学位申请"
    assert await titles((await digests_of(daily))[0]["item_ids"]) == ["秋季学期学位申请"]
    clock.freeze(at(12, 9))
    await publish("流感疫苗接种安排", topic="education")
    await run_all()
    await tick(at(12, 10))  # Thursday's digest ran late: what came after 08:30 waits for Friday
    assert len(wx.sent) == 2
    await tick(at(13, 8, 31))
    assert len(wx.sent) == 3 and wx.sent[2]["data"]["thing2"]["value"] == "流感疫苗接种安排"
    await tick(at(15, 8, 31))  # Sunday: weekly readers still wait
    assert [m["touser"] for m in wx.sent] == ["o-daily", "o-daily", "o-daily"]
    await tick(at(16, 8, 31))  # Monday: the weekly digest lists the whole week
    assert [m["touser"] for m in wx.sent] == ["o-daily", "o-daily", "o-daily", "o-weekly"]
    week = (await digests_of(weekly))[0]
    assert week["period"] == "2026-03-16"
    assert await titles(week["item_ids"]) == ["流感疫苗接种安排", "秋季学期学位申请", "课后服务管理办法",
                                              "2026年义务教育招生工作"]
    assert wx.sent[3]["data"]["thing4"]["value"] == "每周摘要"
    assert wx.sent[3]["page"] == "pages/feed/index"
