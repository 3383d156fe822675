"""The clerk's pages through HTTP (both backends): scope, a morning at the desk, 叫号 display, 回访 reveal, stats."""

from __future__ import annotations

import csv
import io
import re

import pytest

from appointments import service_checkin, service_ratings
from appointments.tables import Booking
from server import clock
from server.tables import OperationLog
from tests.api.console.conftest import Browser, make_user
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
)


@pytest.fixture
async def halls(db):
    freeze(MONDAY_10)
    return await make_hall(), await make_hall("东门街道便民服务中心")


async def as_clerk(browser: Browser, hall_id: int) -> None:
    assert (await browser.log_in(*await make_user("staff", halls=[hall_id]))).status_code == 303


async def test_a_clerk_sees_only_their_own_halls(browser: Browser, halls):
    mine, theirs = halls
    await as_clerk(browser, mine.hall_id)
    listing = await browser.get("/console/halls")
    assert "罗湖区行政服务大厅" in listing.text and "东门街道" not in listing.text
    for tab in ("day", "checkin", "queue", "ratings", "stats", "day.csv"):
        refused = await browser.get(f"/console/hall/{theirs.hall_id}/{tab}")
        assert refused.status_code == 403, tab
        assert "无权" in refused.text
    token = await browser.form_token(f"/console/hall/{mine.hall_id}/queue")
    walk_in = await browser.post(f"/console/hall/{theirs.hall_id}/walkins", data={"csrf": token})
    assert walk_in.status_code == 403


