"""Passwords of staff, editors and admins (等保 2.0 level 3, 身份鉴别).

The rules: at least 8 characters from three of four classes (upper case, lower case, digits,
others), not the username (nor it reversed, nor containing it), none of the account's last five,
changed every ``BIANMIN_PASSWORD_MAX_AGE_DAYS`` (90); a new account or a reset password must be
changed at the first login; accounts unused for ``BIANMIN_ACCOUNT_IDLE_DAYS`` (90) are disabled by
a daily job. Until a required change is made the account's sessions can do nothing else (see
``auth.pending_step``).

What the console calls:

- ``problems(password, username=)`` (sync, pure): the rule codes a candidate breaks, for live hints.
- ``change_password(user_id, current=, new=)``: ``POST /api/v1/me/password`` (401 ``invalid_credentials``
  for a wrong current password, 422 ``weak_password`` / ``password_reused``).
- ``set_password(user, password, must_change=)``: create or reset (an admin resetting sets
  ``must_change=True``).
- ``enable_account(user_id)``: undoes the daily idle-account job (``accounts_admin.disable_idle_accounts``,
  which ends the sessions as every other disable does).
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server import audit, auth, clock, errors, lockout, storage
from server.tables import PasswordHistory, User

# OWASP's minimum argon2id profile: about 20 ms a hash, off the event loop.
hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_LENGTH = 8
HISTORY = 5
LOGGED_FIELDS = ("password_changed_at", "must_change_password")  # what the operation log shows of a change
RULES = {
    "length": f"至少 {MIN_LENGTH} 个字符",
    "classes": "包含大写字母、小写字母、数字、其他符号中的至少三类",
    "username": "不能与用户名相同或包含用户名",
}


class WeakPassword(errors.ValidationFailed):
    code = "weak_password"
    message = "密码不符合要求：至少 8 位，含大写字母、小写字母、数字、符号中的三类，且不能包含用户名"


class PasswordReused(errors.ValidationFailed):
    code = "password_reused"
    message = f"新密码不能与最近 {HISTORY} 次使用过的密码相同"


class WrongPassword(errors.Unauthorized):
    code = "invalid_credentials"
    message = "原密码错误"


class TooManyChangeAttempts(errors.TooManyRequests):
    code = "too_many_attempts"
    message = "当前密码输错次数过多，请 15 分钟后再试"


def _classes(password: str) -> int:
    # "Other" is whatever is neither a cased letter nor a digit: punctuation, spaces, Chinese characters.
    return sum((any(c.isupper() for c in password), any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(not (c.isupper() or c.islower() or c.isdigit()) for c in password)))


def problems(password: str, *, username: str | None) -> list[str]:
    """The rules (keys of ``RULES``) ``password`` breaks for the account ``username``."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append("length")
    if _classes(password) < 3:
        found.append("classes")
    name = (username or "").strip().lower()
    if name and (name in password.lower() or name[::-1] in password.lower()):
        found.append("username")
    return found


def check_strength(password: str, *, username: str | None) -> None:
    """Raise :class:`WeakPassword` (422, the broken rules in ``details``) unless ``password`` passes."""
    broken = problems(password, username=username)
    if broken:
        raise WeakPassword(details={"fields": [{"field": "new_password", "in": "body", "code": rule,
                                                "message": RULES[rule]} for rule in broken]})


async def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the argon2 hash ``stored`` (False for None), off the event loop."""
    def run() -> bool:
        try:
            return stored is not None and hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return await asyncio.to_thread(run)


async def _reused(user_id: int, password: str) -> bool:
    recent = await PasswordHistory.filter(user_id=user_id).order_by("-id").limit(HISTORY).values_list(
        "password_hash", flat=True)
    results = await asyncio.gather(*(verify(stored, password) for stored in recent))
    return any(results)


async def set_password(user: User, password: str, *, must_change: bool = False) -> None:
    """Give ``user`` a new password after checking the rules and the history; sessions see it at once."""
    check_strength(password, username=user.username)
    if user.id is not None and await _reused(user.id, password):
        raise PasswordReused()
    password_hash = await asyncio.to_thread(hasher.hash, password)
    now = clock.now()
    before = audit.fields(user, LOGGED_FIELDS)
    async with storage.transaction() as conn:
        await User.filter(id=user.id).using_db(conn).update(
            password_hash=password_hash, password_changed_at=now, must_change_password=must_change, updated_at=now)
        await PasswordHistory.create(user_id=user.id, password_hash=password_hash, created_at=now, using_db=conn)
        keep = await PasswordHistory.filter(user_id=user.id).using_db(conn).order_by("-id").limit(HISTORY).values_list(
            "id", flat=True)
        await PasswordHistory.filter(user_id=user.id, id__not_in=list(keep)).using_db(conn).delete()
    user.password_hash, user.password_changed_at, user.must_change_password = password_hash, now, must_change
    await auth.refresh_cached_user(user.id)
    audit.changed(target=f"user_id={user.id}", before=before, after=audit.fields(user, LOGGED_FIELDS))


async def change_password(user_id: int, *, current: str, new: str) -> None:
    """``POST /me/password``: the current password, then a new one that follows the rules.

    A stolen session must not become a way to guess the password: 5 wrong current passwords in 15
    minutes lock the change, counted in the database (server/lockout.py), so it holds while Redis is down.
    """
    ticket = await lockout.take_guess(str(user_id), scope=lockout.PASSWORD_CHANGE)
    if ticket is None:
        raise TooManyChangeAttempts(retry_after=await lockout.locked_for(str(user_id), scope=lockout.PASSWORD_CHANGE))
    user = await User.get(id=user_id)
    if not await verify(user.password_hash, current):
        raise WrongPassword()  # the guess keeps counting
    await lockout.give_back(str(user_id), ticket, scope=lockout.PASSWORD_CHANGE)
    await set_password(user, new)


def last_used(user: User) -> object:
    """When the account was last used or renewed: its last login, password change or creation."""
    return max(t for t in (user.last_login_at, user.password_changed_at, user.created_at) if t is not None)


async def enable_account(user_id: int) -> None:
    """Re-enable an account (an idle one, say); it counts as used today."""
    now = clock.now()
    before = await User.get(id=user_id)
    await User.filter(id=user_id).update(is_active=True, disabled_reason=None, last_login_at=now, updated_at=now)
    await auth.refresh_cached_user(user_id)
    audit.changed(target=f"user_id={user_id}", before=audit.fields(before, ("is_active", "disabled_reason")),
                  after={"is_active": True, "disabled_reason": None})
