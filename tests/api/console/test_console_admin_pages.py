"""The administrators' account, calendar and hall pages through HTTP (both backends): the forms call the
same services as the admin API, refusals answer as pages, and 2027 (no official data) works."""

from __future__ import annotations

import re

from appointments import service_halls
from appointments.tables import CalendarDay, Hall, ServiceItem
from server.tables import OperationLog, User
from tests.api.console.conftest import Browser, make_user
from tests.api.console.test_console_admin_logs import as_admin

TEMPORARY = re.compile(r'id="temporary-password">([^<]+)<')


async def test_an_admin_creates_an_account_and_changes_its_halls(browser: Browser, db):
    me = await as_admin(browser)
    hall = await Hall.get(id=(await service_halls.create_hall({"name": "罗湖区政务服务中心"}, rules=None))["id"])
    listing = await browser.get("/console/admin/accounts")
    assert listing.status_code == 200 and me in listing.text and "罗湖区政务服务中心" in listing.text
    created = await browser.submit("/console/admin/accounts", {"username": "clerk.zhou", "role": "staff",
                                                                "halls": str(hall.id)}, token_from="/console/admin/accounts")
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    temporary = TEMPORARY.search(created.text).group(1)
    clerk = await User.get(username="clerk.zhou")
    assert clerk.halls == [hall.id] and clerk.must_change_password
    assert temporary not in (await browser.get("/console/admin/accounts")).text  # shown once

    twice = await browser.submit("/console/admin/accounts", {"username": "clerk.zhou", "role": "editor"},
                                 token_from="/console/admin/accounts")
    assert twice.status_code == 409 and "用户名已被使用" in twice.text
    page = f"/console/admin/accounts/{clerk.id}"
    editor = await browser.submit(page, {"role": "editor", "halls": str(hall.id)})
    assert editor.status_code == 303 and "需重新登录" in (await browser.get(editor.headers["location"])).text
    assert (await User.get(id=clerk.id)).halls == []  # the boxes of a non-staff role are not sent on

    admin = await User.get(username=me)
    own = await browser.submit(f"/console/admin/accounts/{admin.id}/disable", {}, token_from=page)
    assert own.status_code == 409 and "不能停用或降级自己的账号" in own.text
    reset = await browser.submit(f"{page}/password-reset", {}, token_from=page)
    assert reset.status_code == 200 and TEMPORARY.search(reset.text).group(1) != temporary
    entry = await OperationLog.filter(action="console.admin_accounts.reset_password").first()
    assert entry.result == "ok" and entry.target == f"user_id={clerk.id}"


async def test_the_calendar_of_a_year_without_official_data_is_edited_day_by_day(browser: Browser, db):
    await as_admin(browser)
    year = await browser.get("/console/admin/calendar/2027")
    assert year.status_code == 200 and "暂无官方安排" in year.text
    assert '<td class="day-weekend"' in year.text and '<td class="day-holiday' not in year.text
    day = await browser.get("/console/admin/calendar/2027?day=2027-10-01")
    version = re.search(r'name="version" value="([^"]+)"', day.text).group(1)
    other = await browser.get("/console/admin/calendar/2027?day=2027-10-09")
    other_version = re.search(r'name="version" value="([^"]+)"', other.text).group(1)
    holiday = await browser.submit("/console/admin/calendar/2027/day", {
        "day": "2027-10-01", "kind": "holiday", "name": "国庆节", "stands_in_for": "", "version": version},
        token_from="/console/admin/calendar/2027")
    assert holiday.status_code == 303
    shown = await browser.get(holiday.headers["location"])
    assert "已将 2027-10-01 设为放假" in shown.text and 'title="国庆节"' in shown.text
    stale = await browser.submit("/console/admin/calendar/2027/day", {
        "day": "2027-10-01", "kind": "workday", "name": "国庆节调休", "stands_in_for": "fri", "version": version},
        token_from="/console/admin/calendar/2027")
    assert stale.status_code == 409  # that day's form was drawn before the holiday was saved
    workday = await browser.submit("/console/admin/calendar/2027/day", {  # another day, drawn before: kept too
        "day": "2027-10-09", "kind": "workday", "name": "国庆节调休", "stands_in_for": "fri", "version": other_version},
        token_from="/console/admin/calendar/2027")
    assert workday.status_code == 303 and await CalendarDay.filter(year=2027).count() == 2
    version = re.search(r'name="version" value="([^"]+)"', shown.text).group(1)
    wrong = await browser.submit("/console/admin/calendar/2027/day", {
        "day": "2028-01-01", "kind": "holiday", "name": "元旦", "stands_in_for": "", "version": version},
        token_from="/console/admin/calendar/2027")
    assert wrong.status_code == 422 and "须在 2027 年内" in wrong.text
    cleared = await browser.submit("/console/admin/calendar/2027/day", {
        "day": "2027-10-01", "kind": "default", "name": "", "stands_in_for": "", "version": version},
        token_from="/console/admin/calendar/2027")
    assert cleared.status_code == 303 and await CalendarDay.filter(year=2027).count() == 1


