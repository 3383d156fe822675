"""Console sessions: kept in the database (a Redis outage logs nobody out), idle and absolute limits.

The browser holds a random token in an HttpOnly, SameSite=Strict cookie (Secure when the public
base URL is https); the table keeps its SHA-256 hash. A session ends after
``BIANMIN_CONSOLE_IDLE_MINUTES`` without a request (30 by default) and 12 hours after it began,
whatever happens. Every form carries a CSRF token derived from the session with the
deployment's secret key, so nothing about it is stored.

Second factor: a session starts in stage ``second_factor`` when the account must give a one-time
code (:func:`second_factor_needed`); only :func:`confirm_second_factor` makes it active.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from console.tables import ConsoleSession
from server import accounts, auth, clock, config
from server.auth import CurrentUser
from server.tables import User

ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=30)  # last_seen_at is written at most this often (idle limit is in minutes)
ACTIVE, SECOND_FACTOR = "active", "second_factor"


@dataclass(frozen=True)
class Console:
    """A resolved console session: who is at the keyboard, and the token their forms must carry."""

    token_hash: str
    user: CurrentUser
    username: str
    stage: str
    csrf: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(purpose: str, value: str) -> str:
    key = config.current().secret_key.encode()
    return hmac.new(key, f"bianmin.console.{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def csrf_for(token_hash: str) -> str:
    """The CSRF token of a session (forms send it back; it changes with the session)."""
    return _mac("csrf", token_hash)


def login_csrf_for(nonce: str) -> str:
    """The CSRF token of the login form, bound to a random nonce in its own cookie."""
    return _mac("login", nonce)


def same(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given), expected)


def idle_limit() -> timedelta:
    return timedelta(minutes=config.current().console_idle_minutes)


async def second_factor_needed(user: User) -> bool:
    """Whether this account must give a one-time code after its password.

    Seam for the TOTP second factor (server/accounts' enrolment, h14-accounts): until it exists no
    account is enrolled, so none is asked.
    """
    needed = getattr(accounts, "second_factor_required", None)
    return bool(await needed(user)) if needed is not None else False


async def log_in(username: str, password: str) -> tuple[str, str, int]:
    """Check the password (the API's own check and lock-out) and open a session: (token, stage, user id)."""
    user = await accounts.authenticate_staff(username, password)
    stage = SECOND_FACTOR if await second_factor_needed(user) else ACTIVE
    token = secrets.token_urlsafe(32)
    now = clock.now()
    await ConsoleSession.create(token_hash=hash_token(token), user_id=user.id, stage=stage, created_at=now,
                                last_seen_at=now, expires_at=now + ABSOLUTE)
    user.last_login_at = now
    await user.save(update_fields=["last_login_at"])
    return token, stage, user.id


async def confirm_second_factor(token_hash: str) -> None:
    """The one-time code was right: the session becomes active."""
    await ConsoleSession.filter(token_hash=token_hash, stage=SECOND_FACTOR).update(stage=ACTIVE,
                                                                                 last_seen_at=clock.now())


async def resolve(token: str | None) -> Console | None:
    """The live session a cookie names, touched; None when unknown, ended, idle too long or too old."""
    if not token:
        return None
    token_hash = hash_token(token)
    row = await ConsoleSession.get_or_none(token_hash=token_hash, revoked_at=None)
    now = clock.now()
    if row is None:
        return None
    if now >= row.expires_at or now - row.last_seen_at >= idle_limit():
        await ConsoleSession.filter(id=row.id).update(revoked_at=now)
        return None
    user = await User.get_or_none(id=row.user_id, is_active=True, deleted_at=None,
                                  role__in=accounts.STAFF_ROLES)
    if user is None:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        await ConsoleSession.filter(id=row.id).update(last_seen_at=now)
    user_now = CurrentUser(id=user.id, role=user.role, halls=tuple(user.halls or ()), pending=auth.pending_step(user))
    return Console(token_hash=token_hash, user=user_now,
                   username=user.username or "", stage=row.stage, csrf=csrf_for(token_hash))


async def end(token_hash: str) -> None:
    """Log out: the session is over at once."""
    await ConsoleSession.filter(token_hash=token_hash, revoked_at=None).update(revoked_at=clock.now())


async def end_others(user_id: int, *, keep: str) -> int:
    """After a password change: every other console session of the account ends."""
    return await ConsoleSession.filter(user_id=user_id, revoked_at=None).exclude(token_hash=keep).update(
        revoked_at=clock.now())


async def end_all(user_id: int) -> int:
    """An administrator changed or disabled the account: every console session of it ends now
    (server/accounts reaches this through the registry's ``revoke`` hook)."""
    return await ConsoleSession.filter(user_id=user_id, revoked_at=None).update(revoked_at=clock.now())


async def purge_ended() -> int:
    """Delete sessions that ended more than a week ago (run with the account clean-up)."""
    cutoff = clock.now() - timedelta(days=7)
    return await ConsoleSession.filter(expires_at__lt=cutoff).delete()
