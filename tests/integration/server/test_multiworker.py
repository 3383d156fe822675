"""Several workers on PostgreSQL + Redis: one token valid on every worker, one WeChat token for all."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
import redis

from tests.conftest import PG_ADMIN_URL, REDIS_URL

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    url = PG_ADMIN_URL.replace("postgres://", "postgresql://", 1)
    subprocess.run(["psql", url, "-q", "-c", sql], check=True, capture_output=True)


def access_lines(log: Path, route: str) -> list[dict]:
    entries = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{") and '"bianmin.access"' in line:
            entry = json.loads(line)
            if entry.get("route") == route:
                entries.append(entry)
    return entries


async def test_token_and_wechat_token_shared_by_two_workers(backend, wx, tmp_path):
    if not backend.is_postgres:
        pytest.skip("several workers need PostgreSQL and Redis (the embedded default refuses them)")
    database = f"bianmin_mw_{uuid.uuid4().hex[:8]}"
    psql(f'CREATE DATABASE "{database}"')
    port = free_port()
    prefix = f"mw{uuid.uuid4().hex[:6]}:"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}
    env.update({
        "PYTHONPATH": str(ROOT), "BIANMIN_ENV": "test", "BIANMIN_VAR_DIR": str(tmp_path),
        "BIANMIN_DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}",
        "BIANMIN_REDIS_URL": REDIS_URL, "BIANMIN_REDIS_PREFIX": prefix,
        "BIANMIN_WECHAT_API_BASE": wx.base_url, "BIANMIN_WECHAT_APPID": wx.state.appid,
        "BIANMIN_WECHAT_SECRET": wx.state.secret,
    })
    cli = [sys.executable, "-m", "server.cli"]
    subprocess.run([*cli, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([*cli, "serve", "--workers", "2", "--port", str(port)], env=env, cwd=tmp_path,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        pids = set()
        deadline = time.time() + 60
        while len(pids) < 2 and time.time() < deadline:
            try:
                pids.add(httpx.get(f"{base}/healthz", headers={"Connection": "close"}).json()["pid"])
            except httpx.HTTPError:
                time.sleep(0.2)
        assert len(pids) == 2, "both workers should be serving"

        login = httpx.post(f"{base}/api/v1/auth/wechat", json={"code": wx.login_code(openid="oMulti")})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}", "Connection": "close"}
        for n in range(200):
            assert httpx.get(f"{base}/api/v1/me", headers=headers).status_code == 200
            # Binding a phone needs WeChat's access token (a login does not).
            bound = httpx.post(f"{base}/api/v1/auth/phone", json={"code": wx.phone_code(f"139{n:08d}")},
                               headers=headers)
            assert bound.status_code == 200, bound.text
            me_pids = {e["pid"] for e in access_lines(log, "api/v1/me") if e["status"] == 200}
            phone_pids = {e["pid"] for e in access_lines(log, "api/v1/auth/phone") if e["status"] == 200}
            if me_pids == pids and phone_pids == pids:
                break
        assert me_pids == pids, "the token issued by one worker was accepted by both"
        assert phone_pids == pids, "both workers called WeChat with an access token"
        assert wx.state.token_fetches == 1
        startup = log.read_text(errors="replace")
        assert startup.count(f"listening on {base}, 2 worker(s)") == 1, "start-up lines once, not once per worker"
    finally:
        server.terminate()
        server.wait(timeout=30)
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        # The servers' sessions and WeChat token live under the run's own prefix: leave Redis as found.
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
