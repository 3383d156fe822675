"""Revocations made while Redis is down hold when Redis comes back with its old copies (both backends).

The test runs its own redis-server on a free port, with a dump file so that the restarted server
holds the session copies cached before the outage, as a Redis that keeps its data (or a network
partition) would. The database of the run's backend stays up throughout.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis.asyncio as redis_async

from server import accounts, auth, clock, storage
from server.tables import User


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server of this test's own, stopped (saving its data) and started again at will."""

    def __init__(self, directory: Path) -> None:
        self.directory, self.port = directory, free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True,
                              check=False).stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "save"], capture_output=True, check=False)
        assert self.process is not None
        self.process.wait(timeout=10)


@pytest.fixture
async def own_redis(db, tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    real = storage.current().redis
    storage.current().redis = redis_async.Redis(host="127.0.0.1", port=server.port, decode_responses=True,
                                                socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        yield server
    finally:
        await storage.current().redis.aclose()
        storage.current().redis = real
        if server.process and server.process.poll() is None:
            server.process.terminate()
            server.process.wait(timeout=10)


async def resident() -> User:
    now = clock.now()
    return await User.create(role="resident", openid=f"o-{now.timestamp()}", created_at=now, updated_at=now)


async def test_no_revoked_session_or_removed_hall_is_accepted_after_redis_returns(own_redis, monkeypatch):
    logged_out, deleted = await resident(), await resident()
    clerk = await accounts.create_user(username="clerk.zhou", password="password-1", role="staff", halls=[3, 5])
    tokens = {name: (await auth.issue_session(user))[0]
              for name, user in (("logout", logged_out), ("deleted", deleted), ("clerk", clerk))}
    for token in tokens.values():
        assert await auth.resolve_token(token) is not None  # each cached in Redis

    own_redis.stop()
    await auth.revoke(tokens["logout"])
    await accounts.delete_account(deleted.id)
    await accounts.set_halls(clerk.id, [5])
    own_redis.start()
    copies = [auth._cache_key(auth.hash_token(t)) for t in tokens.values()]
    assert await storage.redis().exists(*copies) == 3  # Redis came back with every pre-outage copy

    now = [auth._monotonic() + 10]  # past every worker's own copy (LOCAL_TTL_S)
    monkeypatch.setattr(auth, "_monotonic", lambda: now[0])
    for worker in ("this worker", "a worker started after the outage"):
        assert await auth.resolve_token(tokens["logout"]) is None, worker
        assert await auth.resolve_token(tokens["deleted"]) is None, worker
        assert await auth.resolve_token(tokens["clerk"]) is None, worker  # a hall change ends the sessions
        auth.forget_local()  # a new worker knows only the database


async def test_a_copy_cached_before_a_revocation_elsewhere_is_not_accepted(own_redis, monkeypatch):
    # Another worker logs the token out while Redis is down; this worker's next lookup finds the
    # old copy in Redis once it is back and must not take it.
    user = await resident()
    token, _ = await auth.issue_session(user)
    assert await auth.resolve_token(token) is not None
    own_redis.stop()
    await auth.revoke(token)
    auth.forget_local()  # this worker did not make the revocation
    own_redis.start()
    assert await auth.resolve_token(token) is None
