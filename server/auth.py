"""Sessions and roles.

A session token is 32 random bytes (URL-safe base64) sent as ``Authorization: Bearer``.
The database keeps only its SHA-256 hash; Redis caches the hash -> user mapping so most
requests never touch the database, and each worker keeps what it resolved for a second, so a
resident's burst of requests reads Redis once. When Redis is down sessions fall back to the
database: slower, but nobody is logged out. Expiry slides: each use within the last part of
the lifetime pushes it out again. Logout, revocation and role changes take effect at once on
the worker that makes them and within ``LOCAL_TTL_S`` on the others.

The database is the authority on revocation, not Redis: a logout, a change of role or halls or an
account deletion also writes a ``session_revocations`` row and bumps the ``sessions`` change stamp,
in one transaction. A cached copy carries ``rev``, the last revocation this worker knew of before
it read the database; a copy older than a revocation of its token or account is read again from
the database. So a copy that Redis kept through an outage (when its deletion failed) is never
accepted afterwards, on any worker. Rows are kept while a cached copy may outlive them.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from redis.exceptions import RedisError
from sanic import Request
from tortoise.backends.base.client import BaseDBAsyncClient

from server import clock, config, errors, stamps, storage
from server.tables import Session, SessionRevocation, User

log = logging.getLogger("bianmin.auth")

SESSION_TTL = {
    "resident": timedelta(days=30),
    "enterprise": timedelta(days=30),
    "staff": timedelta(hours=12),
    "editor": timedelta(hours=12),
    "answerer": timedelta(hours=12),
    "admin": timedelta(hours=12),
}
SLIDE_AFTER = 0.1  # extend once a tenth of the lifetime has been used
CACHE_TTL_S = 300
LOCAL_TTL_S = 1.0  # this worker's copy of a resolved session (a Redis read costs ~60 us of CPU)
_LOCAL_MAX = 50_000
_local: dict[str, tuple[float, dict[str, Any]]] = {}
_forgotten = 0  # bumped by every revocation: a lookup that started before one does not keep what it read
_monotonic = time.monotonic
STAMP = "sessions"
# A revocation matters while a copy cached before it can live: CACHE_TTL_S after its last write
# (a slide rewrites only copies no known revocation rejects), with a margin for slow writers.
REVOCATION_KEEP = timedelta(seconds=CACHE_TTL_S + 120)
REVOCATION_PURGE = timedelta(days=1)


@dataclass
class _Revocations:
    """The revocations this worker knows of: token hash or ``u<user id>`` -> revocation id."""

    stamp: int | None = None  # the sessions stamp they were read under (None: not read yet)
    last_id: int = 0
    by_key: dict[str, tuple[int, float]] = field(default_factory=dict)  # -> (revocation id, monotonic seen)


_revoked = _Revocations()


@dataclass(frozen=True)
class CurrentUser:
    """Who is calling: what every permission check needs, nothing personal."""

    id: int
    role: str
    halls: tuple[int, ...] = ()
    pending: str | None = None  # a step the account must take before anything else (see pending_step)

    def can_serve(self, hall_id: int) -> bool:
        return self.role == "admin" or hall_id in self.halls

    def has_role(self, *roles: str) -> bool:
        return not roles or self.role in roles or self.role == "admin"


class PasswordChangeRequired(errors.Forbidden):
    code = "password_change_required"
    message = "请先修改密码（首次登录或密码已超过有效期）"


class OtpEnrolmentRequired(errors.Forbidden):
    code = "otp_enrolment_required"
    message = "该账号须先绑定动态口令（两步验证）"


PENDING_ERRORS: dict[str, type[errors.Forbidden]] = {
    PasswordChangeRequired.code: PasswordChangeRequired,
    OtpEnrolmentRequired.code: OtpEnrolmentRequired,
}


def pending_step(user: User) -> str | None:
    """What a staff, editor or admin account must do before anything else: change a first or expired
    password (``password_change_required``), or enrol a second factor its role requires
    (``otp_enrolment_required``). None for residents and for accounts in order."""
    if user.role not in config.STAFF_ROLES or not user.password_hash:
        return None
    settings = config.current()
    changed = user.password_changed_at or user.created_at
    if user.must_change_password or clock.now() - changed > timedelta(days=settings.password_max_age_days):
        return PasswordChangeRequired.code
    if user.role in settings.require_2fa and user.totp_confirmed_at is None:
        return OtpEnrolmentRequired.code
    return None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cache_key(token_hash: str) -> str:
    return storage.key("session", token_hash)


async def _cache_put(token_hash: str, user: User, expires_at: datetime, *, rev: int) -> None:
    value = orjson.dumps({"id": user.id, "role": user.role, "halls": list(user.halls or []),
                          "exp": expires_at.isoformat(), "pending": pending_step(user), "rev": rev})
    try:
        await storage.redis().set(_cache_key(token_hash), value, ex=CACHE_TTL_S)
    except RedisError as exc:
        log.warning("session cache unavailable: %s", type(exc).__name__)


async def issue_session(user: User) -> tuple[str, datetime]:
    """Create a session for ``user``; returns (token, expires_at)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    expires_at = now + SESSION_TTL.get(user.role, timedelta(hours=12))
    rev = await _known_revocations()
    await Session.create(token_hash=hash_token(token), user_id=user.id, created_at=now, expires_at=expires_at)
    await _cache_put(hash_token(token), user, expires_at, rev=rev)
    return token, expires_at


