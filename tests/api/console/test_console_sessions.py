"""Console log-in, sessions (idle and absolute limits), CSRF, log-out and password change, both backends."""

from __future__ import annotations

from datetime import timedelta

from server import clock
from server.tables import LoginLog, OperationLog
from tests.api.console.conftest import Browser, make_user


async def test_login_sets_a_strict_httponly_secure_cookie_and_opens_home(browser: Browser):
    username, password = await make_user("staff")
    response = await browser.log_in(username, password)
    assert response.status_code == 303 and response.headers["location"] == "/console/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
    home = await browser.get("/console/")
    assert home.status_code == 200 and username in home.text
    assert "script-src 'self'" in home.headers["content-security-policy"]
    assert "unsafe-inline" not in home.headers["content-security-policy"]


async def test_wrong_password_shows_the_form_again_with_the_reason(browser: Browser):
    username, _ = await make_user("editor")
    response = await browser.log_in(username, "not-the-password")
    assert response.status_code == 401 and "用户名或密码错误" in response.text
    assert (await browser.get("/console/")).status_code == 303
    assert (await browser.log_in(username, _)).status_code == 303
    tried = await LoginLog.filter(username=username).order_by("id").values_list("result", "user_agent", "ip")
    assert [row[0] for row in tried] == ["invalid_credentials", "ok"]
    assert tried[0][2] and "python-httpx" in tried[0][1]


async def test_a_form_without_its_csrf_token_is_refused(browser: Browser):
    await browser.log_in(*await make_user("staff"))
    refused = await browser.post("/console/password", data={"old_password": "x", "new_password": "y", "repeat_password": "y"})
    assert refused.status_code == 403 and "表单已失效" in refused.text
    forged = await browser.post("/console/logout", data={"csrf": "0" * 64})
    assert forged.status_code == 403
    assert (await browser.get("/console/")).status_code == 200  # still logged in
    refusals = await OperationLog.filter(result="csrf_refused").values_list("action", "status")
    assert sorted(refusals) == [("console.views.change_password", 403), ("console.views.logout", 403)]


async def test_login_form_needs_its_own_token(browser: Browser):
    username, password = await make_user("staff")
    response = await browser.post("/console/login", data={"username": username, "password": password})
    assert response.status_code == 403


async def test_idle_session_ends_after_the_configured_minutes(browser: Browser):
    await browser.log_in(*await make_user("staff"))
    clock.advance(timedelta(minutes=29))
    assert (await browser.get("/console/")).status_code == 200  # a request keeps it alive
    clock.advance(timedelta(minutes=29))
    assert (await browser.get("/console/")).status_code == 200
    clock.advance(timedelta(minutes=31))
    response = await browser.get("/console/")
    assert response.status_code == 303 and "expired=1" in response.headers["location"]
    page = await browser.get(response.headers["location"])
    assert "登录已超时" in page.text


async def test_no_session_outlives_twelve_hours(browser: Browser):
    await browser.log_in(*await make_user("staff"))
    elapsed = timedelta(0)
    while (await browser.get("/console/")).status_code == 200 and elapsed < timedelta(hours=13):
        clock.advance(timedelta(minutes=15))
        elapsed += timedelta(minutes=15)
    assert elapsed == timedelta(hours=12)  # busy all day, and still out at the twelfth hour


async def test_an_admin_without_a_second_factor_is_sent_to_enrol_it(browser: Browser):
    await browser.log_in(*await make_user("admin"))
    home = await browser.get("/console/")
    assert home.status_code == 303 and home.headers["location"] == "/console/otp"
    assert "须先绑定动态口令" in (await browser.get("/console/otp")).text


async def test_logout_ends_the_session(browser: Browser):
    await browser.log_in(*await make_user("editor"))
    token = await browser.form_token("/console/")
    old_cookie = browser.cookies.get("bianmin_console")
    response = await browser.post("/console/logout", data={"csrf": token})
    assert response.status_code == 303
    browser.cookies.set("bianmin_console", old_cookie, domain="testserver", path="/console")
    assert (await browser.get("/console/")).status_code == 303


