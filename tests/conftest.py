"""Shared fixtures: the two storage backends, the app and its client, the fake WeChat, the clock.

Storage tests request ``backend`` (or ``db``/``client``) and run twice: ``embedded`` (SQLite
file + fakeredis) and ``postgres`` (PostgreSQL + Redis). Each run gets its own PostgreSQL
database and Redis key prefix, so parallel runs never meet. PostgreSQL tests are skipped
with a reason when no server is reachable, except in CI (``CI=true``), where that fails.
"""

from __future__ import annotations

import base64
import dataclasses
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import redis as redis_sync
from sanic import Sanic
from tortoise import Tortoise
from tortoise.backends.base import executor

from server import clock, config, registry, storage, wechat
from server.config import Settings
from tests.fake_wechat import FakeWeChat

PG_ADMIN_URL = os.environ.get("BIANMIN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BIANMIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")
RUN_ID = uuid.uuid4().hex[:10]
TEST_PII_KEY = base64.b64decode(base64.b64encode(b"k" * 32))

Sanic.test_mode = True


@dataclass
class Backend:
    name: str
    settings: Settings

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"


@pytest.fixture(scope="session")
def fake_wechat() -> Iterator[FakeWeChat]:
    fake = FakeWeChat().start()
    yield fake
    fake.stop()


@pytest.fixture
def wx(fake_wechat: FakeWeChat) -> FakeWeChat:
    """The fake WeChat server, reset for this test."""
    fake_wechat.reset()
    return fake_wechat


def base_settings(tmp: Path, fake: FakeWeChat, **changes: Any) -> Settings:
    settings = Settings(
        env="test", secret_key="t" * 40, pii_key=TEST_PII_KEY, public_base_url="https://bianmin.example.gov.cn",
        wechat_appid=fake.state.appid, wechat_secret=fake.state.secret, wechat_api_base=fake.base_url,
        dev_login=True, run_worker=False, var_dir=tmp, redis_prefix=f"bt{RUN_ID}:",
        # Tests log in and search far faster than people: limits are raised (still counted in Redis);
        # tests/api/test_rate_limits_api.py lowers the ones it proves.
        rate_limits={name: (1_000_000, 60) for name in config.DEFAULT_RATE_LIMITS},
    )
    return dataclasses.replace(settings, **changes)


async def _postgres_database() -> str | None:
    """Create a fresh database for this run; None when PostgreSQL is not reachable."""
    admin = PG_ADMIN_URL.replace("postgres://", "postgresql://", 1)
    try:
        conn = await asyncpg.connect(admin, timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return None
    name = f"bianmin_t_{RUN_ID}"
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def _drop_postgres_database(url: str) -> None:
    admin = PG_ADMIN_URL.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin, timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1].split("?")[0]}" WITH (FORCE)')
    finally:
        await conn.close()


def _redis_reachable() -> bool:
    try:
        return bool(redis_sync.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis_sync.RedisError:
        return False


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI requires PostgreSQL and Redis: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", params=["embedded", "postgres"])
async def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                  fake_wechat: FakeWeChat) -> AsyncIterator[Backend]:
    """Migrated storage, opened for the whole session, once per backend."""
    tmp = tmp_path_factory.mktemp(request.param)
    pg_url = None
    if request.param == "embedded":
        settings = base_settings(tmp, fake_wechat, database_url=f"sqlite://{tmp}/bianmin.sqlite3")
    else:
        if not _redis_reachable():
            _unavailable(f"Redis is not reachable at {REDIS_URL}")
        pg_url = await _postgres_database()
        if pg_url is None:
            _unavailable(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
        settings = base_settings(tmp, fake_wechat, database_url=config._database_url("test", pg_url),
                                 redis_url=REDIS_URL)
    config.install(settings)
    # Tortoise caches prepared INSERT statements by connection name, not dialect: the same process
    # switching from SQLite to PostgreSQL must forget them.
    executor.EXECUTOR_CACHE.clear()
    await storage.migrate(settings)
    await Tortoise.close_connections()
    await storage.open_storage(settings)
    wechat.install(wechat.WeChat(settings=settings, storage=storage.current()))
    try:
        yield Backend(request.param, settings)
    finally:
        await _flush_redis()
        await storage.close_storage()
        if pg_url:
            await _drop_postgres_database(pg_url)


async def _flush_redis() -> None:
    redis = storage.redis()
    prefix = storage.current().prefix
    keys = [k async for k in redis.scan_iter(match=prefix + "*", count=1000)]
    if keys:
        await redis.delete(*keys)


async def truncate_all() -> None:
    """Empty every table and restart its ids. On PostgreSQL only what the last test touched is emptied, with
    DELETE and no foreign-key triggers: a TRUNCATE of every table costs ~0.5 s a test, most of the suite's time."""
    conn = storage.db()
    if storage.dialect() == "postgres":
        # Every table, the projections that migrations create without a model too (no trigger or cascade fires).
        _, rows = await conn.execute_query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                           "AND tablename <> 'tortoise_migrations'")
        tables = [row[0] for row in rows]
        probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
        dirty = [row[0] for row in (await conn.execute_query(probe))[1]]
        _, used = await conn.execute_query(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
            "WHERE schemaname = current_schema() AND last_value IS NOT NULL")
        if dirty or used:
            script = ["BEGIN; SET LOCAL session_replication_role = replica;"]
            script += [f'DELETE FROM "{t}";' for t in dirty]
            script += [f"ALTER SEQUENCE {row[0]} RESTART;" for row in used]
            await conn.execute_script("".join(script) + "COMMIT;")
    else:  # triggers and cascades keep SQLite's search projections in step
        tables = [m._meta.db_table for app in Tortoise.apps.values() for m in app.values()]
        script = "".join(f'DELETE FROM "{t}";' for t in tables)
        await conn.execute_script(script + "DELETE FROM sqlite_sequence;")


