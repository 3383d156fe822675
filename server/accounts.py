"""Account use cases: log in (WeChat, dev, staff), bind a phone, edit and delete oneself."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError

from server import (
    audit,
    auth,
    clock,
    config,
    errors,
    lockout,
    passwords,
    pii,
    pii_rotation,
    pii_vault,
    registry,
    storage,
    totp,
    wechat,
)
from server.tables import ROLES, PasswordHistory, Session, User

log = logging.getLogger("bianmin.accounts")

hasher = passwords.hasher
Point = tuple[float, float]  # (lon, lat)
STAFF_ROLES = ("staff", "editor", "answerer", "admin")
_DUMMY_HASH = hasher.hash("bianmin-timing-equaliser")
# What the operation log shows of an account's change (never a hash or a secret).
ACCOUNT_FIELDS = ("username", "role", "halls", "is_active", "must_change_password", "password_changed_at")


class TooManyAttempts(errors.TooManyRequests):
    code = "too_many_attempts"
    message = "登录失败次数过多，请 15 分钟后再试"


class BadCredentials(errors.Unauthorized):
    code = "invalid_credentials"
    message = "用户名或密码错误"


WeakPassword = passwords.WeakPassword


class DevLoginDisabled(errors.NotFound):
    pass


@functools.cache
def _coords() -> Callable[[Point, str, str], Point]:
    """The coordinate converter the map domain provides (infrastructure imports no domain)."""
    for _domain, convert in registry.each("coords"):
        return convert  # type: ignore[no-any-return]
    raise RuntimeError("no domain registers a coordinate converter (registry field coords)")


def convert_point(point: Point, src: str, dst: str) -> Point:
    """``point`` from one coordinate system (wgs84, gcj02, bd09) to another."""
    return point if src == dst else _coords()(point, src, dst)


def user_view(user: User, *, coord: str = "wgs84") -> dict[str, Any]:
    """What /api/v1/me shows: the phone masked, nothing else personal; home in ``coord``."""
    phone = pii_vault.vault().decrypt(user.phone_enc, context="user.phone") if user.phone_enc else None
    home = None
    if user.home_lon is not None and user.home_lat is not None:
        lon, lat = convert_point((user.home_lon, user.home_lat), "wgs84", coord)
        home = {"lon": lon, "lat": lat}
    return {"id": user.id, "role": user.role, "nickname": user.nickname,
            "phone": pii.mask_phone(phone) if phone else None, "home": home, "coord": coord,
            "halls": list(user.halls or [])}


async def _login(user: User) -> dict[str, Any]:
    user.last_login_at = clock.now()
    await user.save(update_fields=["last_login_at"])
    token, expires_at = await auth.issue_session(user)
    return {"token": token, "expires_at": expires_at, "user": user_view(user),
            "state": auth.pending_step(user) or "ok"}


async def _resident(openid: str, *, unionid: str | None = None, nickname: str | None = None) -> User:
    now = clock.now()
    user, _ = await User.get_or_create(
        openid=openid, defaults={"role": "resident", "nickname": nickname or "", "created_at": now, "updated_at": now})
    if unionid and user.unionid != unionid:
        user.unionid = unionid
        await user.save(update_fields=["unionid"])
    if not user.is_active:
        raise errors.Forbidden("账号已停用")
    return user


async def login_wechat(code: str) -> dict[str, Any]:
    """wx.login() code -> WeChat session -> our session. The WeChat session key never leaves the server."""
    try:
        result = await wechat.client().code_to_session(code)
    except wechat.WeChatError as exc:
        raise wechat.login_error(exc) from None
    user = await _resident(result["openid"], unionid=result.get("unionid"))
    user.wechat_session_key_enc = pii_vault.vault().encrypt(result["session_key"], context="user.session_key")
    await user.save(update_fields=["wechat_session_key_enc"])
    return await _login(user)


async def login_dev(openid: str, nickname: str | None) -> dict[str, Any]:
    """Log in as any WeChat openid without WeChat (development only)."""
    if not config.current().dev_login:
        raise DevLoginDisabled()
    user = await _resident(f"dev-{openid}", nickname=nickname)
    if nickname and user.nickname != nickname:
        user.nickname = nickname
        await user.save(update_fields=["nickname"])
    return await _login(user)


async def login_staff(username: str, password: str, otp: str | None = None) -> dict[str, Any]:
    """Username, password and (when enrolled) a one-time code for staff, editors and admins; 5 guesses
    in 15 minutes lock the name. Every attempt goes to the login log.

    ``state`` in the answer says what the session may do: ``ok``, or ``password_change_required`` /
    ``otp_enrolment_required`` (the session can then only change the password or enrol).
    """
    name = username.strip().lower()
    user: User | None = None
    try:
        user, ticket = await _check_password(name, password)
        if totp.enrolled(user):
            await totp.check_code(user.id, otp)  # a wrong code keeps the guess counting towards the lock-out
    except errors.DomainError as exc:
        await audit.record_login(username=name, user_id=user.id if user else None, result=exc.code)
        raise
    await lockout.give_back(name, ticket)
    await audit.record_login(username=name, user_id=user.id, result="ok")
    return await _login(user)


async def authenticate_staff(username: str, password: str) -> User:
    """The console's password step: the account, or BadCredentials / TooManyAttempts (the console logs
    the attempt; :func:`verify_second_factor` logs the code that follows)."""
    name = username.strip().lower()
    user, ticket = await _check_password(name, password)
    await lockout.give_back(name, ticket)
    return user


async def _check_password(name: str, password: str) -> tuple[User, float]:
    """The one check of a staff password: the account and its lock-out ticket, or an error.

    The guess is counted in the database before the password is checked (see server/lockout.py), so
    parallel guesses cannot get past the limit and the lock holds while Redis is down; the caller
    gives the ticket back once every factor is right.
    """
    ticket = await lockout.take_guess(name)
    if ticket is None:
        raise TooManyAttempts(retry_after=await lockout.locked_for(name))
    user = await User.get_or_none(username=name, role__in=STAFF_ROLES, is_active=True)
    if not await _password_ok(user.password_hash if user else None, password) or user is None:
        log.info("staff login failed", extra={"username": name})
        raise BadCredentials()
    return user, ticket


async def second_factor_required(user: User) -> bool:
    """Whether the account must give a one-time code after its password (the console's second step)."""
    return totp.enrolled(user)


async def verify_second_factor(user_id: int, code: str) -> None:
    """The console's second step: a TOTP or recovery code, once; logged either way. Raises what
    :func:`totp.check_code` raises (a wrong code, or too many), so the page can say which."""
    user = await User.get(id=user_id)
    try:
        await totp.check_code(user_id, code)
    except errors.DomainError as exc:
        await audit.record_login(username=user.username or "", user_id=user_id, result=exc.code)
        raise
    await audit.record_login(username=user.username or "", user_id=user_id, result="ok")


async def _password_ok(stored: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False
    return await asyncio.to_thread(verify)


async def bind_phone(user_id: int, code: str) -> dict[str, Any]:
    """Store the phone number WeChat vouches for, encrypted, with a keyed hash for lookups."""
    try:
        raw = await wechat.client().user_phone_number(code)
    except wechat.WeChatError as exc:
        raise wechat.login_error(exc) from None
    phone = pii.normalize_phone(raw)
    user = await User.get(id=user_id)
    user.phone_enc = pii_vault.vault().encrypt(phone, context="user.phone")
    user.phone_hash = pii_vault.vault().lookup_hash(phone, kind="phone")
    user.updated_at = clock.now()
    await user.save(update_fields=["phone_enc", "phone_hash", "updated_at"])
    return user_view(user)


async def get_me(user_id: int, *, coord: str = "wgs84") -> dict[str, Any]:
    """GET /me: who am I, home in ``coord``."""
    return user_view(await User.get(id=user_id), coord=coord)


async def update_me(user_id: int, *, nickname: str | None, home: Point | None, coord: str = "wgs84",
                    clear_home: bool = False) -> dict[str, Any]:
    """PATCH /me: change one's nickname or home location (given and answered in ``coord``, kept in WGS-84)."""
    user = await User.get(id=user_id)
    if nickname is not None:
        user.nickname = nickname
    if clear_home:
        user.home_lon = user.home_lat = None
    elif home is not None:
        user.home_lon, user.home_lat = convert_point(home, coord, "wgs84")
    user.updated_at = clock.now()
    await user.save(update_fields=["nickname", "home_lon", "home_lat", "updated_at"])
    return user_view(user, coord=coord)


async def logout(token: str) -> None:
    await auth.revoke(token)


async def create_user(*, username: str, password: str, role: str, halls: list[int] | None = None,
                      must_change: bool = False) -> User:
    """Create or update a staff, editor or admin account with this password.

    ``bianmin createuser`` (and an admin creating or resetting an account) passes ``must_change=True``
    after checking the password rules: a first password is temporary, the account's first login can
    do nothing but change it. Tests and the demo seed set ready-to-use accounts.
    """
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {', '.join(STAFF_ROLES)}")
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    now = clock.now()
    password_hash = await asyncio.to_thread(hasher.hash, password)
    existing = await User.get_or_none(username=username.strip().lower())
    before = audit.fields(existing, ACCOUNT_FIELDS) if existing is not None else None
    user, _ = await User.update_or_create(
        username=username.strip().lower(),
        defaults={"role": role, "password_hash": password_hash, "halls": sorted(set(halls or [])),
                  "is_active": True, "disabled_reason": None, "updated_at": now, "created_at": now,
                  "password_changed_at": now, "must_change_password": must_change})
    await PasswordHistory.create(user_id=user.id, password_hash=password_hash, created_at=now)
    await auth.refresh_cached_user(user.id)
    audit.changed(target=f"user_id={user.id}", before=before, after=audit.fields(user, ACCOUNT_FIELDS))
    return user


async def change_password(user_id: int, *, old: str, new: str) -> None:
    """A staff member changes their own password (the console and ``POST /me/password``): the old one
    must be right (403 ``wrong_password``), the new one follow the rules (see server/passwords.py)."""
    await passwords.change_password(user_id, current=old, new=new)


async def set_halls(user_id: int, halls: list[int]) -> None:
    """Replace a staff member's hall scope; the account's sessions end (it logs in again under the new scope)."""
    before = await User.filter(id=user_id).values_list("halls", flat=True)
    await User.filter(id=user_id).update(halls=sorted(set(halls)), updated_at=clock.now())
    await end_sessions(user_id)
    audit.changed(target=f"user_id={user_id}", before={"halls": sorted(before[0] or []) if before else None},
                  after={"halls": sorted(set(halls))})


async def end_sessions(user_id: int) -> None:
    """End every session of an account now: the API's (on every worker) and those a domain keeps
    itself (the console's, through the registry's ``revoke`` hook)."""
    await auth.revoke_all(user_id)
    for _domain, end in registry.each("revoke"):
        await end(user_id)


async def resident_account(openid: str, *, nickname: str | None = None) -> int:
    """The resident account of an openid, created when new (the demo seeds its residents so); its id."""
    return (await _resident(openid, nickname=nickname)).id


async def staff_accounts(*, active_only: bool = True) -> list[dict[str, Any]]:
    """Hall staff accounts by id, without personal data: id, username, nickname, halls, is_active."""
    query = User.filter(role="staff", is_active=True) if active_only else User.filter(role="staff")
    return [{"id": u.id, "username": u.username, "nickname": u.nickname, "halls": sorted(u.halls or []),
             "is_active": u.is_active} for u in await query.order_by("id")]


async def find_staff(username: str) -> dict[str, Any] | None:
    """One staff account by username (as :func:`staff_accounts` shows it), or None."""
    wanted = username.strip().lower()
    return next((u for u in await staff_accounts(active_only=False) if u["username"] == wanted), None)


async def delete_account(user_id: int) -> None:
    """PIPL erasure: every domain deletes the person's data; the account keeps no personal field."""
    async with storage.transaction() as conn:
        for _domain, erase in registry.each("erase"):
            await erase(user_id, using_db=conn)
        await User.filter(id=user_id).using_db(conn).update(
            openid=None, unionid=None, nickname="", phone_enc=None, phone_hash=None, home_lon=None,
            home_lat=None, wechat_session_key_enc=None, password_hash=None, username=None,
            is_active=False, deleted_at=clock.now(), updated_at=clock.now())
    await end_sessions(user_id)


async def purge_expired_sessions() -> int:
    """Delete sessions that ended more than a week ago."""
    cutoff = clock.now() - timedelta(days=7)
    return await Session.filter(expires_at__lt=cutoff).delete()


assert set(STAFF_ROLES) <= set(ROLES)


USER_PII = (pii_rotation.EncryptedColumn("phone_enc", "user.phone", hash_column="phone_hash", hash_kind="phone"),
            pii_rotation.EncryptedColumn("wechat_session_key_enc", "user.session_key"),
            pii_rotation.EncryptedColumn("totp_secret_enc", totp.CONTEXT))


async def rekey(*, check: bool, progress: pii_rotation.Progress | None = None) -> dict[str, int]:
    """``bianmin rotate-pii-key``: accounts' phone numbers and WeChat session keys."""
    return {"users": await pii_rotation.rekey(User, USER_PII, check=check, progress=progress)}