async def test_change_password_needs_the_old_one_and_ends_other_sessions(browser: Browser, app):
    username, password = await make_user("staff")
    await browser.log_in(username, password)
    wrong = await browser.submit("/console/password", {"old_password": "nope", "new_password": "Neu-Passwort-1", "repeat_password": "Neu-Passwort-1"})
    assert wrong.status_code == 401 and "原密码错误" in wrong.text
    done = await browser.submit("/console/password", {"old_password": password, "new_password": "Neu-Passwort-1", "repeat_password": "Neu-Passwort-1"})
    assert done.status_code == 200 and "密码已修改" in done.text
    assert (await browser.log_in(username, password)).status_code == 401
    assert (await browser.log_in(username, "Neu-Passwort-1")).status_code == 303
    entries = await OperationLog.filter(action="console.views.change_password").order_by("id").values("result", "after")
    assert [e["result"] for e in entries] == ["invalid_credentials", "ok"]
    assert "Neu-Passwort-1" not in str(entries) and password not in str(entries)


async def test_menu_follows_the_role(browser: Browser):
    await browser.log_in(*await make_user("editor"))
    home = await browser.get("/console/")
    assert "政府公报" in home.text and "服务大厅" not in home.text
    assert (await browser.get("/console/halls")).status_code == 403


async def test_a_first_password_must_be_changed_before_anything_else(browser: Browser):
    from server import accounts

    await accounts.create_user(username="neu-clerk", password="Erst-Pw-2026", role="staff", must_change=True)
    assert (await browser.log_in("neu-clerk", "Erst-Pw-2026")).status_code == 303
    home = await browser.get("/console/")
    assert home.status_code == 303 and home.headers["location"] == "/console/password"
    token = await browser.form_token("/console/password")
    assert "请先修改密码" in (await browser.get("/console/password")).text
    refused = await browser.post("/console/notices/", data={"csrf": token, "title": "t", "body": "b"})
    assert refused.status_code == 403 and "password_change_required" in refused.text
    weak = await browser.submit("/console/password", {"old_password": "Erst-Pw-2026", "new_password": "aaaaaaaa",
                                                      "repeat_password": "aaaaaaaa"})
    assert weak.status_code == 422
    done = await browser.submit("/console/password", {"old_password": "Erst-Pw-2026", "new_password": "Zweit-Pw-2026",
                                                      "repeat_password": "Zweit-Pw-2026"})
    assert done.status_code == 200
    assert (await browser.get("/console/")).status_code == 200


async def test_a_clerk_enrols_a_second_factor_and_then_logs_in_with_it(browser: Browser):
    import re

    import pyotp

    username, password = await make_user("staff")
    await browser.log_in(username, password)
    enrol = await browser.get("/console/otp")
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', enrol.text).group(1)
    confirmed = await browser.submit("/console/otp", {"code": pyotp.TOTP(secret).at(clock.timestamp())},
                                     token_from="/console/password")
    assert confirmed.status_code == 200 and len(re.findall(r"<li><code>", confirmed.text)) == 10
    await browser.submit("/console/logout", {}, token_from="/console/")

    step = await browser.log_in(username, password)
    assert step.headers["location"] == "/console/second-factor"
    assert (await browser.get("/console/")).status_code == 303  # the password alone opens nothing
    clock.advance(timedelta(seconds=30))  # the code used to enrol is spent: the next one
    wrong = await browser.submit("/console/second-factor", {"code": "000000"})
    assert wrong.status_code == 401
    right = await browser.submit("/console/second-factor", {"code": pyotp.TOTP(secret).at(clock.timestamp())})
    assert right.status_code == 303
    assert (await browser.get("/console/")).status_code == 200
    results = await LoginLog.filter(username=username).order_by("id").values_list("result", flat=True)
    assert list(results)[-3:] == ["second_factor_required", "invalid_otp", "ok"]
