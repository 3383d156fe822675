"""The administrators' 操作日志 / 登录日志 pages through HTTP (both backends): search, pages, CSV, chain check."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pyotp

from server import accounts, audit, clock, totp
from server.tables import OperationLog
from tests.api.console.conftest import Browser, make_user
from tests.integration.server.test_audit_chain import tamper


async def as_admin(browser: Browser) -> str:
    """Log in as a new admin with the second factor admins must have (enrolled, then a fresh code)."""
    username, password = f"admin-{secrets.token_hex(4)}", "pw-" + secrets.token_hex(8)
    user = await accounts.create_user(username=username, password=password, role="admin")
    secret = (await totp.start_enrolment(user.id))["secret"]
    await totp.confirm_enrolment(user.id, pyotp.TOTP(secret).at(clock.timestamp()))
    clock.advance(timedelta(seconds=30))  # the enrolment's code is spent
    assert (await browser.log_in(username, password)).headers["location"] == "/console/second-factor"
    step = await browser.submit("/console/second-factor", {"code": pyotp.TOTP(secret).at(clock.timestamp())})
    assert step.status_code == 303, step.text
    return username


async def test_only_admins_open_the_log_pages(browser: Browser, db):
    assert (await browser.log_in(*await make_user("staff"))).status_code == 303
    for path in ("/console/admin/audit", "/console/admin/logins", "/console/admin/audit.csv",
                 "/console/admin/logins.csv", "/console/admin/audit/verify"):
        refused = await browser.get(path)
        assert refused.status_code == 403 and "无权" in refused.text, path
    assert "/console/admin/audit" not in (await browser.get("/console/")).text


async def test_the_operation_log_is_searched_by_who_what_and_result(browser: Browser, db):
    await as_admin(browser)
    for n in range(3):
        await audit.record_operation(actor=None, action=f"poi.update.{n}", target=f"poi_id={n}",
                                     after={"name": f"便民点{n}"})
    await audit.record_operation(actor=None, action="hall.update", target="hall_id=9", result="conflict")
    page = await browser.get("/console/admin/audit", params={"action": "poi.update"})
    assert page.status_code == 200
    assert page.text.count("poi.update.") == 3 and "hall.update" not in page.text
    failed = await browser.get("/console/admin/audit", params={"result": "conflict"})
    assert "hall_id=9" in failed.text and "poi_id=" not in failed.text
    nobody = await browser.get("/console/admin/audit", params={"from": "2001-01-01", "to": "2001-01-02"})
    assert "没有符合条件的记录" in nobody.text
    bad = await browser.get("/console/admin/audit", params={"who": "张三"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")


async def test_the_operation_log_pages_older_entries_by_cursor(browser: Browser, db, monkeypatch):
    from console import admin_logs

    monkeypatch.setattr(admin_logs, "PAGE_SIZE", 2)
    await as_admin(browser)
    for n in range(5):
        await audit.record_operation(actor=None, action=f"paging.test.{n}")
    seen: list[str] = []
    path = "/console/admin/audit?action=paging.test"
    while path:
        page = await browser.get(path)
        seen += re.findall(r"paging\.test\.(\d)", page.text)
        following = re.search(r'href="(/console/admin/audit\?[^"]*cursor=[^"]+)" rel="next"', page.text)
        path = following.group(1).replace("&amp;", "&") if following else ""
    assert seen == ["4", "3", "2", "1", "0"]


async def test_the_login_log_is_searched_and_exported(browser: Browser, db):
    username, _ = await make_user("editor")
    assert (await browser.log_in(username, "wrong-password")).status_code == 401
    await as_admin(browser)
    failures = await browser.get("/console/admin/logins", params={"who": username})
    assert failures.status_code == 200 and username in failures.text and "invalid_credentials" in failures.text
    export = await browser.get("/console/admin/logins.csv", params={"who": username})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("编号,时间,用户名") and len(lines) == 2 and username in lines[1]


async def test_the_operation_log_export_takes_the_filters(browser: Browser, db):
    await as_admin(browser)
    await audit.record_operation(actor=None, action="export.me", target="=HYPERLINK(1)")
    await audit.record_operation(actor=None, action="leave.me.out")
    export = await browser.get("/console/admin/audit.csv", params={"action": "export.me"})
    text = export.content.decode("utf-8-sig")
    assert "export.me" in text and "leave.me.out" not in text and "'=HYPERLINK(1)" in text


async def test_the_chain_check_finds_an_edited_entry(browser: Browser, db):
    await as_admin(browser)
    await audit.record_operation(actor=None, action="chain.check", after={"x": 1})
    intact = await browser.get("/console/admin/audit/verify")
    assert intact.status_code == 200 and "哈希链完整" in intact.text
    entry = await OperationLog.filter(action="chain.check").first()
    await tamper(f"UPDATE audit_operations SET target = 'tampered' WHERE id = {entry.id}")
    broken = await browser.get("/console/admin/audit/verify")
    assert "哈希链校验未通过" in broken.text
    assert f"操作日志 audit_operations #{entry.id}：内容与哈希不符（被修改）" in broken.text
    assert "does not match" not in broken.text  # the console reports in Chinese
