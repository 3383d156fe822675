"""Subscribe messages while Redis is down: they wait for it without using up their attempts (both backends)."""

from __future__ import annotations

from datetime import timedelta

from server import clock, config, notify
from server.tables import OutboxMessage, PushGrant
from tests.integration.server.test_push import send_all, wechat_user, with_templates
from tests.support.outage import redis_down


async def test_a_message_waits_for_redis_without_using_an_attempt(client, wx, db):
    with_templates(db)
    try:
        headers, user_id = await wechat_user(client, wx, "oRedisDown")
        await client.post("/api/v1/push/grants", headers=headers, json={"results": {"tmpl-confirm": "accept"}})
        await notify.enqueue_push(user_id=user_id, purpose="booking_confirmed", data={"thing1": "x"})
        clock.freeze(clock.now())
        async with redis_down():
            for _ in range(10):  # far more than the attempts a message has
                await send_all()
                clock.advance(timedelta(minutes=1))
        message = await OutboxMessage.get(topic=notify.TOPIC)
        assert (message.status, message.attempts, wx.sent) == ("pending", 0, [])
        clock.advance(timedelta(minutes=1))
        await send_all()
    finally:
        config.install(db.settings)
    assert len(wx.sent) == 1 and (await PushGrant.get(user_id=user_id)).remaining == 0
