"""The command line on a fresh directory: migrate, seed-demo (idempotent), createuser."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def bianmin(tmp: Path, *args: str, stdin: str = "", extra: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}
    env.update({"BIANMIN_VAR_DIR": str(tmp), "PYTHONPATH": str(ROOT), **(extra or {})})
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=tmp, input=stdin, text=True,
                          capture_output=True, env=env, timeout=180, check=False)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    result = bianmin(tmp, "migrate")
    assert result.returncode == 0, result.stderr
    return tmp


def test_migrate_creates_the_schema_and_is_repeatable(migrated):
    tables = {r[0] for r in sqlite3.connect(migrated / "bianmin.sqlite3").execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "sessions", "outbox", "push_grants"} <= tables
    again = bianmin(migrated, "migrate")
    assert again.returncode == 0, again.stderr


def test_seed_demo_is_idempotent_and_prints_passwords_in_dev(migrated):
    first = bianmin(migrated, "seed-demo")
    second = bianmin(migrated, "seed-demo")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "demo-staff" in first.stdout and "[demo data]" in first.stdout
    password_lines = [line for line in first.stdout.splitlines() if "demo account" in line]
    assert password_lines == [line for line in second.stdout.splitlines() if "demo account" in line]
    users = sqlite3.connect(migrated / "bianmin.sqlite3").execute(
        "SELECT username, role FROM users WHERE username LIKE 'demo-%' ORDER BY username").fetchall()
    assert users == [("demo-admin", "admin"), ("demo-answerer", "answerer"), ("demo-editor", "editor"),
                     ("demo-staff", "staff")]


def test_createuser_reads_the_password_from_stdin(migrated):
    result = bianmin(migrated, "createuser", "--username", "Clerk.Chen", "--role", "staff", "--hall", "3",
                     "--hall", "1", stdin="A long enough password\n")
    assert result.returncode == 0, result.stderr
    assert "A long enough password" not in result.stdout + result.stderr
    row = sqlite3.connect(migrated / "bianmin.sqlite3").execute(
        "SELECT role, halls, password_hash, must_change_password FROM users WHERE username='clerk.chen'").fetchone()
    assert row[0] == "staff" and row[1] == "[1,3]" and row[2].startswith("$argon2id$")
    assert row[3] == 1  # a first password is temporary
    short = bianmin(migrated, "createuser", "--username", "x", "--role", "editor", stdin="Sh0rt!\n")
    assert short.returncode == 2 and "至少 8 个字符" in short.stderr
    plain = bianmin(migrated, "createuser", "--username", "y", "--role", "editor", stdin="all lower case\n")
    assert plain.returncode == 2 and "三类" in plain.stderr


PRODUCTION = {"BIANMIN_ENV": "production", "BIANMIN_REDIS_URL": "redis://127.0.0.1:1/0",
              "BIANMIN_SECRET_KEY": "p" * 40, "BIANMIN_PII_KEY": "cHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHA=",
              "BIANMIN_WECHAT_APPID": "wx1234567890abcdef", "BIANMIN_WECHAT_SECRET": "s" * 32}


def test_seed_demo_refuses_in_production_without_force(migrated):
    result = bianmin(migrated, "seed-demo", extra=PRODUCTION)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--force" in result.stderr and "demo account" not in result.stdout