async def _from_cache(token_hash: str) -> dict[str, Any] | None:
    try:
        raw = await storage.redis().get(_cache_key(token_hash))
    except RedisError as exc:
        log.warning("session cache unavailable, using the database: %s", type(exc).__name__)
        return None
    return orjson.loads(raw) if raw else None


async def _from_database(token_hash: str, *, rev: int) -> dict[str, Any] | None:
    session = await Session.get_or_none(token_hash=token_hash, revoked_at=None).select_related("user")
    if session is None or not session.user.is_active or session.user.deleted_at is not None:
        return None
    await _cache_put(token_hash, session.user, session.expires_at, rev=rev)
    user = session.user
    return {"id": user.id, "role": user.role, "halls": list(user.halls or []), "exp": session.expires_at.isoformat(),
            "pending": pending_step(user), "rev": rev}


async def _known_revocations() -> int:
    """Read revocations made since the last look (when the sessions stamp moved); the last one's id."""
    stamp = await stamps.current(STAMP)
    if stamp != _revoked.stamp:
        since = clock.now() - REVOCATION_KEEP
        rows = await SessionRevocation.filter(id__gt=_revoked.last_id, created_at__gte=since).order_by(
            "id").values_list("id", "token_hash", "user_id")
        now = _monotonic()
        for row_id, token_hash, user_id in rows:
            key = token_hash if token_hash is not None else f"u{user_id}"
            _revoked.by_key[key] = (row_id, now)
            _revoked.last_id = max(_revoked.last_id, row_id)
        if rows:
            _local.clear()  # a revocation by another worker: drop this worker's copies at once
        _revoked.stamp = stamp
        _prune_revocations(now)
    return _revoked.last_id


def _prune_revocations(now: float) -> None:
    keep_s = REVOCATION_KEEP.total_seconds()
    if len(_revoked.by_key) > 1000:
        _revoked.by_key = {k: v for k, v in _revoked.by_key.items() if now - v[1] < keep_s}


def _outdated(token_hash: str, entry: dict[str, Any]) -> bool:
    """Whether a revocation of this token or its account came after the copy was read."""
    rev = entry.get("rev", 0)
    for key in (token_hash, f"u{entry['id']}"):
        found = _revoked.by_key.get(key)
        if found is not None and found[0] > rev:
            return True
    return False


async def _record_revocation(conn: BaseDBAsyncClient, *, token_hash: str | None = None,
                             user_id: int | None = None) -> None:
    """Write the revocation where every worker reads it, in the transaction that ends the sessions."""
    now = clock.now()
    # The stamp first: its row lock orders concurrent revocations, so ids grow in commit order.
    await stamps.bump(STAMP, using_db=conn)
    await SessionRevocation.create(token_hash=token_hash, user_id=user_id, created_at=now, using_db=conn)
    await SessionRevocation.filter(created_at__lt=now - REVOCATION_PURGE).using_db(conn).delete()


async def _slide(token_hash: str, entry: dict[str, Any], expires_at: datetime) -> None:
    ttl = SESSION_TTL.get(entry["role"], timedelta(hours=12))
    now = clock.now()
    if expires_at - now > ttl * (1 - SLIDE_AFTER):
        return
    new_expiry = now + ttl
    if not await Session.filter(token_hash=token_hash, revoked_at=None).update(expires_at=new_expiry):
        return  # revoked meanwhile: nothing to push out, and no copy to cache again
    entry["exp"] = new_expiry.isoformat()
    try:
        await storage.redis().set(_cache_key(token_hash), orjson.dumps(entry), ex=CACHE_TTL_S)
    except RedisError:
        pass


