"""The second factor: TOTP (RFC 6238, any authenticator app) and one-time recovery codes.

Enrolment: :func:`start_enrolment` makes a secret (kept encrypted by the PII vault) and answers the
``otpauth://`` URI and a QR PNG for the app; :func:`confirm_enrolment` with the first code from the
app turns it on and answers 10 recovery codes, shown once (only their keyed hashes are kept).
A code is accepted once: the time step it belongs to is stored, and that step or an earlier one is
refused afterwards (a code seen over a shoulder or replayed from a log is worth nothing). One step
of clock drift either way is allowed. ``BIANMIN_REQUIRE_2FA`` names the roles that must enrol
(always admin); until they do, their sessions can only enrol (see ``auth.pending_step``).

What the console calls: ``start_enrolment(user_id)``, ``confirm_enrolment(user_id, code)``,
``check_code(user_id, code)`` (a TOTP code or a recovery code; raises :class:`InvalidOtp`),
``enrolled(user)`` (sync), ``disable(user_id)`` (an admin resetting a lost phone).
"""

from __future__ import annotations

import asyncio
import base64
import io
import re
import secrets
from typing import Any

import pyotp
import qrcode

from server import audit, auth, clock, config, errors, keyed_hash, lockout, pii_vault, storage
from server.tables import RecoveryCode, User

ISSUER = "便民"
STEP_S = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
CONTEXT = "user.totp_secret"
_CODE = re.compile(r"[0-9]{6}")
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class OtpRequired(errors.Unauthorized):
    code = "otp_required"
    message = "请输入动态口令（身份验证器中的 6 位数字）或恢复码"


class InvalidOtp(errors.Unauthorized):
    code = "invalid_otp"
    message = "动态口令错误或已使用过"


class TooManyOtpAttempts(errors.TooManyRequests):
    code = "too_many_attempts"
    message = "动态口令错误次数过多，请 15 分钟后再试"


class NotEnrolling(errors.Conflict):
    code = "otp_not_enrolling"
    message = "请先开始绑定动态口令"


class AlreadyEnrolled(errors.Conflict):
    code = "otp_already_enrolled"
    message = "该账号已绑定动态口令"


def enrolled(user: User) -> bool:
    """Whether the account has a confirmed second factor."""
    return user.totp_confirmed_at is not None


def _totp(user: User) -> pyotp.TOTP:
    secret = pii_vault.vault().decrypt(user.totp_secret_enc or "", context=CONTEXT)
    return pyotp.TOTP(secret, interval=STEP_S)


def _qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4).save(buffer, "PNG")
    return buffer.getvalue()


async def start_enrolment(user_id: int) -> dict[str, Any]:
    """A new secret for ``user_id``: ``{"secret", "otpauth_uri", "qr_png_base64"}`` (not active until confirmed)."""
    user = await User.get(id=user_id)
    if enrolled(user):
        raise AlreadyEnrolled()
    secret = pyotp.random_base32()
    await User.filter(id=user_id).update(totp_secret_enc=pii_vault.vault().encrypt(secret, context=CONTEXT),
                                         totp_confirmed_at=None, totp_last_step=None)
    uri = pyotp.TOTP(secret, interval=STEP_S).provisioning_uri(name=user.username or str(user.id), issuer_name=ISSUER)
    png = await asyncio.to_thread(_qr_png, uri)
    return {"secret": secret, "otpauth_uri": uri, "qr_png_base64": base64.b64encode(png).decode()}


