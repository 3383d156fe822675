"""账号与角色: administrators manage staff, editor, answerer and admin accounts.

The rules (the JSON admin API and the console call these same functions):

- A new account gets a temporary password, answered once and never stored in clear; its first
  login can do nothing but change it (``must_change_password``). A reset does the same.
- Hall scope belongs to staff (窗口工作人员) only, and names halls that exist.
- A change of role or halls, a disable, a password or second-factor reset ends every session of
  the account at once (the API's on every worker, the console's): it logs in again under the
  new rules.
- An admin cannot disable or demote their own account, nor the last active admin. The active
  admins' rows are locked (in id order) before the target's, so two admins disabling each other
  at the same moment cannot both succeed.
- Every change describes itself to the operation log (before/after; the log masks personal data).
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from server import (
    accounts,
    audit,
    clock,
    config,
    errors,
    lockout,
    passwords,
    registry,
    storage,
    totp,
)
from server.tables import PasswordHistory, User

TEMPORARY_LENGTH = 12
_CLASSES = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@")  # no look-alikes
HALL_ROLE = "staff"


class UserNotFound(errors.NotFound):
    code = "user_not_found"
    message = "账号不存在"


class UsernameTaken(errors.Conflict):
    code = "username_taken"
    message = "用户名已被使用"


class LastAdmin(errors.Conflict):
    code = "last_admin"
    message = "不能停用或降级最后一个在用的管理员账号"


class OwnAccount(errors.Conflict):
    code = "own_account"
    message = "不能停用或降级自己的账号"


def temporary_password(username: str) -> str:
    """A random first password that passes the password rules (12 characters, all four classes)."""
    rng = secrets.SystemRandom()
    while True:
        chars = [rng.choice(group) for group in _CLASSES]
        chars += [rng.choice("".join(_CLASSES)) for _ in range(TEMPORARY_LENGTH - len(chars))]
        rng.shuffle(chars)
        candidate = "".join(chars)
        if not passwords.problems(candidate, username=username):
            return candidate


async def _halls() -> list[dict[str, Any]]:
    for _domain, list_halls in registry.each("halls"):
        return await list_halls(include_inactive=True)  # type: ignore[no-any-return]
    return []


async def hall_names() -> dict[int, str]:
    """Every hall's name by id (inactive ones too), for showing a clerk's scope."""
    return {hall["id"]: hall["name"] for hall in await _halls()}


def _checked_halls(role: str, halls: list[int] | None, *, known: set[int]) -> list[int]:
    """The hall scope to store for ``role``: only staff have one, and only of halls that exist (``known``)."""
    wanted = sorted(set(halls or []))
    if role != HALL_ROLE:
        if wanted:
            raise errors.ValidationFailed.field("halls", "只有窗口工作人员（staff）可以分配服务大厅")
        return []
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise errors.ValidationFailed.field("halls", f"服务大厅不存在：{unknown}")
    return wanted


def _age_days(since: datetime | None) -> int | None:
    return (clock.now() - since).days if since is not None else None


def account_view(user: User, *, locked: bool) -> dict[str, Any]:
    """What an administrator sees of an account: no password, no secret, nothing personal."""
    return {"id": user.id, "username": user.username, "role": user.role, "halls": sorted(user.halls or []),
            "otp_enrolled": totp.enrolled(user), "is_active": user.is_active,
            "disabled_reason": user.disabled_reason, "locked": locked, "last_login_at": user.last_login_at,
            "password_changed_at": user.password_changed_at,
            "password_age_days": _age_days(user.password_changed_at or user.created_at),
            "must_change_password": user.must_change_password, "created_at": user.created_at}


async def list_accounts() -> list[dict[str, Any]]:
    """GET /admin/users: every staff, editor, answerer and admin account, by username."""
    users = await User.filter(role__in=accounts.STAFF_ROLES, deleted_at=None).order_by("username")
    locked = await lockout.locked_accounts([(u.id, u.username or "") for u in users])
    return [account_view(u, locked=u.id in locked) for u in users]


async def get_account(user_id: int) -> dict[str, Any]:
    """GET /admin/users/{id}: one account as the list shows it."""
    user = await _user(user_id)
    return account_view(user, locked=bool(await lockout.locked_accounts([(user.id, user.username or "")])))


async def _user(user_id: int, conn: BaseDBAsyncClient | None = None) -> User:
    query = User.filter(id=user_id, role__in=accounts.STAFF_ROLES, deleted_at=None)
    user = await (query.select_for_update().using_db(conn) if conn is not None else query).first()
    if user is None:
        raise UserNotFound(details={"user_id": user_id})
    return user


async def create_account(*, username: str, role: str, halls: list[int] | None) -> dict[str, Any]:
    """POST /admin/users: a new account with a temporary password (answered once, to be changed at first login)."""
    name = username.strip().lower()
    scope = _checked_halls(role, halls, known=set(await hall_names()))
    temporary = temporary_password(name)
    password_hash = await asyncio.to_thread(passwords.hasher.hash, temporary)
    now = clock.now()
    try:
        async with storage.transaction() as conn:
            user = await User.create(username=name, role=role, halls=scope, password_hash=password_hash,
                                     must_change_password=True, password_changed_at=now, created_at=now,
                                     updated_at=now, using_db=conn)
            await PasswordHistory.create(user_id=user.id, password_hash=password_hash, created_at=now, using_db=conn)
    except IntegrityError:
        raise UsernameTaken(details={"username": name}) from None
    audit.note(target=f"user_id={user.id}", after={"username": name, "role": role, "halls": scope})
    return {"account": account_view(user, locked=False), "temporary_password": temporary}


async def _lock_for_change(conn: BaseDBAsyncClient, user_id: int) -> tuple[User, list[int]]:
    """The account, locked, and the ids of the active admins, locked first (always in id order)."""
    # Whole rows: Tortoise drops FOR UPDATE from a values_list() query.
    admins = await User.filter(role="admin", is_active=True, deleted_at=None).order_by("id").select_for_update(
        ).using_db(conn)
    return await _user(user_id, conn), [admin.id for admin in admins]


def _guard_admin(user: User, admins: list[int], *, actor_id: int) -> None:
    """Refuse to take away an active admin account that is the actor's own or the last one."""
    if user.id == actor_id:
        raise OwnAccount(details={"user_id": user.id})
    if user.id in admins and len(admins) <= 1:
        raise LastAdmin(details={"user_id": user.id})


