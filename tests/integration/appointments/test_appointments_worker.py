"""The worker side of booking (both backends): notices sent once even when a worker dies mid-send,
and the periodic jobs (slot generation, automatic no-shows)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

from appointments.tables import Booking, Slot
from server import accounts, clock, config, notify, outbox, wechat
from server.config import Template
from server.outbox import Dispatcher
from server.tables import OutboxMessage, PushLog
from server.worker import collect_jobs, run_due_jobs
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
)

SEND = "/cgi-bin/message/subscribe/send"


async def _wechat_resident(wx, openid: str) -> int:
    result = await accounts.login_wechat(wx.login_code(openid=openid))
    user_id = int(result["user"]["id"])
    await notify.record_grants(user_id, {"tpl-booking-confirmed": "accept"})
    return user_id


async def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(db, wx):
    templates = {"booking_confirmed": Template("booking_confirmed", "tpl-booking-confirmed", "one_time")}
    config.install(dataclasses.replace(config.current(), wechat_templates=templates))
    freeze(MONDAY_10)
    world = await make_hall()
    owners = [await _wechat_resident(wx, f"o-resident-{n}") for n in range(2)]
    codes = [(await book(world, local(3, 11, 10), person(), account=owner))["code"] for owner in owners]
    handlers = collect_jobs().handlers
    release = wx.stall(SEND)
    http = wechat.client()._client
    timeout, http.timeout = http.timeout, 1.0  # a dead worker's connection closes within a second
    try:
        doomed = asyncio.create_task(Dispatcher(handlers, worker_id="doomed").run_once())
        assert await asyncio.to_thread(release.arrived.wait, 10)
        doomed.cancel()  # the worker dies while WeChat holds its request
        await asyncio.gather(doomed, return_exceptions=True)
        await asyncio.sleep(1.5)  # its connection times out and closes, as a dead process's would
        release.set()
        assert await Dispatcher(handlers, worker_id="early").run_once() == 0  # still leased
        clock.advance(outbox.LEASE + dt.timedelta(seconds=1))
        assert await Dispatcher(handlers, worker_id="heir").run_once() == 2
    finally:
        http.timeout = timeout
    sent_codes = sorted(m["data"]["character_string4"]["value"] for m in wx.sent)
    assert sent_codes == sorted(codes)
    assert await OutboxMessage.filter(status="sent", topic="push").count() == 2
    assert await PushLog.filter(outcome="sent").count() == 2


async def test_periodic_jobs_generate_the_window_and_mark_no_shows(db):
    freeze(MONDAY_10)
    world = await make_hall()
    booking = await book(world, local(3, 10, 9), person())
    await Slot.filter(service_id=world.service_id, day=dt.date(2026, 3, 16)).delete()
    freeze(local(3, 10, 9, 20))  # past the 09:15 check-in deadline; the window now ends on 03-17
    await run_due_jobs(collect_jobs())
    assert (await Booking.get(id=booking["id"])).status == "no_show"
    days = {d for d in await Slot.filter(service_id=world.service_id).values_list("day", flat=True)}
    assert {dt.date(2026, 3, 10), dt.date(2026, 3, 16), dt.date(2026, 3, 17)} <= days
