"""Settings, read once from ``BIANMIN_*`` environment variables.

This is the only module that reads the environment. A missing required value or a
malformed one raises :class:`ConfigError` with one line naming the variable; the command
line prints that line and exits without a traceback.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Env = Literal["dev", "test", "production"]
TEMPLATE_PURPOSES = (
    "booking_confirmed",
    "booking_reminder",
    "booking_cancelled",
    "booking_rescheduled",
    "document_published",
    "letter_replied",  # questions: the resident's letter was answered
    "letter_overdue",  # questions: a department head is told of an overdue letter (escalation)
)
DEFAULT_WECHAT_API_BASE = "https://api.weixin.qq.com"
MAX_WORKERS = 64
STAFF_ROLES = ("staff", "editor", "answerer", "admin")  # accounts with a password, the operation log, the account rules
# Rate limits (server/ratelimit.py): name -> "N/period"; BIANMIN_RATE_LIMITS overrides any of them.
DEFAULT_RATE_LIMITS = {
    "staff_login_user": "10/1m",   # per username (the database lock-out allows 5 wrong guesses in 15 min)
    "staff_login_ip": "60/1m",     # per client IP: a hall's 40 windows log in behind one address
    "wechat_login_ip": "120/1m",   # per client IP: mobile carriers put many residents behind one
    "booking": "20/1m",            # booking attempts (book, reschedule) per account
    "search": "120/1m",            # gazette searches per client IP
    "suggest": "300/1m",           # search suggestions (typed keystroke by keystroke) per client IP
    "map": "600/1m",               # map queries (POIs, clusters, locate, GeoJSON) per client IP
    "coverage": "30/1m",           # service coverage computations per client IP (costly)
    "enterprise_register": "10/1h",  # enterprise registrations per account
    "phone_reveal": "20/1h",       # 回访 phone reveals per account (console and API; each is in the operation log)
}
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Template:
    """One WeChat subscribe-message template configured for a purpose."""

    purpose: str
    id: str
    kind: Literal["one_time", "long_term"] = "one_time"


@dataclass(frozen=True)
class Settings:
    env: Env = "dev"
    database_url: str = "sqlite://var/bianmin.sqlite3"
    redis_url: str | None = None
    redis_prefix: str = "bianmin:"
    workers: int = 1
    secret_key: str = field(default="", repr=False)
    pii_key: bytes = field(default=b"", repr=False)
    pii_previous_keys: tuple[bytes, ...] = field(default=(), repr=False)
    public_base_url: str = "http://127.0.0.1:8000"
    wechat_appid: str = "wx0000000000000000"
    wechat_secret: str = field(default="", repr=False)
    wechat_api_base: str = DEFAULT_WECHAT_API_BASE
    wechat_templates: Mapping[str, Template] = field(default_factory=dict)
    dev_login: bool = True
    timezone: str = "Asia/Shanghai"
    max_body_bytes: int = 10 * 1024 * 1024
    run_worker: bool = True
    push_rate: int = 300
    log_level: str = "INFO"
    var_dir: Path = Path("var")
    console_idle_minutes: int = 30  # the staff console ends a session unused this long (absolute limit: 12 h)
    # account controls (等保 2.0 level 3, 密评): see README "Account controls"
    audit_retention_days: int = 180
    hash_alg: Literal["hmac-sha256", "hmac-sm3"] = "hmac-sha256"
    pii_cipher: Literal["aes-256-gcm", "sm4-gcm"] = "aes-256-gcm"
    password_max_age_days: int = 90
    account_idle_days: int = 90
    require_2fa: tuple[str, ...] = ("admin",)
    # name -> (requests, period in seconds), or None when that limit is off
    rate_limits: Mapping[str, tuple[int, int] | None] = field(
        default_factory=lambda: _rate_limits("defaults", "{}"))
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "asyncpg://"))

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url is None


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    raise ConfigError(f"{name} must be one of 1, 0, true, false (got {raw!r})")


def _int(name: str, raw: str, *, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer (got {raw!r})") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high} (got {value})")
    return value


def _pii_key(name: str, raw: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{name} must be standard base64 of 32 random bytes") from None
    if len(key) != 32:
        raise ConfigError(f"{name} must decode to exactly 32 bytes (got {len(key)})")
    return key


def _choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)} (got {raw!r})")
    return value


def _roles_2fa(name: str, raw: str) -> tuple[str, ...]:
    roles = tuple(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    unknown = [r for r in roles if r not in STAFF_ROLES]
    if unknown:
        raise ConfigError(f"{name} takes roles among {', '.join(STAFF_ROLES)} (got {', '.join(unknown)})")
    if "admin" not in roles:
        raise ConfigError(f"{name} must include admin: administrators always need a second factor")
    return roles


def _database_url(name: str, raw: str) -> str:
    url = raw.strip()
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://"):]
    if not url.startswith(("sqlite://", "postgres://", "asyncpg://")):
        raise ConfigError(f"{name} must start with sqlite:// or postgres:// (got {raw!r})")
    if url.startswith(("postgres://", "asyncpg://")) and "maxsize=" not in url:
        url += ("&" if "?" in url else "?") + "minsize=1&maxsize=20"
    return url


def _templates(name: str, raw: str) -> dict[str, Template]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name} must be a JSON object from purpose to template")
    result: dict[str, Template] = {}
    for purpose, spec in data.items():
        if purpose not in TEMPLATE_PURPOSES:
            raise ConfigError(f"{name} has unknown purpose {purpose!r}; known: {', '.join(TEMPLATE_PURPOSES)}")
        if isinstance(spec, str) and spec:
            result[purpose] = Template(purpose, spec)
        elif isinstance(spec, dict) and isinstance(spec.get("id"), str) and spec["id"]:
            kind = spec.get("kind", "one_time")
            if kind not in ("one_time", "long_term"):
                raise ConfigError(f"{name}: {purpose}.kind must be one_time or long_term")
            result[purpose] = Template(purpose, spec["id"], kind)
        else:
            raise ConfigError(f"{name}: {purpose} must be a template id or {{\"id\": ..., \"kind\": ...}}")
    return result


def _rate(name: str, key: str, raw: object) -> tuple[int, int] | None:
    """ "N/period" (period: 30s, 1m, 15m, 1h, 1d; a bare unit means 1) or "off"."""
    text = str(raw).strip().lower()
    if text == "off":
        return None
    count, _, period = text.partition("/")
    unit = period[-1:] if period else ""
    amount = period[:-1] or "1"
    if not (count.isdigit() and amount.isdigit() and unit in _PERIODS and int(count) > 0 and int(amount) > 0):
        raise ConfigError(f"{name}: {key} must be \"N/period\" such as \"60/1m\" (s, m, h, d) or \"off\" (got {raw!r})")
    return int(count), int(amount) * _PERIODS[unit]


def _rate_limits(name: str, raw: str) -> dict[str, tuple[int, int] | None]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name} must be a JSON object from limit name to \"N/period\"")
    unknown = sorted(set(data) - set(DEFAULT_RATE_LIMITS))
    if unknown:
        raise ConfigError(f"{name} has unknown limit {unknown[0]!r}; known: {', '.join(DEFAULT_RATE_LIMITS)}")
    return {key: _rate(name, key, value) for key, value in {**DEFAULT_RATE_LIMITS, **data}.items()}


def _networks(name: str, raw: str) -> tuple[IPv4Network | IPv6Network, ...]:
    try:
        return tuple(ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"{name} must be comma-separated addresses or CIDRs ({exc})") from None


def _generated_secret(var_dir: Path, filename: str, make: Callable[[], str]) -> str:
    """Dev/test only: a secret generated once into var/ and reused across restarts."""
    path = var_dir / filename
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches ``bianmin serve --host --port`` at."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def load_settings(environ: Mapping[str, str] | None = None, *, overrides: Mapping[str, str] | None = None,
                  served_at: str | None = None) -> Settings:
    """Read and validate every BIANMIN_* variable; raise ConfigError naming the first bad one.

    ``overrides`` (e.g. ``--workers`` from the command line) win over the environment. ``served_at`` is
    where `bianmin serve` listens: in dev it is the public base URL unless BIANMIN_PUBLIC_BASE_URL is set,
    so QR codes, reading-page links and Atom links work on another port.
    """
    env_map = {**(os.environ if environ is None else environ), **(overrides or {})}

    def get(name: str) -> str | None:
        value = env_map.get(name)
        return value if value not in (None, "") else None

    env = get("BIANMIN_ENV") or "dev"
    if env not in ("dev", "test", "production"):
        raise ConfigError(f"BIANMIN_ENV must be dev, test or production (got {env!r})")
    production = env == "production"
    var_dir = Path(get("BIANMIN_VAR_DIR") or "var")

    workers = _int("BIANMIN_WORKERS", get("BIANMIN_WORKERS") or "1", low=1, high=MAX_WORKERS)
    redis_url = get("BIANMIN_REDIS_URL")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"BIANMIN_REDIS_URL must start with redis://, rediss:// or unix:// (got {redis_url!r})")
    if redis_url is None and production:
        raise ConfigError("BIANMIN_REDIS_URL is required in production")
    if redis_url is None and workers > 1:
        raise ConfigError(
            "BIANMIN_REDIS_URL is required when BIANMIN_WORKERS > 1: "
            "the embedded fakeredis lives in one process and cannot be shared"
        )
    database_url = _database_url("BIANMIN_DATABASE_URL", get("BIANMIN_DATABASE_URL") or f"sqlite://{var_dir}/bianmin.sqlite3")
    if workers > 1 and database_url.startswith("sqlite://"):
        raise ConfigError("BIANMIN_DATABASE_URL must be PostgreSQL when BIANMIN_WORKERS > 1")

    secret_key = get("BIANMIN_SECRET_KEY")
    if secret_key is None:
        if production:
            raise ConfigError("BIANMIN_SECRET_KEY is required in production")
        secret_key = _generated_secret(var_dir, "secret_key", lambda: secrets.token_urlsafe(48))
    if len(secret_key) < 32:
        raise ConfigError("BIANMIN_SECRET_KEY must be at least 32 characters")

    raw_pii = get("BIANMIN_PII_KEY")
    if raw_pii is None:
        if production:
            raise ConfigError("BIANMIN_PII_KEY is required in production")
        raw_pii = _generated_secret(var_dir, "pii_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode())
    pii_key = _pii_key("BIANMIN_PII_KEY", raw_pii)
    previous = tuple(
        _pii_key("BIANMIN_PII_PREVIOUS_KEYS", part)
        for part in (get("BIANMIN_PII_PREVIOUS_KEYS") or "").split(",")
        if part.strip()
    )

    dev_login = _bool("BIANMIN_DEV_LOGIN", get("BIANMIN_DEV_LOGIN") or ("false" if production else "true"))
    if dev_login and production:
        raise ConfigError("BIANMIN_DEV_LOGIN cannot be on in production: it lets anyone log in as anyone")

    timezone = get("BIANMIN_TIMEZONE") or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"BIANMIN_TIMEZONE is not a known time zone (got {timezone!r})") from None

    dev_default = served_at if served_at and env == "dev" else None
    public_base_url = (get("BIANMIN_PUBLIC_BASE_URL") or dev_default or "http://127.0.0.1:8000").rstrip("/")
    if not public_base_url.startswith(("http://", "https://")):
        raise ConfigError("BIANMIN_PUBLIC_BASE_URL must be an http(s) URL")
    wechat_api_base = (get("BIANMIN_WECHAT_API_BASE") or DEFAULT_WECHAT_API_BASE).rstrip("/")
    if not wechat_api_base.startswith(("http://", "https://")):
        raise ConfigError("BIANMIN_WECHAT_API_BASE must be an http(s) URL")
    wechat_secret = get("BIANMIN_WECHAT_SECRET")
    if production and not (get("BIANMIN_WECHAT_APPID") and wechat_secret):
        raise ConfigError("BIANMIN_WECHAT_APPID and BIANMIN_WECHAT_SECRET are required in production")

    log_level = (get("BIANMIN_LOG_LEVEL") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("BIANMIN_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")

    return Settings(
        env=env,  # type: ignore[arg-type]
        database_url=database_url,
        redis_url=redis_url,
        redis_prefix=get("BIANMIN_REDIS_PREFIX") or "bianmin:",
        workers=workers,
        secret_key=secret_key,
        pii_key=pii_key,
        pii_previous_keys=previous,
        public_base_url=public_base_url,
        wechat_appid=get("BIANMIN_WECHAT_APPID") or "wx0000000000000000",
        wechat_secret=wechat_secret or "dev-secret",
        wechat_api_base=wechat_api_base,
        wechat_templates=_templates("BIANMIN_WECHAT_TEMPLATES", get("BIANMIN_WECHAT_TEMPLATES") or "{}"),
        dev_login=dev_login,
        timezone=timezone,
        max_body_bytes=_int("BIANMIN_MAX_BODY_BYTES", get("BIANMIN_MAX_BODY_BYTES") or str(10 * 1024 * 1024), low=1024, high=1 << 30),
        run_worker=_bool("BIANMIN_RUN_WORKER", get("BIANMIN_RUN_WORKER") or ("false" if redis_url else "true")),
        push_rate=_int("BIANMIN_PUSH_RATE", get("BIANMIN_PUSH_RATE") or "300", low=1, high=100_000),
        log_level=log_level,
        var_dir=var_dir,
        console_idle_minutes=_int("BIANMIN_CONSOLE_IDLE_MINUTES", get("BIANMIN_CONSOLE_IDLE_MINUTES") or "30",
                                  low=1, high=12 * 60),
        audit_retention_days=_int("BIANMIN_AUDIT_RETENTION_DAYS", get("BIANMIN_AUDIT_RETENTION_DAYS") or "180",
                                  low=180, high=36500),
        hash_alg=_choice("BIANMIN_HASH", get("BIANMIN_HASH") or "hmac-sha256",  # type: ignore[arg-type]
                         ("hmac-sha256", "hmac-sm3")),
        pii_cipher=_choice("BIANMIN_PII_CIPHER", get("BIANMIN_PII_CIPHER") or "aes-256-gcm",  # type: ignore[arg-type]
                           ("aes-256-gcm", "sm4-gcm")),
        password_max_age_days=_int("BIANMIN_PASSWORD_MAX_AGE_DAYS", get("BIANMIN_PASSWORD_MAX_AGE_DAYS") or "90",
                                   low=1, high=3650),
        account_idle_days=_int("BIANMIN_ACCOUNT_IDLE_DAYS", get("BIANMIN_ACCOUNT_IDLE_DAYS") or "90",
                               low=1, high=3650),
        require_2fa=_roles_2fa("BIANMIN_REQUIRE_2FA", get("BIANMIN_REQUIRE_2FA") or "admin"),
        rate_limits=_rate_limits("BIANMIN_RATE_LIMITS", get("BIANMIN_RATE_LIMITS") or "{}"),
        trusted_proxies=_networks("BIANMIN_TRUSTED_PROXIES", get("BIANMIN_TRUSTED_PROXIES") or ""),
    )


_current: Settings | None = None


def install(settings: Settings) -> Settings:
    """Make these the process-wide settings (the app factory and the CLI call this once)."""
    global _current
    _current = settings
    return settings


def current() -> Settings:
    """The process-wide settings; loaded from the environment on first use."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current
