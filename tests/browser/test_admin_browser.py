"""An administrator's accounts, hall staff and calendar in a real browser: log in with the second factor,
create a clerk account (its temporary password shown once), assign it to a hall, mark a holiday in
2027 (a year without official data), find each of these writes in the operation log and the hash chain
intact until an entry is edited in the database file; the new clerk's first login can only change the password."""

from __future__ import annotations

from tests.browser.conftest import Site, follow, shoot
from tests.browser.test_map_browser import log_in_admin

HALL = "罗湖区行政服务大厅"


def test_an_admin_creates_a_clerk_assigns_a_hall_and_marks_a_holiday(page, site: Site, chromium):
    log_in_admin(page, site)
    follow(page, "nav.menu >> text=账号与角色")
    shoot(page, site, "admin-accounts")
    page.fill("input[name=username]", "clerk-new")
    page.select_option("select[name=role]", "staff")
    follow(page, "button:text-is('新建账号')")
    temporary = page.locator("#temporary-password").inner_text()
    assert len(temporary) == 12
    shoot(page, site, "admin-account-created")

    follow(page, "nav.subnav >> text=大厅与事项")
    follow(page, f"text=管理 {HALL}")
    page.select_option("select[name=user_id]", label="clerk-new")
    follow(page, "button:text-is('分配到本大厅')")
    assert "已分配工作人员" in page.locator(".ok").inner_text()
    assert page.locator("button:text-is('移出 clerk-new')").is_visible()
    shoot(page, site, "admin-hall")

    page.goto(f"{site.url}/console/admin/calendar/2027")
    assert "暂无官方安排" in page.content()
    follow(page, "a[aria-label^='2027-10-01']")
    page.select_option("select[name=kind]", "holiday")
    page.fill("input[name=name]", "国庆节")
    follow(page, "#day-form button:text-is('保存')")
    assert page.locator(".ok").inner_text() == "已将 2027-10-01 设为放假"
    assert page.locator("td.day-holiday a[aria-label^='2027-10-01']").count() == 1
    shoot(page, site, "admin-calendar")

    page.goto(f"{site.url}/console/admin/audit?action=console.admin")  # each write above, in the operation log
    logged = page.locator("table tbody").inner_text()
    for action in ("admin_accounts.create_account", "admin_halls.add_staff", "admin_calendar.set_day"):
        assert f"console.{action}" in logged
    shoot(page, site, "admin-operation-log")
    follow(page, "nav.subnav >> text=完整性校验")
    assert "哈希链完整" in page.locator("#chain-status").inner_text()
    # Someone edits the calendar's entry in the database file: the check (bianmin audit verify's) names it.
    [(entry, target)] = site.edit_database("SELECT id, target FROM audit_operations WHERE action = ? "
                                           "ORDER BY id DESC LIMIT 1", "console.admin_calendar.set_day")
    site.edit_database("UPDATE audit_operations SET target = 'year=2026' WHERE id = ?", entry)
    page.reload()
    assert "哈希链校验未通过" in page.locator("#chain-status").inner_text()
    assert f"audit_operations #{entry}" in page.locator("#chain-status").inner_text()
    shoot(page, site, "admin-audit-broken")
    site.edit_database("UPDATE audit_operations SET target = ? WHERE id = ?", target, entry)  # for the other tests

    clerk = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    clerk.goto(f"{site.url}/console/login")
    clerk.fill("input[name=username]", "clerk-new")
    clerk.fill("input[name=password]", temporary)
    with clerk.expect_navigation():
        clerk.keyboard.press("Enter")
    clerk.goto(f"{site.url}/console/halls")
    assert clerk.url.endswith("/console/password")  # a first password must be changed before anything else
    clerk.context.close()
