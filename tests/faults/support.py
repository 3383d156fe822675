"""Faults on real components: a private redis-server to stop and restart, free ports, child processes."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis as redis_sync

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port (never the shared one), stopped and restarted at will.

    It keeps nothing on disk, so a restart comes back empty, as a Redis without persistence does.
    """

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis_sync.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis_sync.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        """Kill the server (SIGKILL: no goodbye to its clients, as in a crash or a network cut)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Worker:
    """``bianmin worker`` as a child process on the test's database, Redis namespace and fake WeChat."""

    def __init__(self, env: dict[str, str], cwd: Path):
        self.env, self.cwd = env, cwd
        self.process: subprocess.Popen | None = None
        self.log = cwd / "worker.log"

    def start(self) -> Worker:
        with self.log.open("a") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "server.cli", "worker"], env=self.env,
                                            cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no rollback sent, as when the machine or the OOM killer takes it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None


def child_env(settings, **extra: str) -> dict[str, str]:
    """The environment of a bianmin child process sharing these test settings."""
    import base64
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}
    env.update({
        "PYTHONPATH": str(ROOT), "BIANMIN_ENV": "test", "BIANMIN_VAR_DIR": str(settings.var_dir),
        "BIANMIN_DATABASE_URL": settings.database_url, "BIANMIN_REDIS_PREFIX": settings.redis_prefix,
        "BIANMIN_SECRET_KEY": settings.secret_key, "BIANMIN_PII_KEY": base64.b64encode(settings.pii_key).decode(),
        "BIANMIN_WECHAT_API_BASE": settings.wechat_api_base, "BIANMIN_WECHAT_APPID": settings.wechat_appid,
        "BIANMIN_WECHAT_SECRET": settings.wechat_secret, "BIANMIN_LOG_LEVEL": "WARNING",
    })
    if settings.redis_url:
        env["BIANMIN_REDIS_URL"] = settings.redis_url
    env.update(extra)
    return env