@pytest.fixture
async def db(backend: Backend) -> AsyncIterator[Backend]:
    """Empty tables (reference data reloaded) and an empty Redis namespace for this test."""
    config.install(backend.settings)
    await truncate_all()
    await _flush_redis()
    for _domain, forget in registry.each("forget"):
        forget()
    await storage.load_reference_data()
    yield backend


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


class Client(httpx.AsyncClient):
    """An HTTP client for the in-process app (ASGI), with login helpers."""

    async def login_dev(self, openid: str | None = None, nickname: str | None = None) -> dict[str, str]:
        """Log in a resident through the dev login; returns the Authorization header."""
        body: dict[str, Any] = {"openid": openid or "u" + secrets.token_hex(6)}
        if nickname:
            body["nickname"] = nickname
        response = await self.post("/api/v1/auth/dev", json=body)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    async def login_staff(self, *, role: str = "staff", halls: list[int] | None = None,
                          username: str | None = None) -> dict[str, str]:
        """Create a staff/editor/admin account and log it in; returns the Authorization header."""
        from server import accounts

        username = username or f"{role}-{secrets.token_hex(4)}"
        password = "pw-" + secrets.token_hex(8)
        user = await accounts.create_user(username=username, password=password, role=role, halls=halls or [])
        body = {"username": username, "password": password}
        if role in config.current().require_2fa:  # admins must have a second factor: enrol one, give its code
            body["otp"] = await enrol_totp(user.id)
        response = await self.post("/api/v1/auth/staff", json=body)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}


async def enrol_totp(user_id: int) -> str:
    """Give an account a confirmed authenticator secret (as enrolment would); returns a current code."""
    import pyotp

    from server import pii_vault, totp
    from server.tables import User

    secret = pyotp.random_base32()
    await User.filter(id=user_id).update(totp_secret_enc=pii_vault.vault().encrypt(secret, context=totp.CONTEXT),
                                         totp_confirmed_at=clock.now(), totp_last_step=None)
    return pyotp.TOTP(secret).at(clock.now())  # the server checks codes at its clock, which tests move


async def start_app(app: Sanic) -> None:
    """Run the app's start-up listeners once (what an ASGI server's lifespan would do)."""
    app.asgi = True
    await app._startup()
    await app._server_event("init", "before")
    await app._server_event("init", "after")


async def stop_app(app: Sanic) -> None:
    await app._server_event("shutdown", "before")
    await app._server_event("shutdown", "after")


_apps: dict[str, Sanic] = {}


@pytest.fixture
async def app(db: Backend) -> Sanic:
    """The assembled app on this backend (started once per backend)."""
    from server.app import create_app

    if db.name not in _apps:
        application = create_app(db.settings, own_storage=False, name=f"bianmin_{db.name}")
        await start_app(application)
        _apps[db.name] = application
    return _apps[db.name]


@pytest.fixture
async def client(app: Sanic) -> AsyncIterator[Client]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with Client(transport=transport, base_url="http://testserver", timeout=30) as http:
        yield http