async def test_a_morning_at_the_desk(browser: Browser, halls):
    world, _ = halls
    who = person(name="司马光", phone="13987654321")
    typed, scanned = [await book(world, local(3, 10, 9), p) for p in (who, person())]
    absent = await book(world, local(3, 10, 10), person())
    freeze(local(3, 10, 8, 45))
    await as_clerk(browser, world.hall_id)
    base = f"/console/hall/{world.hall_id}"

    by_code = await browser.submit(f"{base}/checkin", {"scan": typed["code"].lower()})
    assert by_code.status_code == 200 and re.search(r'id="ticket-number">A001<', by_code.text)
    token = service_checkin.checkin_token(await Booking.get(id=scanned["id"]).select_related("hall"))
    by_token = await browser.submit(f"{base}/checkin", {"scan": token})
    assert re.search(r'id="ticket-number">A002<', by_token.text)
    again = await browser.submit(f"{base}/checkin", {"scan": typed["code"]})
    assert again.status_code == 409 and "A001" in again.text

    walk_in = await browser.submit(f"{base}/walkins", {"service_id": str(world.service_id)}, token_from=f"{base}/queue")
    assert walk_in.status_code == 303 and "W001" in walk_in.headers["location"]
    called = await browser.submit(f"{base}/call-next", {"window": "5"}, token_from=f"{base}/queue")
    assert called.status_code == 303
    board = await browser.get(f"/console/display/{world.hall_id}/board")
    assert re.search(r"5 号窗口</td><td class=\"serving-ticket\">A001<", board.text)
    assert "司马" not in board.text and "A002" in board.text
    queue = await browser.get(called.headers["location"])
    ids = dict(re.findall(r'/tickets/(\d+)/complete" class="inline">[^>]*>[^>]*>[^<]*<button[^>]*aria-label="办结 (\w+)"',
                          queue.text.replace("\n", "")))
    a001 = next(tid for tid, label in ids.items() if label == "A001") if ids else None
    assert a001, queue.text
    done = await browser.submit(f"{base}/tickets/{a001}/complete", {"window": "5"}, token_from=f"{base}/queue")
    assert done.status_code == 303 and "A001" in done.headers["location"]

    for minute in (9 * 60 + 5, 9 * 60 + 25, 9 * 60 + 45, 10 * 60 + 5):  # a clerk at work: never 30 minutes without a page
        freeze(local(3, 10, minute // 60, minute % 60))
        await browser.get(f"{base}/queue")
    day = await browser.get(f"{base}/day")
    assert "司马*" in day.text and "司马光" not in day.text and "13987654321" not in day.text
    no_show = re.search(rf'/bookings/{absent["id"]}/no-show', day.text)
    assert no_show
    marked = await browser.submit(f"{base}/bookings/{absent['id']}/no-show", {"date": "2026-03-10"}, token_from=f"{base}/day")
    assert marked.status_code == 303
    assert (await Booking.get(id=absent["id"])).status == "no_show"

    exported = await browser.get(f"{base}/day.csv", params={"date": "2026-03-10"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r[7], r[8], r[10]) for r in rows[1:]] == [
        (typed["code"], "已办结", "A001"), (scanned["code"], "已签到", "A002"), (absent["code"], "爽约", "")]
    assert "13987654321" not in exported.text
    written = await OperationLog.filter(action__startswith="console.hall.").order_by("id").values_list("action", "result")
    assert written == [("console.hall.check_in", "ok"), ("console.hall.check_in", "ok"),
                       ("console.hall.check_in", "already_checked_in"), ("console.hall.walk_in", "ok"),
                       ("console.hall.call_next", "ok"), ("console.hall.move_ticket", "ok"),
                       ("console.hall.booking_no_show", "ok")]


async def test_a_phone_is_revealed_only_for_a_dissatisfied_rating_with_a_reason(browser: Browser, client, halls):
    world, _ = halls
    resident = await client.login_dev()
    me = (await client.get("/api/v1/me", headers=resident)).json()["id"]
    happy, unhappy = [await book(world, local(3, 10, 9), person(phone=p), account=me)
                      for p in ("13700000001", "13987654321")]
    for booking in (happy, unhappy):
        await Booking.filter(id=booking["id"]).update(status="completed", completed_at=clock.now())
    good = await service_ratings.rate(happy["id"], user_id=me, score=5, comment="很好")
    bad = await service_ratings.rate(unhappy["id"], user_id=me, score=1, comment="排队太久")
    await as_clerk(browser, world.hall_id)
    page = await browser.get(f"/console/hall/{world.hall_id}/ratings")
    assert "排队太久" in page.text and "很好" not in page.text and "13987654321" not in page.text
    url = f"/console/hall/{world.hall_id}/ratings"
    no_reason = await browser.submit(f"{url}/{bad['id']}/phone", {"reason": ""}, token_from=url)
    assert no_reason.status_code == 422
    shown = await browser.submit(f"{url}/{bad['id']}/phone", {"reason": "电话回访"}, token_from=url)
    assert shown.status_code == 200 and "13987654321" in shown.text
    refused = await browser.submit(f"{url}/{good['id']}/phone", {"reason": "电话回访"}, token_from=url)
    assert refused.status_code == 409 and "13700000001" not in refused.text
    followed = await browser.submit(f"{url}/{bad['id']}", {"status": "contacted", "note": "已致歉并整改"}, token_from=url)
    assert followed.status_code == 303
    assert "已致歉并整改" in (await browser.get(url)).text
    reveals = await OperationLog.filter(kind="reveal").values("target", "after", "actor_role", "result")
    assert [(r["target"], r["after"]["reason"], r["actor_role"], r["result"]) for r in reveals] == [
        (f"booking:{unhappy['id']}", "电话回访", "staff", "ok")]
    assert "13987654321" not in str(await OperationLog.all().values())


async def test_statistics_draw_a_chart_from_the_same_numbers(browser: Browser, halls):
    world, _ = halls
    await book(world, local(3, 10, 9), person())
    await as_clerk(browser, world.hall_id)
    page = await browser.get(f"/console/hall/{world.hall_id}/stats", params={"from": "2026-03-09", "to": "2026-03-10"})
    assert page.status_code == 200 and "data-chart=" in page.text and "03-10" in page.text
    too_long = await browser.get(f"/console/hall/{world.hall_id}/stats", params={"from": "2026-01-01", "to": "2026-12-31"})
    assert too_long.status_code == 422


async def test_a_closure_says_how_many_bookings_it_cancels_before_it_does(browser: Browser, halls):
    world, _ = halls
    morning = [await book(world, local(3, 10, 9), person()) for _ in range(2)]
    await book(world, local(3, 10, 14), person())  # the afternoon stays open
    await as_clerk(browser, world.hall_id)
    url = f"/console/hall/{world.hall_id}/closures"
    form = {"date": "2026-03-10", "from": "08:00", "to": "12:00", "reason": "系统升级"}
    preview = await browser.submit(f"{url}/preview", form, token_from=url)
    effect = re.search(r"将关闭 (\d+) 个开放时段，取消 (\d+) 个预约", preview.text)
    assert effect and int(effect.group(2)) == len(morning)
    assert [(await Booking.get(id=b["id"])).status for b in morning] == ["booked"] * 2  # nothing yet
    done = await browser.submit(url, form, token_from=url)
    assert re.search(rf"关闭 {effect.group(1)} 个时段，取消 {len(morning)} 个预约", done.text)
    assert [(await Booking.get(id=b["id"])).status for b in morning] == ["cancelled"] * 2


async def test_slot_capacity_never_below_what_is_booked(browser: Browser, halls):
    world, _ = halls
    await book(world, local(3, 10, 9), person())
    await as_clerk(browser, world.hall_id)
    page = await browser.get(f"/console/hall/{world.hall_id}/slots", params={"date": "2026-03-10"})
    slot_id = re.search(r"/slots/(\d+)\"", page.text).group(1)
    url = f"/console/hall/{world.hall_id}/slots"
    too_low = await browser.submit(f"{url}/{slot_id}", {"capacity": "0"}, token_from=url)
    assert too_low.status_code == 409
    raised = await browser.submit(f"{url}/{slot_id}", {"capacity": "12"}, token_from=url)
    assert raised.status_code == 303 and "date=2026-03-10" in raised.headers["location"]


async def test_a_weekly_schedule_is_previewed_before_it_is_saved(browser: Browser, halls):
    from appointments import service_slots

    world, _ = halls
    await as_clerk(browser, world.hall_id)
    url = f"/console/hall/{world.hall_id}/schedules/{world.service_id}"
    form = {"mon": "09:00-11:00", "tue": "", "wed": "14:00-15:00", "thu": "", "fri": "", "sat": "", "sun": "",
            "slot_minutes": "60", "capacity": "3"}
    before = (await service_slots.get_schedule(world.hall_id, world.service_id))["schedule"]
    preview = await browser.submit(f"{url}/preview", form, token_from=url)
    assert preview.status_code == 200
    rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>([^<]*)</td></tr>", preview.text)
    assert rows and {times for _, times in rows} <= {"09:00-10:00、10:00-11:00", "14:00-15:00"}
    assert (await service_slots.get_schedule(world.hall_id, world.service_id))["schedule"] == before
    bad = await browser.submit(f"{url}/preview", {**form, "mon": "11:00-09:00"}, token_from=url)
    assert bad.status_code == 422
    saved = await browser.submit(url, form, token_from=url)
    assert saved.status_code == 303
    after = (await service_slots.get_schedule(world.hall_id, world.service_id))["schedule"]
    assert after["periods"] == {"mon": [["09:00", "11:00"]], "wed": [["14:00", "15:00"]]}
    assert after["capacity"] == 3
