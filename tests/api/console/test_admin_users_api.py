"""账号与角色 through the admin API (both backends): temporary first passwords, role and hall changes that
end the account's sessions (API and console), the own-account and last-admin guards (also when two
admins act at the same moment), disable/enable, unlock, password and second-factor resets, the log."""

from __future__ import annotations

import asyncio

import pytest

from server import accounts, accounts_admin, errors
from server.tables import OperationLog, User
from tests.api.console.conftest import Browser

USERS = "/api/v1/admin/users"


async def login(client, username, password, otp=None):
    return await client.post("/api/v1/auth/staff", json={"username": username, "password": password,
                                                         **({"otp": otp} if otp else {})})


async def admin_of(client):
    headers = await client.login_staff(role="admin")
    return headers, (await client.get("/api/v1/me", headers=headers)).json()["id"]


async def new_hall(client, admin, name):
    response = await client.post("/api/v1/admin/halls", json={"name": name}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def ready_clerk(client, admin, halls):
    """A clerk created through the API who has changed the temporary password; (id, password)."""
    created = (await client.post(USERS, json={"username": f"clerk{len(halls)}x", "role": "staff", "halls": halls},
                                 headers=admin)).json()
    first = await login(client, created["account"]["username"], created["temporary_password"])
    changed = await client.post("/api/v1/me/password", headers={"Authorization": f"Bearer {first.json()['token']}"},
                                json={"old_password": created["temporary_password"], "new_password": "Counter-pw-7"})
    assert changed.status_code == 204
    return created["account"], "Counter-pw-7"


async def test_an_account_starts_with_a_temporary_password_that_must_be_changed(client, db):
    admin, _ = await admin_of(client)
    hall = await new_hall(client, admin, "罗湖区政务服务中心")
    created = await client.post(USERS, json={"username": "Clerk.Li", "role": "staff", "halls": [hall]}, headers=admin)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["account"] | {"id": 0, "created_at": 0, "password_changed_at": 0} == {
        "id": 0, "username": "clerk.li", "role": "staff", "halls": [hall], "otp_enrolled": False, "is_active": True,
        "disabled_reason": None, "locked": False, "last_login_at": None, "password_changed_at": 0,
        "password_age_days": 0, "must_change_password": True, "created_at": 0}
    first = await login(client, "clerk.li", body["temporary_password"])
    assert first.status_code == 200 and first.json()["state"] == "password_change_required"
    listed = (await client.get(USERS, headers=admin)).json()
    assert [a["username"] for a in listed if a["role"] == "staff"] == ["clerk.li"]
    assert next(a for a in listed if a["username"] == "clerk.li")["last_login_at"] is not None

    taken = await client.post(USERS, json={"username": "clerk.li", "role": "editor"}, headers=admin)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "username_taken"
    for bad, field in (({"username": "x", "role": "staff"}, "username"),
                       ({"username": "ed.wang", "role": "root"}, "role"),
                       ({"username": "ed.wang", "role": "editor", "halls": [hall]}, "halls"),
                       ({"username": "ed.wang", "role": "staff", "halls": [hall + 999]}, "halls")):
        refused = await client.post(USERS, json=bad, headers=admin)
        assert refused.status_code == 422, bad
        assert [f["field"] for f in refused.json()["error"]["details"]["fields"]] == [field], bad
    assert not await User.filter(username="ed.wang").exists()  # nothing half-written

    entry = await OperationLog.filter(action="server.create_user", result="ok").first()
    assert entry.after["username"] == "clerk.li" and entry.after["halls"] == [hall]
    assert body["temporary_password"] not in str(entry.after)


async def test_a_change_of_halls_or_role_ends_the_api_and_console_sessions(client, browser: Browser, db):
    admin, _ = await admin_of(client)
    first, second = await new_hall(client, admin, "一号大厅"), await new_hall(client, admin, "二号大厅")
    account, password = await ready_clerk(client, admin, [first])
    token = {"Authorization": f"Bearer {(await login(client, account['username'], password)).json()['token']}"}
    assert (await client.get("/api/v1/me", headers=token)).status_code == 200
    assert (await browser.log_in(account["username"], password)).status_code == 303
    assert (await browser.get(f"/console/hall/{first}/day")).status_code == 200

    moved = await client.patch(f"{USERS}/{account['id']}", json={"halls": [second]}, headers=admin)
    assert moved.status_code == 200 and moved.json()["halls"] == [second]
    assert (await client.get("/api/v1/me", headers=token)).status_code == 401
    assert (await browser.get(f"/console/hall/{first}/day")).headers["location"].startswith("/console/login")
    entry = await OperationLog.filter(action="server.update_user", result="ok").first()
    assert (entry.before, entry.after) == ({"role": "staff", "halls": [first]}, {"halls": [second], "role": "staff"})

    token = {"Authorization": f"Bearer {(await login(client, account['username'], password)).json()['token']}"}
    promoted = await client.patch(f"{USERS}/{account['id']}", json={"role": "editor"}, headers=admin)
    assert promoted.json()["role"] == "editor" and promoted.json()["halls"] == []  # only staff serve halls
    assert (await client.get("/api/v1/me", headers=token)).status_code == 401
    same = await client.patch(f"{USERS}/{account['id']}", json={"halls": [first]}, headers=admin)
    assert same.status_code == 422  # an editor has no hall scope


async def test_an_admin_cannot_disable_or_demote_themselves(client, db):
    admin, me = await admin_of(client)
    for path, method, body in ((f"{USERS}/{me}/disable", "post", None), (f"{USERS}/{me}", "patch", {"role": "staff"})):
        refused = await getattr(client, method)(path, json=body, headers=admin)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "own_account"
    assert (await User.get(id=me)).role == "admin" and (await User.get(id=me)).is_active
    missing = await client.post(f"{USERS}/{me + 1000}/disable", headers=admin)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "user_not_found"
    resident = await client.login_dev()
    resident_id = (await client.get("/api/v1/me", headers=resident)).json()["id"]
    assert (await client.post(f"{USERS}/{resident_id}/disable", headers=admin)).status_code == 404
    for caller in (resident, await client.login_staff(role="staff"), await client.login_staff(role="editor")):
        assert (await client.get(USERS, headers=caller)).status_code == 403


@pytest.mark.parametrize("second_move", ["disable", "demote"])
async def test_two_admins_taking_each_other_away_at_once_leave_one_admin(db, second_move):
    a = await accounts.create_user(username="admin.a", password="Admin-pw-1", role="admin")
    b = await accounts.create_user(username="admin.b", password="Admin-pw-2", role="admin")
    moves = (accounts_admin.disable_account(b.id, actor_id=a.id),
             accounts_admin.disable_account(a.id, actor_id=b.id) if second_move == "disable"
             else accounts_admin.update_account(a.id, actor_id=b.id, role="editor"))
    results = await asyncio.gather(*moves, return_exceptions=True)
    refused = [r for r in results if isinstance(r, errors.DomainError)]
    assert len(refused) == 1 and refused[0].code == "last_admin", results
    assert await User.filter(role="admin", is_active=True).count() == 1


async def test_disable_enable_unlock_and_resets(client, db):
    admin, _ = await admin_of(client)
    account, password = await ready_clerk(client, admin, [])
    user_url, name = f"{USERS}/{account['id']}", account["username"]

    before = (await client.get(user_url, headers=admin)).json()
    assert (await client.post(f"{user_url}/enable", headers=admin)).json() == before  # already enabled: no change
    disabled = await client.post(f"{user_url}/disable", headers=admin)
    assert disabled.json()["is_active"] is False and disabled.json()["disabled_reason"] == "admin"
    assert (await login(client, name, password)).status_code == 401
    assert (await client.post(f"{user_url}/enable", headers=admin)).json()["is_active"] is True

    for _ in range(5):
        await login(client, name, "wrong-Guess-1")
    assert (await login(client, name, password)).status_code == 429
    assert (await client.get(user_url, headers=admin)).json()["locked"] is True
    assert (await client.post(f"{user_url}/unlock", headers=admin)).json()["locked"] is False
    ok = await login(client, name, password)
    assert ok.status_code == 200 and ok.json()["state"] == "ok"

    reset = await client.post(f"{user_url}/password-reset", headers=admin)
    temporary = reset.json()["temporary_password"]
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {ok.json()['token']}"})).status_code == 401
    assert (await login(client, name, password)).status_code == 401
    assert (await login(client, name, temporary)).json()["state"] == "password_change_required"
    entry = await OperationLog.filter(action="server.reset_password").first()
    assert temporary not in str(entry.after) and entry.after["password_reset"] is True  # a flag, no secret

    from tests.conftest import enrol_totp
    await enrol_totp(account["id"])
    assert (await client.get(user_url, headers=admin)).json()["otp_enrolled"] is True
    assert (await client.post(f"{user_url}/otp-reset", headers=admin)).json()["otp_enrolled"] is False


async def test_unlock_clears_a_second_factor_lock_out_too(client, db):
    """A clerk who mistyped the one-time code five times is shown locked, and the admin's unlock lets the right
    code in at once (not only the password's lock-out)."""
    from tests.conftest import enrol_totp
    admin, _ = await admin_of(client)
    account, password = await ready_clerk(client, admin, [])
    user_url, name = f"{USERS}/{account['id']}", account["username"]
    await enrol_totp(account["id"])
    for _ in range(5):
        assert (await login(client, name, password, otp="000000")).json()["error"]["code"] == "invalid_otp"
    code = await enrol_totp(account["id"])
    assert (await login(client, name, password, otp=code)).json()["error"]["code"] == "too_many_attempts"
    assert (await client.get(user_url, headers=admin)).json()["locked"] is True
    assert (await client.post(f"{user_url}/unlock", headers=admin)).json()["locked"] is False
    ok = await login(client, name, password, otp=code)
    assert ok.status_code == 200 and ok.json()["state"] == "ok", ok.text
