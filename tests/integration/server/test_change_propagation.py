"""A command run beside `bianmin serve` (an import) is served within a second, on both backends.

The embedded default's server and the command each have their own in-process fakeredis; only the
SQLite file is shared. On PostgreSQL + Redis the server is a separate process too. Either way the
server's first answer a second after the command ends shows the import: no request is needed to
start a rebuild, and no cached answer outlives it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_ADMIN_URL, REDIS_URL

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
CLI = [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    url = PG_ADMIN_URL.replace("postgres://", "postgresql://", 1)
    subprocess.run(["psql", url, "-q", "-c", sql], check=True, capture_output=True)


@pytest.fixture
def environment(backend, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}
    env.update({"PYTHONPATH": str(ROOT), "BIANMIN_ENV": "test", "BIANMIN_VAR_DIR": str(tmp_path),
                "BIANMIN_RUN_WORKER": "false"})
    database = None
    if backend.is_postgres:
        database = f"bianmin_cp_{uuid.uuid4().hex[:8]}"
        psql(f'CREATE DATABASE "{database}"')
        env.update({"BIANMIN_DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}",
                    "BIANMIN_REDIS_URL": REDIS_URL, "BIANMIN_REDIS_PREFIX": f"cp{uuid.uuid4().hex[:6]}:"})
    subprocess.run([*CLI, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    yield env
    if database:
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def serve(env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = (cwd / "serve.log").open("w")
    server = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env, cwd=cwd, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)  # Sanic signals its group
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    pytest.fail("the server did not start: " + (cwd / "serve.log").read_text()[-2000:])


def test_an_import_beside_the_server_is_served_within_a_second(environment, tmp_path):
    server, base = serve(environment, tmp_path)
    try:
        assert "翠竹社区长者饭堂" not in httpx.get(f"{base}/api/v1/map/pois").text
        assert httpx.get(f"{base}/api/v1/gazette/documents").json()["total"] == 0  # now a cached answer

        commands = [subprocess.Popen([*CLI, *command], env=environment, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
                    for command in (["import-pois", str(DATA / "geo" / "import_mixed.geojson")],
                                    ["import-gazette", str(DATA / "gazette")])]
        for command in commands:
            _, errors = command.communicate(timeout=120)
            assert command.returncode in (0, 1), errors  # 1: the files hold rejected items on purpose
        time.sleep(1.0)

        assert "翠竹社区长者饭堂" in httpx.get(f"{base}/api/v1/map/pois").text
        assert httpx.get(f"{base}/api/v1/gazette/documents").json()["total"] > 0
    finally:
        server.terminate()
        server.wait(timeout=30)
