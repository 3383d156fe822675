"""Sessions: shared by every worker through the database, cached in Redis, surviving a Redis outage."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis.asyncio as redis_async

from server import accounts, auth, clock, errors, storage
from server.tables import Session, User
from tests.conftest import enrol_totp


async def make_user(role: str = "resident", halls: list[int] | None = None) -> User:
    now = clock.now()
    return await User.create(role=role, halls=halls or [], created_at=now, updated_at=now,
                             openid=f"o-{role}-{now.timestamp()}" if role == "resident" else None)


def request_with(token: str | None) -> SimpleNamespace:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return SimpleNamespace(headers=headers, ctx=SimpleNamespace())


async def test_token_is_stored_only_as_a_hash(db):
    user = await make_user()
    token, _ = await auth.issue_session(user)
    stored = await Session.get(user_id=user.id)
    assert stored.token_hash == auth.hash_token(token) and token not in stored.token_hash


async def test_session_survives_a_redis_outage(db):
    user = await make_user()
    token, _ = await auth.issue_session(user)
    real = storage.current().redis
    storage.current().redis = redis_async.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        resolved = await auth.resolve_token(token)
    finally:
        await storage.current().redis.aclose()
        storage.current().redis = real
    assert resolved is not None and resolved.id == user.id


async def test_session_expires_and_slides(db):
    clock.freeze(clock.now())
    user = await make_user()
    token, expires_at = await auth.issue_session(user)
    assert expires_at - clock.now() == timedelta(days=30)
    clock.freeze(clock.now() + timedelta(days=29))
    assert await auth.resolve_token(token) is not None  # used late in its life: pushed out again
    clock.advance(timedelta(days=29))
    assert await auth.resolve_token(token) is not None
    clock.advance(timedelta(days=31))
    assert await auth.resolve_token(token) is None


async def test_staff_sessions_are_short(db):
    clock.freeze(clock.now())
    staff = await make_user("staff")
    _, expires_at = await auth.issue_session(staff)
    assert expires_at - clock.now() == timedelta(hours=12)


async def test_revocation_reaches_every_worker(db):
    user = await make_user()
    token, _ = await auth.issue_session(user)
    assert await auth.resolve_token(token) is not None  # now cached in Redis
    await auth.revoke(token)
    assert await auth.resolve_token(token) is None


async def test_another_workers_revocation_is_seen_within_a_second(db, monkeypatch):
    # Each worker keeps a resolved session for LOCAL_TTL_S; another worker's logout is its
    # database row and Redis key, which this worker sees once its copy runs out.
    now = [100.0]
    monkeypatch.setattr(auth, "_monotonic", lambda: now[0])
    user = await make_user()
    token, _ = await auth.issue_session(user)
    assert await auth.resolve_token(token) is not None
    token_hash = auth.hash_token(token)
    await Session.filter(token_hash=token_hash).update(revoked_at=clock.now())
    await storage.redis().delete(storage.key("session", token_hash))
    now[0] += 0.5
    assert await auth.resolve_token(token) is not None
    now[0] += 0.6
    assert await auth.resolve_token(token) is None


async def test_revoke_all_ends_every_session(db):
    user = await make_user()
    tokens = [(await auth.issue_session(user))[0] for _ in range(3)]
    await auth.revoke_all(user.id)
    assert [await auth.resolve_token(t) for t in tokens] == [None, None, None]


async def test_require_checks_role_and_hall_scope(db):
    clerk = await accounts.create_user(username="clerk.a", password="password-1", role="staff", halls=[7])
    admin = await accounts.create_user(username="boss", password="password-2", role="admin")
    await enrol_totp(admin.id)  # admins need a second factor before their sessions can do anything
    admin = await User.get(id=admin.id)
    editor = await accounts.create_user(username="ed", password="password-3", role="editor")
    resident = await make_user()
    clerk_token, _ = await auth.issue_session(clerk)
    admin_token, _ = await auth.issue_session(admin)
    editor_token, _ = await auth.issue_session(editor)
    resident_token, _ = await auth.issue_session(resident)

    assert (await auth.require(request_with(clerk_token), "staff", hall=7)).id == clerk.id
    with pytest.raises(errors.Forbidden):
        await auth.require(request_with(clerk_token), "staff", hall=8)
    assert (await auth.require(request_with(admin_token), "staff", hall=8)).id == admin.id
    with pytest.raises(errors.Forbidden):
        await auth.require(request_with(editor_token), "staff")
    with pytest.raises(errors.Forbidden):
        await auth.require(request_with(resident_token), "editor")
    with pytest.raises(errors.Unauthorized):
        await auth.require(request_with(None), "staff")


async def test_a_changed_hall_scope_ends_the_sessions(db):
    clerk = await accounts.create_user(username="clerk.b", password="password-1", role="staff", halls=[1])
    token, _ = await auth.issue_session(clerk)
    assert (await auth.resolve_token(token)).halls == (1,)  # cached
    await accounts.set_halls(clerk.id, [2, 3])
    assert await auth.resolve_token(token) is None
    again, _ = await auth.issue_session(await User.get(id=clerk.id))
    assert (await auth.resolve_token(again)).halls == (2, 3)


async def test_a_lookup_racing_a_logout_on_this_worker_does_not_outlive_it(db, monkeypatch):
    # A request reads the session from Redis, the same worker logs the token out before that
    # request finishes: the request may still pass, but nothing it read is kept for the next one.
    user = await make_user()
    token, _ = await auth.issue_session(user)
    real = auth._from_cache

    async def read_then_logout(token_hash):
        entry = await real(token_hash)
        monkeypatch.setattr(auth, "_from_cache", real)
        await auth.revoke(token)
        return entry

    monkeypatch.setattr(auth, "_from_cache", read_then_logout)
    assert await auth.resolve_token(token) is not None
    assert await auth.resolve_token(token) is None