def _matching_step(totp: pyotp.TOTP, code: str, *, after: int | None) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), if later than ``after``."""
    now_step = int(clock.timestamp() // STEP_S)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if (after is None or step > after) and secrets.compare_digest(totp.at(step * STEP_S), code):
            return step
    return None


async def _use_step(user_id: int, step: int, previous: int | None) -> bool:
    """Record ``step`` as used, only if nobody used it (or a later one) meanwhile: one statement decides."""
    query = User.filter(id=user_id)
    query = query.filter(totp_last_step=None) if previous is None else query.filter(totp_last_step=previous)
    return await query.update(totp_last_step=step) == 1


def _recovery_hash(user_id: int, code: str) -> str:
    key = keyed_hash.derive_key(config.current().secret_key.encode(), "recovery-code")
    return keyed_hash.hmac_hex(key, f"{user_id}:{code}".encode(), "hmac-sha256")


def _normal_recovery(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


async def _new_recovery_codes(user_id: int, conn: Any) -> list[str]:
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    await RecoveryCode.filter(user_id=user_id).using_db(conn).delete()
    now = clock.now()
    await RecoveryCode.bulk_create([RecoveryCode(user_id=user_id, code_hash=_recovery_hash(user_id, c), created_at=now)
                                    for c in codes], using_db=conn)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


async def confirm_enrolment(user_id: int, code: str) -> dict[str, Any]:
    """The first code from the app turns the second factor on: ``{"recovery_codes": [...]}``, shown once."""
    user = await User.get(id=user_id)
    if enrolled(user):
        raise AlreadyEnrolled()
    if not user.totp_secret_enc:
        raise NotEnrolling()
    ticket = await _take_guess(user_id)
    step = _matching_step(_totp(user), code.strip(), after=None) if _CODE.fullmatch(code.strip()) else None
    if step is None:
        raise InvalidOtp()  # the guess keeps counting
    await lockout.give_back(str(user_id), ticket, scope=lockout.OTP)
    async with storage.transaction() as conn:
        await User.filter(id=user_id).using_db(conn).update(totp_confirmed_at=clock.now(), totp_last_step=step)
        codes = await _new_recovery_codes(user_id, conn)
    await auth.refresh_cached_user(user_id)
    return {"recovery_codes": codes}


async def _take_guess(user_id: int) -> float:
    """Count a code before it is checked, in the database (it holds while Redis is down: server/lockout.py)."""
    ticket = await lockout.take_guess(str(user_id), scope=lockout.OTP)
    if ticket is None:
        raise TooManyOtpAttempts(retry_after=await lockout.locked_for(str(user_id), scope=lockout.OTP))
    return ticket


async def check_code(user_id: int, code: str | None) -> None:
    """Accept a TOTP code or a recovery code for an enrolled account, once; else raise.

    :class:`OtpRequired` when none is given, :class:`InvalidOtp` when it is wrong or already used,
    :class:`TooManyOtpAttempts` after 5 wrong ones in 15 minutes.
    """
    if not code or not code.strip():
        raise OtpRequired()
    ticket = await _take_guess(user_id)
    if not await _accept(user_id, code.strip()):
        raise InvalidOtp()  # the guess keeps counting
    await lockout.give_back(str(user_id), ticket, scope=lockout.OTP)


async def _accept(user_id: int, given: str) -> bool:
    """Use up ``given`` (a TOTP code of a step not used yet, or an unused recovery code), if it is one."""
    user = await User.get(id=user_id)
    if _CODE.fullmatch(given):
        step = _matching_step(_totp(user), given, after=user.totp_last_step)
        return step is not None and await _use_step(user_id, step, user.totp_last_step)
    return await RecoveryCode.filter(user_id=user_id, code_hash=_recovery_hash(user_id, _normal_recovery(given)),
                                     used_at=None).update(used_at=clock.now()) == 1


async def recovery_codes_left(user_id: int) -> int:
    return await RecoveryCode.filter(user_id=user_id, used_at=None).count()


async def disable(user_id: int) -> None:
    """Remove the second factor (an admin, for a lost phone); the account must enrol again if its role requires."""
    was = enrolled(await User.get(id=user_id))
    async with storage.transaction() as conn:
        await User.filter(id=user_id).using_db(conn).update(totp_secret_enc=None, totp_confirmed_at=None,
                                                            totp_last_step=None)
        await RecoveryCode.filter(user_id=user_id).using_db(conn).delete()
    await auth.refresh_cached_user(user_id)
    audit.changed(target=f"user_id={user_id}", before={"second_factor": was}, after={"second_factor": False})