async def update_account(user_id: int, *, actor_id: int, role: str | None = None,
                         halls: list[int] | None = None) -> dict[str, Any]:
    """PATCH /admin/users/{id}: change the role and/or the hall scope; the account's sessions end."""
    known = set(await hall_names())  # read before the transaction takes its locks
    async with storage.transaction() as conn:
        user, admins = await _lock_for_change(conn, user_id)
        before = {"role": user.role, "halls": sorted(user.halls or [])}
        new_role = role or user.role
        kept = before["halls"] if new_role == HALL_ROLE else []
        scope = _checked_halls(new_role, halls if halls is not None else kept, known=known)
        if user.role == "admin" and new_role != "admin" and user.is_active:
            _guard_admin(user, admins, actor_id=actor_id)
        after = {"role": new_role, "halls": scope}
        if after != before:
            await User.filter(id=user.id).using_db(conn).update(role=new_role, halls=scope, updated_at=clock.now())
    if after != before:
        await accounts.end_sessions(user.id)
        audit.note(target=f"user_id={user.id}", before=before, after=after)
    return await get_account(user.id)


async def disable_account(user_id: int, *, actor_id: int) -> dict[str, Any]:
    """POST /admin/users/{id}/disable: the account can no longer log in; its sessions end now."""
    async with storage.transaction() as conn:
        user, admins = await _lock_for_change(conn, user_id)
        _guard_admin(user, admins, actor_id=actor_id)
        await User.filter(id=user.id).using_db(conn).update(is_active=False, disabled_reason="admin",
                                                            updated_at=clock.now())
    await accounts.end_sessions(user.id)
    audit.note(target=f"user_id={user.id}", before={"is_active": user.is_active},
               after={"is_active": False, "disabled_reason": "admin"})
    return await get_account(user.id)


async def disable_idle_accounts() -> int:
    """Daily: disable staff, editor and admin accounts unused for BIANMIN_ACCOUNT_IDLE_DAYS, ending their
    API and console sessions as an admin's disable does; returns how many."""
    cutoff = clock.now() - timedelta(days=config.current().account_idle_days)
    candidates = await User.filter(role__in=config.STAFF_ROLES, is_active=True, deleted_at=None)
    idle = [user for user in candidates if passwords.last_used(user) < cutoff]
    for user in idle:
        await User.filter(id=user.id, is_active=True).update(is_active=False, disabled_reason="idle",
                                                             updated_at=clock.now())
        await accounts.end_sessions(user.id)
        await audit.record_operation(actor=None, action="accounts.disable_idle", target=f"user_id={user.id}",
                                     before={"is_active": True}, after={"is_active": False, "reason": "idle"})
    return len(idle)


async def enable_account(user_id: int) -> dict[str, Any]:
    """POST /admin/users/{id}/enable: a disabled account (by an admin or for being idle) may log in again."""
    user = await _user(user_id)
    if user.is_active:  # nothing to do; enabling counts as a use, which would show as a last login
        return await get_account(user.id)
    await passwords.enable_account(user.id)
    audit.note(target=f"user_id={user.id}", before={"is_active": user.is_active,
                                                     "disabled_reason": user.disabled_reason},
               after={"is_active": True, "disabled_reason": None})
    return await get_account(user.id)


async def unlock_account(user_id: int) -> dict[str, Any]:
    """POST /admin/users/{id}/unlock: clear the lock-outs after too many wrong passwords or one-time codes."""
    user = await _user(user_id)
    await lockout.unlock(user.username or "", user.id)
    audit.note(target=f"user_id={user.id}", after={"unlocked": True})
    return await get_account(user.id)


async def reset_password(user_id: int) -> dict[str, Any]:
    """POST /admin/users/{id}/password-reset: a new temporary password (answered once); the lock-out
    is cleared and the sessions end; the first login must change it."""
    user = await _user(user_id)
    temporary = temporary_password(user.username or "")
    await passwords.set_password(user, temporary, must_change=True)
    await lockout.unlock(user.username or "", user.id)
    await accounts.end_sessions(user.id)
    audit.note(target=f"user_id={user.id}", after={"password_reset": True, "must_change_password": True})
    return {"temporary_password": temporary}


async def reset_second_factor(user_id: int) -> dict[str, Any]:
    """POST /admin/users/{id}/otp-reset: remove the authenticator (a lost phone); the sessions end and
    the account enrols again at its next login if its role requires a second factor."""
    user = await _user(user_id)
    await totp.disable(user.id)
    await accounts.end_sessions(user.id)
    audit.note(target=f"user_id={user.id}", before={"otp_enrolled": totp.enrolled(user)},
               after={"otp_enrolled": False})
    return await get_account(user.id)
