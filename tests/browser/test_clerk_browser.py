"""A clerk's morning in a real browser: log in with the second factor, check in by typed code and by scanner, call, complete,
walk-in, no-show, CSV export, the 叫号 display; scope, CSRF and the idle limit."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import Site, enter, follow, log_in, shoot

HALL = "罗湖区行政服务大厅"


def open_hall(page, site: Site) -> str:
    """From the home page to the clerk's hall; returns the hall's base URL."""
    follow(page, "text=服务大厅")
    follow(page, f"text={HALL}")
    return page.url.rsplit("/", 1)[0]


def test_a_clerk_runs_the_morning(page, site: Site):
    log_in(page, site, "clerk-a")
    shoot(page, site, "home")
    base = open_hall(page, site)
    shoot(page, site, "day-sheet")
    codes = page.locator("table tbody tr td:nth-child(6)").all_inner_texts()
    assert len(codes) >= 3 and "张*" in page.content() and "张伟" not in page.content()

    follow(page, "text=签到取号")
    enter(page, codes[0].lower())  # the input has the focus: type and Enter, as at the counter
    first = page.locator("#ticket-number").inner_text()
    assert re.fullmatch(r"A\d{3}", first)
    shoot(page, site, "checkin")
    enter(page, site.checkin_token(codes[1]))  # what a USB scanner types from the resident's QR code
    second = page.locator("#ticket-number").inner_text()
    assert second != first and second.startswith("A")

    follow(page, "nav.subnav >> text=叫号")
    page.select_option("select[name=service_id]", index=1)
    follow(page, "button:text-is('取号')")
    assert re.search(r"已取号 W\d{3}", page.locator(".ok").inner_text())
    page.fill("input[name=window]", "3")
    follow(page, "text=叫下一位")
    assert page.locator(".ok").inner_text() == f"{first} 已叫号"
    shoot(page, site, "queue")

    display = page.context.new_page()
    display.goto(base.replace("/console/hall/", "/console/display/"))
    assert display.locator(".serving-ticket").first.inner_text() == first
    assert "张" not in display.content()
    shoot(display, site, "display")

    follow(page, f"button[aria-label='办结 {first}']")
    assert page.locator(".ok").inner_text() == f"{first} 已办结"
    follow(page, f"button[aria-label='叫号 {second}']")
    follow(page, f"button[aria-label='过号 {second}']")
    assert page.locator(".ok").inner_text() == f"{second} 已过号"
    expect(display.locator("#board")).not_to_contain_text(first, timeout=10_000)  # it refreshed by itself
    display.close()

    page.goto(f"{base}/day")
    with page.expect_download() as download:
        page.click("text=导出 CSV")
    rows = list(csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig"))))
    statuses = {row[7]: row[8] for row in rows[1:]}
    assert statuses[codes[0]] == "已办结" and statuses[codes[1]] == "爽约"


def test_a_clerk_of_one_hall_cannot_open_another_halls_day_sheet(page, site: Site):
    log_in(page, site, "clerk-b")
    follow(page, "text=服务大厅")
    assert HALL not in page.locator("main").inner_text()
    other = page.goto(f"{site.url}/console/hall/1/day")
    assert other.status == 403 and "无权" in page.content()


def test_a_form_posted_without_its_csrf_token_is_refused(page, site: Site):
    log_in(page, site, "clerk-a")
    base = open_hall(page, site)
    follow(page, "nav.subnav >> text=叫号")
    page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(function (i) { i.remove(); })")
    page.fill("input[name=window]", "4")
    follow(page, "text=叫下一位")
    assert "表单已失效" in page.content()
    shoot(page, site, "csrf-refused")
    assert page.goto(f"{base}/queue").status == 200  # the session itself is unharmed


def test_an_idle_session_ends(page, site: Site):
    log_in(page, site, "clerk-a")
    site.move_clock(31)
    page.goto(f"{site.url}/console/halls")
    assert "/console/login" in page.url and "登录已超时" in page.content()


def test_a_clerk_enrols_a_second_factor_and_logs_in_with_it(page, site: Site):
    import pyotp

    log_in(page, site, "clerk-b")
    follow(page, "nav.menu >> text=两步验证")
    secret = page.locator("#otp-secret").inner_text()
    shoot(page, site, "otp-enrolment")
    page.fill("input[name=code]", pyotp.TOTP(secret).at(site.move_clock(0)))
    follow(page, "button:text-is('启用')")
    assert page.locator("#recovery-codes li").count() == 10
    follow(page, "button:text-is('退出登录')")

    page.fill("input[name=username]", "clerk-b")
    page.fill("input[name=password]", site.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/console/second-factor")
    now = site.move_clock(1)  # the enrolment's code is spent; the next step's code
    page.focus("input[name=code]")
    enter(page, pyotp.TOTP(secret).at(now))
    assert page.url == f"{site.url}/console/"
    assert "clerk-b" in page.locator(".who").inner_text()
