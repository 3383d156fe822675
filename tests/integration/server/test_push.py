"""Subscribe messages: consent recorded, one grant spent per message, never sent without one."""

from __future__ import annotations

import asyncio
import dataclasses

from server import config, notify
from server.config import Template
from server.outbox import Dispatcher
from server.tables import PushGrant, PushLog
from server.worker import collect_jobs

TEMPLATES = {
    "booking_confirmed": Template("booking_confirmed", "tmpl-confirm", "one_time"),
    "document_published": Template("document_published", "tmpl-doc", "long_term"),
}


def with_templates(db):
    config.install(dataclasses.replace(db.settings, wechat_templates=TEMPLATES))


async def send_all() -> None:
    dispatcher = Dispatcher(collect_jobs().handlers, worker_id="test")
    while await dispatcher.run_once():
        pass


async def wechat_user(client, wx, openid: str) -> tuple[dict[str, str], int]:
    login = (await client.post("/api/v1/auth/wechat", json={"code": wx.login_code(openid=openid)})).json()
    return {"Authorization": f"Bearer {login['token']}"}, login["user"]["id"]


async def test_templates_are_listed_for_the_mini_program(client, db):
    with_templates(db)
    try:
        response = await client.get("/api/v1/push/templates")
    finally:
        config.install(db.settings)
    assert sorted(response.json(), key=lambda t: t["id"]) == [
        {"id": "tmpl-confirm", "kind": "one_time", "purpose": "booking_confirmed"},
        {"id": "tmpl-doc", "kind": "long_term", "purpose": "document_published"},
    ]


async def test_one_time_grants_are_spent_one_per_message(client, wx, db):
    with_templates(db)
    try:
        headers, user_id = await wechat_user(client, wx, "oGrant")
        for _ in range(2):
            await client.post("/api/v1/push/grants", headers=headers, json={"results": {"tmpl-confirm": "accept"}})
        grants = (await client.get("/api/v1/push/grants", headers=headers)).json()
        assert grants == [{"template_id": "tmpl-confirm", "kind": "one_time", "status": "accept", "remaining": 2}]
        for n in range(3):
            await notify.enqueue_push(user_id=user_id, purpose="booking_confirmed", data={"thing1": f"第{n}条"})
        await send_all()
    finally:
        config.install(db.settings)
    assert [m["data"]["thing1"]["value"] for m in wx.sent] == ["第0条", "第1条"]
    outcomes = sorted(await PushLog.all().values_list("outcome", flat=True))
    assert outcomes == ["no_grant", "sent", "sent"]
    assert (await PushGrant.get(user_id=user_id)).remaining == 0


async def test_no_grant_no_message_and_refusal_stops_sending(client, wx, db):
    with_templates(db)
    try:
        headers, user_id = await wechat_user(client, wx, "oRefuser")
        await notify.enqueue_push(user_id=user_id, purpose="document_published", data={"thing1": "新政策"})
        await send_all()
        assert wx.sent == []
        await client.post("/api/v1/push/grants", headers=headers, json={"results": {"tmpl-doc": "accept"}})
        wx.refuse("oRefuser", "tmpl-doc")
        await notify.enqueue_push(user_id=user_id, purpose="document_published", data={"thing1": "新政策"})
        await send_all()
        grant = await PushGrant.get(user_id=user_id)
        assert (grant.status, wx.sent) == ("reject", [])
        await notify.enqueue_push(user_id=user_id, purpose="document_published", data={"thing1": "又一条"})
        await send_all()
    finally:
        config.install(db.settings)
    assert wx.state.calls["/cgi-bin/message/subscribe/send"] == 1  # after the refusal, never asked again
    assert sorted(await PushLog.all().values_list("outcome", flat=True)) == ["no_grant", "no_grant", "refused"]


async def test_long_term_grant_is_not_used_up(client, wx, db):
    with_templates(db)
    try:
        headers, user_id = await wechat_user(client, wx, "oLong")
        await client.post("/api/v1/push/grants", headers=headers, json={"results": {"tmpl-doc": "accept"}})
        for n in range(3):
            await notify.enqueue_push(user_id=user_id, purpose="document_published", data={"thing1": str(n)})
        await send_all()
    finally:
        config.install(db.settings)
    assert len(wx.sent) == 3


async def test_transient_failure_refunds_the_grant_and_retries(client, wx, db):
    with_templates(db)
    try:
        headers, user_id = await wechat_user(client, wx, "oRetry")
        await client.post("/api/v1/push/grants", headers=headers, json={"results": {"tmpl-confirm": "accept"}})
        wx.fail_next("/cgi-bin/message/subscribe/send", -1, times=4)  # more than the facade's own retries
        await notify.enqueue_push(user_id=user_id, purpose="booking_confirmed", data={"thing1": "x"})
        await send_all()
        # the grant stays reserved for this message while it waits for its retry
        assert wx.sent == [] and (await PushGrant.get(user_id=user_id)).remaining == 0
        from datetime import timedelta

        from server import clock
        clock.freeze(clock.now() + timedelta(minutes=1))
        await send_all()
    finally:
        config.install(db.settings)
    assert len(wx.sent) == 1 and (await PushGrant.get(user_id=user_id)).remaining == 0


async def test_send_rate_is_shared_by_workers(db):
    import time
    from collections import Counter

    from server import ratelimit

    workers = [ratelimit.Throttle("wechat-send-test", per_second=5) for _ in range(2)]  # two processes' throttles
    stamps: list[float] = []

    async def send(throttle: ratelimit.Throttle) -> None:
        await throttle.acquire()
        stamps.append(time.time())

    # Start just after a second begins: a grant counted in one second but stamped on its return
    # could otherwise land in the next second's count (the test measured that, not the throttle).
    await asyncio.sleep(1.05 - time.time() % 1)
    await asyncio.gather(*(send(t) for t in workers * 6))
    per_second = Counter(int(s) for s in stamps)
    assert sum(per_second.values()) == 12
    assert max(per_second.values()) <= 5  # together, never above the shared budget
    assert len(per_second) >= 3


async def test_a_worker_dying_after_taking_the_grant_does_not_lose_the_message(client, wx, db):
    from datetime import timedelta

    from server import clock, outbox
    from server.tables import OutboxMessage

    with_templates(db)
    try:
        headers, user_id = await wechat_user(client, wx, "oCrash")
        await client.post("/api/v1/push/grants", headers=headers, json={"results": {"tmpl-confirm": "accept"}})
        await notify.enqueue_push(user_id=user_id, purpose="booking_confirmed", data={"thing1": "只有一条"})
        dying = Dispatcher(collect_jobs().handlers, worker_id="dying")
        (message,) = await dying.claim()
        await notify._reserve(message, user_id=user_id, purpose="booking_confirmed",
                              template=TEMPLATES["booking_confirmed"])  # then the worker is killed
        clock.freeze(clock.now() + outbox.LEASE + timedelta(seconds=1))
        await send_all()
    finally:
        config.install(db.settings)
    assert [m["data"]["thing1"]["value"] for m in wx.sent] == ["只有一条"]
    assert await PushLog.filter(outcome="sent").count() == 1
    assert (await OutboxMessage.get()).status == "sent"
