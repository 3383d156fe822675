"""Account controls through the API: first and expired passwords, history, idle accounts, the TOTP
second factor with recovery codes and replay refusal, and the login log of every attempt."""

from __future__ import annotations

import base64
import dataclasses
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import zxingcpp
from PIL import Image

from console import sessions
from console.tables import ConsoleSession
from server import accounts, accounts_admin, clock, config, passwords
from server.tables import LoginLog, OperationLog, User

STAFF_ONLY = "/api/v1/admin/audit"  # an admin route; any route but the pending-ok ones behaves the same


async def login(client, username, password, otp=None):
    body = {"username": username, "password": password, **({"otp": otp} if otp else {})}
    return await client.post("/api/v1/auth/staff", json=body, headers={"User-Agent": "Chrome/120 clerk-pc"})


def bearer(response):
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_a_first_password_must_be_changed_before_anything_else(client):
    await accounts.create_user(username="clerk.zhao", password="Temp-pass-1", role="staff", must_change=True)
    first = await login(client, "clerk.zhao", "Temp-pass-1")
    assert first.status_code == 200 and first.json()["state"] == "password_change_required"
    headers = bearer(first)
    blocked = await client.get("/api/v1/staff/halls/1/bookings", headers=headers)
    assert blocked.status_code == 403 and blocked.json()["error"]["code"] == "password_change_required"
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200

    async def change(old, new):
        return await client.post("/api/v1/me/password", json={"old_password": old, "new_password": new},
                                 headers=headers)

    weak = await change("Temp-pass-1", "zhaozhaozhao")
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
    assert {f["code"] for f in weak.json()["error"]["details"]["fields"]} == {"classes"}
    wrong = await change("not-it-1A", "Better-pass-2")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_credentials"
    assert (await change("Temp-pass-1", "Temp-pass-1")).json()["error"]["code"] == "password_reused"
    assert (await change("Temp-pass-1", "Better-pass-2")).status_code == 204
    again = await client.get("/api/v1/staff/halls/1/bookings", headers=headers)
    assert again.json()["error"]["code"] == "forbidden"  # the same session is past the change: now it is the hall
    assert (await login(client, "clerk.zhao", "Better-pass-2")).json()["state"] == "ok"
    # The audit entry of the change keeps no password, and says the required change was made.
    entry = await OperationLog.get(action="server.change_password", result="ok")
    assert {k: entry.after[k] for k in ("old_password", "new_password", "must_change_password")} == {
        "old_password": "***", "new_password": "***", "must_change_password": False}
    assert entry.before["must_change_password"] is True


async def test_the_last_five_passwords_cannot_come_back(db):
    user = await accounts.create_user(username="ed.qian", password="Start-pass-0", role="editor")
    with pytest.raises(passwords.PasswordReused):  # the creation's password is in the history too
        await passwords.set_password(user, "Start-pass-0")
    current = "Start-pass-0"
    for n in range(1, 6):
        await passwords.change_password(user.id, current=current, new=f"Round-{n}-pass")
        current = f"Round-{n}-pass"
    with pytest.raises(passwords.PasswordReused):  # the last five: Round-1 .. Round-5
        await passwords.change_password(user.id, current=current, new="Round-1-pass")
    await passwords.change_password(user.id, current=current, new="Start-pass-0")  # sixth back: allowed


async def test_passwords_expire_after_the_configured_age(client):
    clock.freeze(datetime(2026, 3, 1, 1, 0, tzinfo=UTC))
    await accounts.create_user(username="clerk.sun2", password="Good-pass-1", role="staff")
    assert (await login(client, "clerk.sun2", "Good-pass-1")).json()["state"] == "ok"
    clock.advance(timedelta(days=config.current().password_max_age_days + 1))
    assert (await login(client, "clerk.sun2", "Good-pass-1")).json()["state"] == "password_change_required"


async def test_idle_accounts_are_disabled_and_their_sessions_end(client):
    clock.freeze(datetime(2026, 3, 1, 1, 0, tzinfo=UTC))
    await accounts.create_user(username="clerk.idle", password="Good-pass-1", role="staff")
    await accounts.create_user(username="clerk.busy", password="Good-pass-1", role="staff")
    headers = bearer(await login(client, "clerk.idle", "Good-pass-1"))
    console_token, _, _ = await sessions.log_in("clerk.idle", "Good-pass-1")
    clock.advance(timedelta(days=80))
    await login(client, "clerk.busy", "Good-pass-1")
    clock.advance(timedelta(days=11))  # idle: 91 days since its last login; busy: 11
    assert await accounts_admin.disable_idle_accounts() == 1
    idle = await User.get(username="clerk.idle")
    assert (idle.is_active, idle.disabled_reason) == (False, "idle")
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    # The console's session ends too (through the same revocation path as an admin's disable), so it
    # cannot come back when the account is enabled again.
    console_session = await ConsoleSession.get(token_hash=sessions.hash_token(console_token))
    assert console_session.revoked_at == clock.now()
    assert (await login(client, "clerk.idle", "Good-pass-1")).status_code == 401
    assert (await login(client, "clerk.busy", "Good-pass-1")).status_code == 200
    assert await OperationLog.filter(action="accounts.disable_idle", target=f"user_id={idle.id}").exists()
    await passwords.enable_account(idle.id)
    assert (await login(client, "clerk.idle", "Good-pass-1")).status_code == 200


