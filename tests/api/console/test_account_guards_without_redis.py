"""Wrong one-time codes and wrong current passwords are still counted, and locked after five, while Redis is
down: the guesses are kept in the database like the login lock-out (server/lockout.py), both backends."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pyotp

from server import accounts, clock, lockout, totp
from server.tables import LoginLog
from tests.api.console.conftest import Browser, make_user
from tests.support.outage import redis_down


def wrong_code(app: pyotp.TOTP) -> str:
    near = {app.at(clock.timestamp() + d * totp.STEP_S) for d in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


async def test_the_console_second_factor_locks_after_five_wrong_codes_without_redis(browser: Browser):
    username, password = await make_user("staff")
    user = await accounts.User.get(username=username)
    clock.freeze(clock.now())
    app = pyotp.TOTP((await totp.start_enrolment(user.id))["secret"], interval=totp.STEP_S)
    await totp.confirm_enrolment(user.id, app.at(clock.timestamp()))
    clock.advance(timedelta(seconds=totp.STEP_S))
    assert (await browser.log_in(username, password)).headers["location"] == "/console/second-factor"
    async with redis_down():
        for _ in range(lockout.GUESSES):
            wrong = await browser.submit("/console/second-factor", {"code": wrong_code(app)})
            assert wrong.status_code == 401 and "动态口令错误或已使用过" in wrong.text
        right = await browser.submit("/console/second-factor", {"code": app.at(clock.timestamp())})
        # the right code too: the account is locked for 15 minutes, and the page says so (not "wrong code")
        assert right.status_code == 429 and "次数过多" in right.text and "错误或已使用过" not in right.text
    assert (await browser.get("/console/")).status_code == 303
    clock.advance(timedelta(seconds=totp.STEP_S))
    later = await browser.submit("/console/second-factor", {"code": app.at(clock.timestamp())})
    assert later.status_code == 429  # Redis back: the lock was in the database all along
    results = await LoginLog.filter(username=username).order_by("id").values_list("result", flat=True)
    assert list(results)[-8:] == ["second_factor_required", *["invalid_otp"] * 5, *["too_many_attempts"] * 2]
    clock.advance(timedelta(seconds=lockout.WINDOW_S))
    done = await browser.submit("/console/second-factor", {"code": app.at(clock.timestamp())})
    assert done.status_code == 303


async def test_a_password_change_locks_after_five_wrong_current_passwords_without_redis(client):
    await accounts.create_user(username="clerk.wu", password="Right-pass-1", role="staff")
    login = await client.post("/api/v1/auth/staff", json={"username": "clerk.wu", "password": "Right-pass-1"})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}

    def change(old: str):
        return client.post("/api/v1/me/password", headers=headers,
                           json={"old_password": old, "new_password": "Second-pass-2"})

    async with redis_down():
        answers = await asyncio.gather(*(change(f"Guess-{n}-pass") for n in range(12)))
        codes = [a.json()["error"]["code"] for a in answers]
        assert codes.count("invalid_credentials") <= lockout.GUESSES  # parallel guesses cannot pass the limit
        assert codes.count("too_many_attempts") >= 12 - lockout.GUESSES
        right = await change("Right-pass-1")
        assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    assert (await change("Right-pass-1")).status_code == 429
    login = await client.post("/api/v1/auth/staff", json={"username": "clerk.wu", "password": "Right-pass-1"})
    assert login.status_code == 200  # the login itself is another lock: the password still opens a session
