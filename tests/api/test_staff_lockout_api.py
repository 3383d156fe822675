"""Staff login lock-out: at most five guesses per name in 15 minutes, whatever the concurrency (both backends;
the races are real on PostgreSQL), and the answers never tell whether a name exists."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from server import accounts, clock, lockout

LOGIN = "/api/v1/auth/staff"


async def _guess(client, username: str, password: str):
    return await client.post(LOGIN, json={"username": username, "password": password})


async def test_45_parallel_wrong_guesses_evaluate_at_most_five(client):
    await accounts.create_user(username="clerk.sun", password="right password", role="staff")
    answers = await asyncio.gather(*(_guess(client, "clerk.sun", f"guess-{i}") for i in range(45)))
    statuses = [a.status_code for a in answers]
    assert statuses.count(401) <= lockout.GUESSES
    assert statuses.count(429) >= 45 - lockout.GUESSES
    assert set(statuses) <= {401, 429}


async def test_a_correct_password_inside_a_burst_does_not_log_in(client):
    await accounts.create_user(username="clerk.zhou", password="right password", role="staff")
    passwords = [f"wrong-{i}" for i in range(40)]
    passwords.insert(30, "right password")
    answers = await asyncio.gather(*(_guess(client, "clerk.zhou", p) for p in passwords))
    assert answers[30].status_code == 429, answers[30].text
    assert [a.status_code for a in answers].count(401) <= lockout.GUESSES


async def test_the_lock_refuses_the_right_password_until_it_ends(client):
    clock.freeze(clock.now())
    await accounts.create_user(username="clerk.qian", password="right password", role="staff")
    for _ in range(5):
        assert (await _guess(client, "clerk.qian", "nope")).status_code == 401
    clock.advance(timedelta(minutes=10))
    locked = await _guess(client, "clerk.qian", "right password")
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) == 5 * 60
    clock.advance(timedelta(minutes=5))
    assert (await _guess(client, "clerk.qian", "right password")).status_code == 200


async def test_unknown_names_are_locked_the_same_way(client):
    await accounts.create_user(username="clerk.wu", password="right password", role="staff")
    for name in ("clerk.wu", "nobody.here"):
        wrong = [await _guess(client, name, "nope") for _ in range(5)]
        assert {w.status_code for w in wrong} == {401}
        locked = await _guess(client, name, "nope")
        assert locked.status_code == 429
        assert locked.json()["error"] | {"details": None} == {
            "code": "too_many_attempts", "message": accounts.TooManyAttempts.message, "details": None}
        assert 0 < int(locked.headers["retry-after"]) <= 900


async def test_staff_who_log_in_often_are_never_locked(client):
    await accounts.create_user(username="clerk.zheng", password="right password", role="staff")
    assert (await _guess(client, "clerk.zheng", "typo")).status_code == 401
    for _ in range(8):
        assert (await _guess(client, "clerk.zheng", "right password")).status_code == 200
    for _ in range(4):  # the typo still counts: four more wrong guesses lock the name
        assert (await _guess(client, "clerk.zheng", "nope")).status_code == 401
    assert (await _guess(client, "clerk.zheng", "right password")).status_code == 429


async def test_old_rows_are_purged(client):
    clock.freeze(clock.now())
    await _guess(client, "someone.once", "nope")
    assert await lockout.purge_stale() == 0
    clock.advance(timedelta(minutes=16))
    assert await lockout.purge_stale() == 1