async def resolve_token(token: str) -> CurrentUser | None:
    """The user a bearer token belongs to, or None when it is unknown, revoked or expired."""
    token_hash = hash_token(token)
    now = _monotonic()
    held = _local.get(token_hash)
    if held is not None and held[0] > now:
        entry = held[1]
    else:
        started = _forgotten
        rev = await _known_revocations()
        entry = await _from_cache(token_hash)
        if entry is None or _outdated(token_hash, entry):
            entry = await _from_database(token_hash, rev=rev)
        if entry is None:
            _local.pop(token_hash, None)
            return None
        if len(_local) >= _LOCAL_MAX:
            _local.clear()
        if started == _forgotten:
            _local[token_hash] = (now + LOCAL_TTL_S, entry)
    expires_at = datetime.fromisoformat(entry["exp"])
    if expires_at <= clock.now():
        return None
    await _slide(token_hash, entry, expires_at)
    return CurrentUser(id=entry["id"], role=entry["role"], halls=tuple(entry["halls"]), pending=entry.get("pending"))


async def revoke(token: str) -> None:
    """End one session now, on every worker."""
    token_hash = hash_token(token)
    async with storage.transaction() as conn:
        await Session.filter(token_hash=token_hash).using_db(conn).update(revoked_at=clock.now())
        await _record_revocation(conn, token_hash=token_hash)
    await _forget(token_hash)


async def revoke_all(user_id: int) -> None:
    """End every session of a user (account deletion, role change)."""
    hashes = await Session.filter(user_id=user_id, revoked_at=None).values_list("token_hash", flat=True)
    async with storage.transaction() as conn:
        await Session.filter(user_id=user_id, revoked_at=None).using_db(conn).update(revoked_at=clock.now())
        await _record_revocation(conn, user_id=user_id)
    await _forget(*hashes)


async def refresh_cached_user(user_id: int) -> None:
    """Drop cached sessions of a user whose role or halls changed, so every worker rereads them."""
    hashes = await Session.filter(user_id=user_id, revoked_at=None).values_list("token_hash", flat=True)
    async with storage.transaction() as conn:
        await _record_revocation(conn, user_id=user_id)
    await _forget(*hashes)


def forget_local() -> None:
    """Drop this worker's copies of sessions (tests empty the stores under it)."""
    global _revoked
    _local.clear()
    _revoked = _Revocations()


async def _forget(*token_hashes: str) -> None:
    global _forgotten
    # Bumped before and after the Redis delete: a lookup overlapping either moment keeps nothing.
    _forgotten += 1
    for token_hash in token_hashes:
        _local.pop(token_hash, None)
    if token_hashes:
        try:
            await storage.redis().delete(*(_cache_key(h) for h in token_hashes))
        except RedisError:
            log.warning("could not drop a cached session; it expires within %s s", CACHE_TTL_S)
    _forgotten += 1


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def current_user(request: Request) -> CurrentUser | None:
    """The caller, or None for an anonymous request (cached on the request)."""
    if hasattr(request.ctx, "user"):
        return request.ctx.user
    token = bearer_token(request)
    user = await resolve_token(token) if token else None
    request.ctx.user = user
    return user


async def require(request: Request, *roles: str, hall: int | None = None, pending_ok: bool = False) -> CurrentUser:
    """The caller, who must be logged in, hold one of ``roles`` (admins hold all) and serve ``hall``.

    401 without a valid token; 403 ``forbidden`` outside the role or the hall scope; 403
    ``password_change_required`` or ``otp_enrolment_required`` while the account has that step
    pending, except where ``pending_ok`` (changing the password, enrolling, logging out).
    """
    user = await current_user(request)
    if user is None:
        raise errors.Unauthorized()
    if user.pending is not None and not pending_ok:
        raise PENDING_ERRORS[user.pending]()
    if not user.has_role(*roles):
        raise errors.Forbidden(details={"required_role": list(roles)})
    if hall is not None and not user.can_serve(hall):
        raise errors.Forbidden("无权管理该服务大厅", details={"hall_id": hall})
    return user