async def test_an_admin_edits_a_hall_its_services_and_staff(browser: Browser, db):
    clerk_name, _ = await make_user("staff")
    await as_admin(browser)
    made = await browser.submit("/console/admin/halls", {"name": "黄贝街道便民服务中心", "address": "深圳市罗湖区",
                                                         "phone": "", "windows": "3", "poi_id": ""})
    assert made.status_code == 303
    hall = await Hall.get(name="黄贝街道便民服务中心")
    page = f"/console/admin/halls/{hall.id}"
    assert made.headers["location"].startswith(page)
    form = await browser.get(page)
    rules = dict(re.findall(r'name="(rule_[a-z_]+)" type="number" required value="(\d+)"', form.text))
    changed = await browser.submit(page, {"name": hall.name, "address": "深圳市罗湖区黄贝路", "phone": "0755-12345",
                                          "windows": "4", "poi_id": "", "is_active": "1",
                                          **rules, "rule_cancel_before_minutes": "120"})
    assert changed.status_code == 303
    hall = await Hall.get(id=hall.id)
    assert (hall.windows, hall.rules["cancel_before_minutes"]) == (4, 120)
    bad = await browser.submit(page, {"name": hall.name, "windows": "4", **rules, "rule_max_per_week": "99"})
    assert bad.status_code == 422 and (await Hall.get(id=hall.id)).rules["max_per_week"] != 99

    added = await browser.submit(f"{page}/services", {"name": "居住证办理", "department": "公安分局",
                                                      "average_minutes": "20", "materials": "身份证\n租赁合同",
                                                      "real_name_required": "1"}, token_from=page)
    assert added.status_code == 303
    service = await ServiceItem.get(name="居住证办理")
    assert service.materials == ["身份证", "租赁合同"]
    closed = await browser.submit(f"{page}/services/{service.id}", {"name": "居住证办理", "department": "公安分局",
                                                                    "average_minutes": "20", "materials": ""},
                                  token_from=page)
    assert closed.status_code == 303 and not (await ServiceItem.get(id=service.id)).is_active
    assert "居住证办理" in (await browser.get(page)).text  # an inactive item stays editable

    clerk = await User.get(username=clerk_name)
    assigned = await browser.submit(f"{page}/staff", {"user_id": str(clerk.id)}, token_from=page)
    assert assigned.status_code == 303 and (await User.get(id=clerk.id)).halls == [hall.id]
    removed = await browser.submit(f"{page}/staff/{clerk.id}/remove", {}, token_from=page)
    assert removed.status_code == 303 and (await User.get(id=clerk.id)).halls == []


async def test_only_admins_open_the_admin_pages(browser: Browser, db):
    assert (await browser.log_in(*await make_user("staff"))).status_code == 303
    for path in ("/console/admin/accounts", "/console/admin/calendar/2027", "/console/admin/halls"):
        assert (await browser.get(path)).status_code == 403, path
