"""WeChat failing under a subscribe message: time-outs, gateway 5xx, "system busy" (-1), the daily
quota (45009) and stale tokens (40001/42001). The message waits with backoff, is sent exactly once,
spends one grant, and is never given up for a quota it did not use up."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from server import clock, config, notify, outbox, wechat
from server.config import Template
from server.outbox import Dispatcher
from server.tables import OutboxMessage, PushGrant, PushLog
from server.worker import collect_jobs

SEND = "/cgi-bin/message/subscribe/send"
TEMPLATE = Template("booking_confirmed", "tmpl-confirm", "one_time")


@pytest.fixture
async def one_message(db, wx, monkeypatch):
    """A resident with one one-time grant and one queued message to them; the clock stopped."""
    monkeypatch.setattr(wechat, "BUSY_BACKOFF_S", 0.01)  # the facade's own short retries; theirs is tested elsewhere
    config.install(dataclasses.replace(db.settings, wechat_templates={"booking_confirmed": TEMPLATE}))
    from server import accounts

    user_id = int((await accounts.login_wechat(wx.login_code(openid="oFaulty")))["user"]["id"])
    await notify.record_grants(user_id, {TEMPLATE.id: "accept"})
    await notify.enqueue_push(user_id=user_id, purpose="booking_confirmed", data={"thing1": "社保卡补办"})
    clock.freeze(clock.now())
    yield user_id
    config.install(db.settings)


async def attempt() -> OutboxMessage:
    """One pass of a worker over what is due; the message as it is afterwards."""
    await Dispatcher(collect_jobs().handlers, worker_id="faults").run_once()
    return await OutboxMessage.get(topic="push")


async def assert_waits(expected_wait: timedelta, *, attempts: int, wx) -> None:
    row = await OutboxMessage.get(topic="push")
    assert (row.status, row.attempts, wx.sent) == ("pending", attempts, [])
    assert row.due_at == clock.now() + expected_wait
    assert await Dispatcher(collect_jobs().handlers, worker_id="early").run_once() == 0  # not before its time
    clock.advance(expected_wait)


async def test_a_message_rides_out_every_wechat_failure_and_is_sent_once(one_message, wx, monkeypatch):
    user_id = one_message
    monkeypatch.setattr(wechat.client()._client, "timeout", 0.3)
    stall = wx.stall(SEND)
    await attempt()  # WeChat does not answer in time
    assert stall.arrived.is_set()
    wx.state.stalls.pop(SEND).set()  # the late call finds its client gone and is dropped unprocessed
    await assert_waits(Dispatcher.backoff(1), attempts=1, wx=wx)

    wx.fail_http(SEND, 502)
    await attempt()
    await assert_waits(Dispatcher.backoff(2), attempts=2, wx=wx)

    wx.fail_next(SEND, -1, times=wechat.BUSY_RETRIES + 1)  # busier than the facade's own retries
    await attempt()
    await assert_waits(Dispatcher.backoff(3), attempts=3, wx=wx)

    wx.expire_tokens()  # 42001: the token is refreshed once and the call retried
    wx.fail_next("/cgi-bin/token", -1)  # while the token endpoint itself is busy once
    row = await attempt()

    assert (row.status, row.attempts) == ("sent", 4)
    assert [m["data"]["thing1"]["value"] for m in wx.sent] == ["社保卡补办"]
    assert wx.state.token_fetches == 2  # the first token, and one after 42001
    assert await PushLog.filter(outbox_id=row.id).values_list("outcome", flat=True) == ["sent"]
    assert (await PushGrant.get(user_id=user_id)).remaining == 0  # one grant spent, once


async def test_the_daily_quota_delays_a_message_until_it_resets_and_never_loses_it(one_message, wx):
    wx.fail_next(SEND, 45009, times=outbox.MAX_ATTEMPTS + 2)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        row = await attempt()
        assert row.status == "pending" and row.attempts == 0, "waiting for a quota costs no attempt"
        wait = row.due_at - clock.now()
        assert timedelta(0) < wait <= notify.QUOTA_RECHECK
        clock.advance(wait)
    row = await attempt()
    assert row.status == "sent" and len(wx.sent) == 1
    assert wx.state.calls[SEND] == outbox.MAX_ATTEMPTS + 3


async def test_the_minute_quota_waits_a_minute(one_message, wx):
    wx.fail_next(SEND, 45011)
    row = await attempt()
    assert (row.status, row.attempts, row.due_at - clock.now()) == ("pending", 0, timedelta(minutes=1))
    clock.advance(timedelta(minutes=1))
    assert (await attempt()).status == "sent" and len(wx.sent) == 1


async def test_a_two_hour_wechat_outage_loses_no_message(one_message, wx):
    outage_ends = clock.now() + timedelta(hours=2)
    while clock.now() < outage_ends:
        wx.fail_http(SEND, 503)
        row = await attempt()
        assert row.status == "pending", f"given up after {row.attempts} attempts, {row.due_at - outage_ends} early"
        clock.advance(row.due_at - clock.now())
    row = await attempt()
    assert row.status == "sent" and len(wx.sent) == 1
