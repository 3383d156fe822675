"""The operation log says what each main write changed: the changed fields before and after (personal data
masked, unchanged fields left out), through the API and the console, both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server import clock
from server.tables import OperationLog, User
from tests.api.console.conftest import Browser, make_user
from tests.api.feeds.test_feeds_enterprise_api import registration
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
    slot_at,
)
from tests.support.ids import make_credit_code


async def last(action: str) -> OperationLog:
    entry = await OperationLog.filter(action=action).order_by("-id").first()
    assert entry is not None, action
    return entry


@pytest.fixture
async def hall(db):
    freeze(MONDAY_10)
    return await make_hall()


async def test_a_clerks_schedule_slot_and_closure_changes(client, hall):
    clerk = await client.login_staff(halls=[hall.hall_id])
    url = f"/api/v1/staff/halls/{hall.hall_id}/schedules/{hall.service_id}"
    old = (await client.get(url, headers=clerk)).json()["schedule"]
    new = {**old, "capacity": old["capacity"] + 3}
    assert (await client.put(url, json=new, headers=clerk)).status_code == 200
    schedule = await last("appointments.put_schedule")
    assert schedule.target == f"service_id={hall.service_id}"
    assert schedule.before["schedule"]["capacity"] == old["capacity"]
    assert schedule.after["schedule"]["capacity"] == old["capacity"] + 3

    slot = await slot_at(hall, local(3, 10, 9))
    await book(hall, local(3, 10, 9), person())
    assert (await client.patch(f"/api/v1/staff/slots/{slot}", json={"capacity": 9}, headers=clerk)).status_code == 200
    capacity = await last("appointments.patch_slot")
    assert capacity.target == f"slot_id={slot}" and capacity.after["capacity"] == 9
    assert set(capacity.before) == {"capacity"}  # what did not change is not repeated
    await client.patch(f"/api/v1/staff/slots/{slot}", json={"status": "closed", "reason": "系统维护"}, headers=clerk)
    closing = await last("appointments.patch_slot")
    assert (closing.before, {k: closing.after[k] for k in ("status", "booked")}) == (
        {"status": "open", "booked": 1}, {"status": "closed", "booked": 0})

    closure = await client.post(f"/api/v1/staff/halls/{hall.hall_id}/closures",
                                json={"date": "2026-03-11", "from": "14:00", "reason": "消防演练"}, headers=clerk)
    entry = await last("appointments.add_closure")
    assert entry.target == f"closure_id={closure.json()['id']}" and entry.before is None
    assert (entry.after["date"], entry.after["from"], entry.after["reason"], entry.after["slots_closed"]) == (
        "2026-03-11", "14:00:00", "消防演练", 3)


async def test_an_admins_hall_service_and_staff_changes(client, hall):
    admin = await client.login_staff(role="admin")
    await client.patch(f"/api/v1/admin/halls/{hall.hall_id}", json={"name": "罗湖区政务服务中心"}, headers=admin)
    renamed = await last("appointments.update_hall")
    assert (renamed.target, renamed.before, renamed.after["name"]) == (
        f"hall_id={hall.hall_id}", {"name": "罗湖区行政服务大厅"}, "罗湖区政务服务中心")
    await client.patch(f"/api/v1/admin/services/{hall.service_id}", json={"average_minutes": 25}, headers=admin)
    service = await last("appointments.update_service")
    assert set(service.before) == {"average_minutes"} and service.after["average_minutes"] == 25

    clerk_id = (await User.get(username=(await make_user("staff"))[0])).id
    put = await client.put(f"/api/v1/admin/halls/{hall.hall_id}/staff", json={"user_ids": [clerk_id]}, headers=admin)
    assert put.status_code == 200, put.text
    staff = await last("appointments.assign_staff")
    assert staff.before[f"hall_id={hall.hall_id}"] == {"staff": []}
    assert staff.after[f"hall_id={hall.hall_id}"] == {"staff": [clerk_id]}
    assert (staff.before[f"user_id={clerk_id}"], staff.after[f"user_id={clerk_id}"]) == (
        {"halls": []}, {"halls": [hall.hall_id]})


async def test_an_editors_document_and_notice_changes(client, db):
    editor = await client.login_staff(role="editor")
    draft = {"title": "关于开展安全生产检查的通知", "agency": "lhyjglj", "doc_type": "notice", "body": "正文"}
    doc = (await client.post("/api/v1/gazette/documents", json=draft, headers=editor)).json()
    created = await last("bulletin.create_document")
    assert created.target == f"document_id={doc['id']}" and created.before is None
    assert (created.after["title"], created.after["status"]) == (draft["title"], "draft")
    await client.patch(f"/api/v1/gazette/documents/{doc['id']}", json={"title": "关于开展消防安全检查的通知"},
                       headers=editor)
    edited = await last("bulletin.update_document")
    assert edited.before == {"title": draft["title"]}
    await client.post(f"/api/v1/gazette/documents/{doc['id']}/publish", headers=editor)
    published = await last("bulletin.publish_document")
    assert published.before["status"] == "draft" and published.after["status"] == "published"
    assert published.before["published_at"] is None and published.after["published_at"]
    await client.post(f"/api/v1/gazette/documents/{doc['id']}/withdraw", json={"reason": "内容有误"}, headers=editor)
    withdrawn = await last("bulletin.withdraw_document")
    assert (withdrawn.before, withdrawn.after["status"], withdrawn.after["withdrawn_reason"]) == (
        {"status": "published", "withdrawn_reason": None}, "withdrawn", "内容有误")

    notice = (await client.post("/api/v1/notices", json={"title": "停水通知", "body": "明日停水"}, headers=editor)).json()
    assert (await last("bulletin.create_notice")).after["title"] == "停水通知"
    await client.post(f"/api/v1/notices/{notice['id']}/withdraw", json={"reason": "已恢复供水"}, headers=editor)
    taken = await last("bulletin.withdraw_notice")
    assert (taken.target, taken.before["status"], taken.after["status"]) == (
        f"notice_id={notice['id']}", "published", "withdrawn")


async def test_enterprise_verification_and_the_competing_claim_it_rejects(client, db):
    owner = await client.login_dev()
    code = make_credit_code()
    first, second = [(await client.post("/api/v1/enterprises", headers=who, json=registration(code))).json()
                     for who in (owner, await client.login_dev())]
    admin = await client.login_staff(role="admin")
    assert (await client.post(f"/api/v1/admin/enterprises/{first['id']}/verify", headers=admin)).status_code == 200
    entry = await last("bulletin.verify")
    assert entry.before[f"enterprise_id={first['id']}"]["status"] == "pending"
    assert entry.after[f"enterprise_id={first['id']}"]["status"] == "verified"
    assert entry.after[f"enterprise_id={second['id']}"]["status"] == "rejected"  # the competing claim
    assert code not in str(await OperationLog.all().values())


async def test_a_password_change_and_a_console_edit_are_described(client, browser: Browser, hall):
    username, password = await make_user("staff", halls=[hall.hall_id])
    login = await client.post("/api/v1/auth/staff", json={"username": username, "password": password})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    clock.advance(timedelta(minutes=5))
    changed = await client.post("/api/v1/me/password", headers=headers,
                                json={"old_password": password, "new_password": "Second-pass-2"})
    assert changed.status_code == 204
    entry = await last("server.change_password")
    assert entry.target == f"user_id={login.json()['user']['id']}"
    assert entry.before["password_changed_at"] < entry.after["password_changed_at"]
    assert "Second-pass-2" not in str(await OperationLog.all().values())

    assert (await browser.log_in(username, "Second-pass-2")).status_code == 303
    slot = await slot_at(hall, local(3, 10, 10))
    url = f"/console/hall/{hall.hall_id}/slots/{slot}"
    form = await browser.submit(url, {"capacity": "7", "date": "2026-03-10"},
                                token_from=f"/console/hall/{hall.hall_id}/slots?date=2026-03-10")
    assert form.status_code in (200, 303), form.text
    console = await OperationLog.filter(action__startswith="console.").order_by("-id").first()
    assert console.target == f"slot_id={slot}" and console.after["capacity"] == 7 and "capacity" in console.before


async def test_calendar_changes_keep_what_the_year_and_the_day_said_before(client, db):
    """A whole year replaced, then one day changed: the log says which entries there were and which there are,
    so a wrongly closed working day can be traced to who changed it from what."""
    admin = await client.login_staff(role="admin")
    first = {"entries": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]}
    assert (await client.put("/api/v1/admin/calendar/2027", json=first, headers=admin)).status_code == 200
    second = {"entries": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                          {"date": "2027-02-07", "kind": "workday", "name": "春节", "stands_in_for": "mon"}]}
    assert (await client.put("/api/v1/admin/calendar/2027", json=second, headers=admin)).status_code == 200
    year = await last("appointments.put_calendar")
    assert year.target == "calendar_year=2027"
    assert (year.before, year.after) == ({"entries": ["2027-01-01 holiday 元旦"]},
                                         {"entries": ["2027-01-01 holiday 元旦", "2027-02-07 workday 春节 (mon)"]})
    day = await client.put("/api/v1/admin/calendar/2027/day", json={"date": "2027-02-07", "kind": "default"},
                           headers=admin)
    assert day.status_code == 200, day.text
    entry = await last("appointments.put_calendar_day")
    assert (entry.target, entry.before, entry.after["entry"]) == (
        "calendar_day=2027-02-07", {"entry": "2027-02-07 workday 春节 (mon)"}, "default")
