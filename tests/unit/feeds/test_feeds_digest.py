"""Digest timing and the WeChat message texts (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bulletin.feeds.digest import (
    DigestItem,
    channels_due,
    cutoff,
    digest_message,
    item_message,
    ordered,
    thing,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_weekly_items_join_the_monday_digest_only():
    assert channels_due(date(2026, 3, 9)) == (1, 2)   # a Monday
    assert channels_due(date(2026, 3, 10)) == (1,)    # a Tuesday
    assert channels_due(date(2026, 3, 15)) == (1,)    # a Sunday


def test_cutoff_is_08_30_in_the_district():
    moment = cutoff(date(2026, 3, 10), SHANGHAI)
    assert moment == datetime(2026, 3, 10, 0, 30, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)  # stored timestamps are UTC text on SQLite


def test_thing_fields_hold_twenty_characters():
    assert thing("一" * 20) == "一" * 20
    assert thing("一" * 21) == "一" * 19 + "…"


def test_digest_message_names_the_newest_item_and_the_count():
    items = [DigestItem(1, "关于做好2026年义务教育招生工作的通知", datetime(2026, 3, 9, 1, tzinfo=UTC), 1),
             DigestItem(2, "调整最低生活保障标准", datetime(2026, 3, 9, 3, tzinfo=UTC), 1),
             DigestItem(3, "秋冬季流感疫苗接种", datetime(2026, 3, 8, 3, tzinfo=UTC), 2)]
    data = digest_message(items, now=datetime(2026, 3, 10, 0, 30, tzinfo=UTC), zone=SHANGHAI)
    assert data == {"thing1": "您关注的内容有3条更新", "thing2": "调整最低生活保障标准等3条",
                    "time3": "2026年03月10日 08:30", "thing4": "每日摘要"}
    assert [i.item_id for i in ordered(items)] == [2, 1, 3]
    long_title = [DigestItem(9, "关于印发《罗湖区支持专精特新中小企业发展若干措施》的通知", items[0].published_at, 2),
                  DigestItem(8, "短标题", items[0].published_at - timedelta(hours=1), 2)]
    weekly = digest_message(long_title, now=datetime(2026, 3, 9, 0, 30, tzinfo=UTC), zone=SHANGHAI)
    assert weekly["thing2"] == "关于印发《罗湖区支持专精特新中小…等2条" and len(weekly["thing2"]) == 20
    assert weekly["thing4"] == "每周摘要"
    single = digest_message(items[:1], now=datetime(2026, 3, 10, 0, 30, tzinfo=UTC), zone=SHANGHAI)
    assert single["thing2"] == "关于做好2026年义务教育招生工作的通知" and single["thing1"] == "您关注的内容有1条更新"


def test_item_message_uses_local_time_and_source():
    data = item_message(title="推进家庭医生签约服务", source="", published_at=datetime(2026, 3, 9, 16, 5, tzinfo=UTC),
                        zone=SHANGHAI)
    assert data == {"thing1": "推进家庭医生签约服务", "thing2": "政务公开", "time3": "2026年03月10日 00:05",
                    "thing4": "您订阅的内容有更新"}
