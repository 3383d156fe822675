"""Configuration: every BIANMIN_* value validated, one clear line naming the bad variable."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.config import ConfigError, load_settings

GOOD_PII = base64.b64encode(b"p" * 32).decode()
PRODUCTION = {
    "BIANMIN_ENV": "production",
    "BIANMIN_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/bianmin",
    "BIANMIN_REDIS_URL": "redis://127.0.0.1:6379/0",
    "BIANMIN_SECRET_KEY": "s" * 32,
    "BIANMIN_PII_KEY": GOOD_PII,
    "BIANMIN_WECHAT_APPID": "wx1234567890abcdef",
    "BIANMIN_WECHAT_SECRET": "secret",
}


def settings_with(tmp_path: Path, **env: str):
    return load_settings({"BIANMIN_VAR_DIR": str(tmp_path), **env})


def test_dev_defaults_need_nothing_and_reuse_generated_secrets(tmp_path):
    first = settings_with(tmp_path)
    assert first.env == "dev" and first.dev_login and first.redis_url is None
    assert first.database_url == f"sqlite://{tmp_path}/bianmin.sqlite3"
    assert len(first.secret_key) >= 32 and len(first.pii_key) == 32
    again = settings_with(tmp_path)
    assert (again.secret_key, again.pii_key) == (first.secret_key, first.pii_key)
    assert (tmp_path / "pii_key").stat().st_mode & 0o777 == 0o600


def test_production_with_everything_set(tmp_path):
    settings = settings_with(tmp_path, **PRODUCTION)
    assert settings.database_url.startswith("postgres://") and "maxsize=20" in settings.database_url
    assert settings.dev_login is False and settings.run_worker is False


@pytest.mark.parametrize("missing", ["BIANMIN_REDIS_URL", "BIANMIN_SECRET_KEY", "BIANMIN_PII_KEY",
                                     "BIANMIN_WECHAT_SECRET"])
def test_production_requires(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        settings_with(tmp_path, **env)


def test_dev_login_refused_in_production(tmp_path):
    with pytest.raises(ConfigError, match="BIANMIN_DEV_LOGIN"):
        settings_with(tmp_path, **PRODUCTION, BIANMIN_DEV_LOGIN="true")


@pytest.mark.parametrize(("name", "value"), [
    ("BIANMIN_ENV", "staging"),
    ("BIANMIN_WORKERS", "two"),
    ("BIANMIN_WORKERS", "0"),
    ("BIANMIN_SECRET_KEY", "too-short"),
    ("BIANMIN_PII_KEY", "not base64!"),
    ("BIANMIN_PII_KEY", base64.b64encode(b"short").decode()),
    ("BIANMIN_DEV_LOGIN", "yes"),
    ("BIANMIN_TIMEZONE", "Mars/Olympus"),
    ("BIANMIN_DATABASE_URL", "mysql://localhost/db"),
    ("BIANMIN_REDIS_URL", "localhost:6379"),
    ("BIANMIN_MAX_BODY_BYTES", "-1"),
    ("BIANMIN_PUBLIC_BASE_URL", "ftp://example"),
    ("BIANMIN_WECHAT_TEMPLATES", "{not json"),
    ("BIANMIN_WECHAT_TEMPLATES", '{"unknown_purpose": "abc"}'),
    ("BIANMIN_WECHAT_TEMPLATES", '{"booking_reminder": {"id": "x", "kind": "forever"}}'),
])
def test_malformed_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        settings_with(tmp_path, **{name: value})


def test_several_workers_need_redis_and_postgres(tmp_path):
    with pytest.raises(ConfigError, match="BIANMIN_REDIS_URL is required when BIANMIN_WORKERS > 1"):
        settings_with(tmp_path, BIANMIN_WORKERS="2")
    with pytest.raises(ConfigError, match="PostgreSQL"):
        settings_with(tmp_path, BIANMIN_WORKERS="2", BIANMIN_REDIS_URL="redis://127.0.0.1:6379/0")


def test_templates_one_time_and_long_term(tmp_path):
    settings = settings_with(tmp_path, BIANMIN_WECHAT_TEMPLATES=(
        '{"booking_confirmed": "tmpl-confirm", "booking_reminder": {"id": "tmpl-remind", "kind": "long_term"}}'))
    assert settings.wechat_templates["booking_confirmed"].kind == "one_time"
    assert settings.wechat_templates["booking_reminder"].id == "tmpl-remind"
    assert settings.wechat_templates["booking_reminder"].kind == "long_term"


def test_booleans_accept_1_0_true_false(tmp_path):
    for raw, expected in (("1", True), ("0", False), ("TRUE", True), ("false", False)):
        assert settings_with(tmp_path, BIANMIN_DEV_LOGIN=raw).dev_login is expected


def run_cli(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=tmp_path, capture_output=True,
                          text=True, env={**clean, "BIANMIN_VAR_DIR": str(tmp_path), **env}, timeout=60,
                          check=False)


def test_cli_prints_one_line_and_no_traceback(tmp_path):
    result = run_cli(tmp_path, "migrate", env={"BIANMIN_WORKERS": "abc", "PYTHONPATH": os.getcwd()})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["bianmin: configuration error: BIANMIN_WORKERS must be an integer (got 'abc')"]
    assert "Traceback" not in result.stderr


def test_serve_refuses_several_workers_on_the_embedded_default(tmp_path):
    result = run_cli(tmp_path, "serve", "--workers", "2", env={"PYTHONPATH": os.getcwd()})
    assert result.returncode == 2
    assert "BIANMIN_REDIS_URL is required when BIANMIN_WORKERS > 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_in_dev_the_public_base_url_follows_where_the_server_listens(tmp_path):
    from server.config import served_url

    assert settings_with(tmp_path).public_base_url == "http://127.0.0.1:8000"
    on_8080 = load_settings({"BIANMIN_VAR_DIR": str(tmp_path)}, served_at=served_url("0.0.0.0", 8080))
    assert on_8080.public_base_url == "http://127.0.0.1:8080"
    assert served_url("::1", 8001) == "http://[::1]:8001"
    chosen = load_settings({"BIANMIN_VAR_DIR": str(tmp_path), "BIANMIN_PUBLIC_BASE_URL": "https://bm.example.cn/"},
                           served_at="http://127.0.0.1:8080")
    assert chosen.public_base_url == "https://bm.example.cn"
    # In production the public address is the deployer's word, never a guess from the listening socket.
    production = load_settings({"BIANMIN_VAR_DIR": str(tmp_path), **PRODUCTION}, served_at="http://10.0.0.5:8000")
    assert production.public_base_url == "http://127.0.0.1:8000"