async def test_every_login_attempt_is_in_the_login_log(client):
    await accounts.create_user(username="clerk.log", password="Good-pass-1", role="staff")
    await login(client, "Clerk.Log", "wrong")
    await login(client, "nobody", "wrong")
    await login(client, "clerk.log", "Good-pass-1")
    rows = await LoginLog.all().order_by("id").values("username", "result", "ip", "user_agent", "user_id")
    assert [(r["username"], r["result"]) for r in rows] == [
        ("clerk.log", "invalid_credentials"), ("nobody", "invalid_credentials"), ("clerk.log", "ok")]
    assert all(r["ip"] == "127.0.0.1" and r["user_agent"] == "Chrome/120 clerk-pc" for r in rows)
    assert rows[1]["user_id"] is None
    admin = await client.login_staff(role="admin")
    page = (await client.get("/api/v1/admin/logins", params={"username": "clerk.log"}, headers=admin)).json()
    assert [e["result"] for e in page["items"]] == ["ok", "invalid_credentials"]


async def test_admins_enrol_a_second_factor_and_then_need_it(client):
    clock.freeze(datetime(2026, 3, 1, 1, 0, 5, tzinfo=UTC))
    await accounts.create_user(username="boss.li", password="Admin-pass-1", role="admin")
    first = await login(client, "boss.li", "Admin-pass-1")
    assert first.json()["state"] == "otp_enrolment_required"
    headers = bearer(first)
    blocked = await client.get(STAFF_ONLY, headers=headers)
    assert blocked.status_code == 403 and blocked.json()["error"]["code"] == "otp_enrolment_required"

    enrolment = (await client.post("/api/v1/me/otp/enrol", headers=headers)).json()
    image = Image.open(__import__("io").BytesIO(base64.b64decode(enrolment["qr_png_base64"])))
    assert zxingcpp.read_barcodes(image)[0].text == enrolment["otpauth_uri"]
    assert enrolment["otpauth_uri"].startswith("otpauth://totp/") and enrolment["secret"] in enrolment["otpauth_uri"]
    app = pyotp.TOTP(enrolment["secret"])
    assert (await User.get(username="boss.li")).totp_secret_enc.startswith("v1.")  # encrypted at rest

    bad = await client.post("/api/v1/me/otp/confirm", json={"otp": "000000" if app.at(clock.now()) != "000000"
                                                            else "111111"}, headers=headers)
    assert bad.json()["error"]["code"] == "invalid_otp"
    confirmed = await client.post("/api/v1/me/otp/confirm", json={"otp": app.at(clock.now())}, headers=headers)
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert (await client.get(STAFF_ONLY, headers=headers)).status_code == 200

    missing = await login(client, "boss.li", "Admin-pass-1")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "otp_required"
    replayed = await login(client, "boss.li", "Admin-pass-1", app.at(clock.now()))  # the enrolment's code
    assert replayed.json()["error"]["code"] == "invalid_otp"
    clock.advance(timedelta(seconds=30))
    code = app.at(clock.now())
    assert (await login(client, "boss.li", "Admin-pass-1", code)).json()["state"] == "ok"
    assert (await login(client, "boss.li", "Admin-pass-1", code)).json()["error"]["code"] == "invalid_otp"
    assert (await login(client, "boss.li", "Admin-pass-1", codes[3].upper())).status_code == 200
    assert (await login(client, "boss.li", "Admin-pass-1", codes[3])).status_code == 401  # once only
    results = await LoginLog.filter(username="boss.li").order_by("id").values_list("result", flat=True)
    assert results == ["ok", "otp_required", "invalid_otp", "ok", "invalid_otp", "ok", "invalid_otp"]


async def test_other_roles_need_a_second_factor_when_configured(client):
    settings = config.current()
    config.install(dataclasses.replace(settings, require_2fa=("admin", "staff")))
    try:
        await accounts.create_user(username="clerk.otp", password="Good-pass-1", role="staff")
        await accounts.create_user(username="ed.otp", password="Good-pass-1", role="editor")
        assert (await login(client, "clerk.otp", "Good-pass-1")).json()["state"] == "otp_enrolment_required"
        assert (await login(client, "ed.otp", "Good-pass-1")).json()["state"] == "ok"
    finally:
        config.install(settings)


def test_the_setting_must_keep_admins():
    with pytest.raises(config.ConfigError, match="admin"):
        config.load_settings({"BIANMIN_REQUIRE_2FA": "staff,editor", "BIANMIN_SECRET_KEY": "s" * 40,
                              "BIANMIN_PII_KEY": base64.b64encode(b"k" * 32).decode()})
    loaded = config.load_settings({"BIANMIN_REQUIRE_2FA": "admin, Staff", "BIANMIN_SECRET_KEY": "s" * 40,
                                   "BIANMIN_PII_KEY": base64.b64encode(b"k" * 32).decode()})
    assert loaded.require_2fa == ("admin", "staff")
