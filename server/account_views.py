"""HTTP endpoints for logging in and for one's own account (/api/v1/auth/*, /api/v1/me)."""

from __future__ import annotations

from sanic import Blueprint, Request

from server import accounts, auth, errors, passwords, totp, wechat
from server.api import ANY_USER, endpoint
from server.schemas import (
    Deleted,
    DevLogin,
    LoginResult,
    Me,
    MeQuery,
    MeUpdate,
    OtpConfirm,
    OtpEnrolment,
    PasswordChange,
    PhoneBind,
    RecoveryCodes,
    StaffLogin,
    WeChatLogin,
)

bp = Blueprint("accounts", url_prefix="/api/v1")
TAGS = ["accounts"]
STAFF = ("staff", "editor", "admin")


@bp.post("/auth/wechat")
@endpoint("Log in with a wx.login() code", tags=TAGS, body=WeChatLogin, response=LoginResult,
          raises=[wechat.InvalidCode, wechat.WeChatRateLimited, wechat.WeChatUnavailable], limits="wechat_login_ip")
async def login_wechat(request: Request, *, body: WeChatLogin):
    return await accounts.login_wechat(body.code)


@bp.post("/auth/dev")
@endpoint("Log in as a WeChat openid without WeChat (development only; 404 when off)", tags=TAGS,
          body=DevLogin, response=LoginResult, raises=[errors.NotFound])
async def login_dev(request: Request, *, body: DevLogin):
    return await accounts.login_dev(body.openid, body.nickname)


@bp.post("/auth/staff")
@endpoint("Log in as staff, editor or admin", tags=TAGS, body=StaffLogin, response=LoginResult,
          raises=[accounts.BadCredentials, accounts.TooManyAttempts, totp.OtpRequired, totp.InvalidOtp],
          limits=("staff_login_ip", "staff_login_user"))
async def login_staff(request: Request, *, body: StaffLogin):
    return await accounts.login_staff(body.username, body.password, body.otp)


@bp.post("/auth/phone")
@endpoint("Bind the phone number from getPhoneNumber", tags=TAGS, body=PhoneBind, response=Me,
          auth_roles=ANY_USER, raises=[wechat.InvalidCode, wechat.WeChatUnavailable])
async def bind_phone(request: Request, *, body: PhoneBind, user: auth.CurrentUser):
    return await accounts.bind_phone(user.id, body.code)


@bp.post("/auth/logout")
@endpoint("End this session", tags=TAGS, status=204, auth_roles=ANY_USER, pending_ok=True)
async def logout(request: Request, *, user: auth.CurrentUser):
    await accounts.logout(auth.bearer_token(request) or "")


@bp.get("/me")
@endpoint("Who am I (home in ?coord=, WGS-84 by default)", tags=TAGS, query=MeQuery, response=Me,
          auth_roles=ANY_USER, pending_ok=True)
async def me(request: Request, *, query: MeQuery, user: auth.CurrentUser):
    return await accounts.get_me(user.id, coord=query.coord)


@bp.patch("/me")
@endpoint("Change my nickname or home location (home given and answered in coord, of the body or ?coord=)",
          tags=TAGS, query=MeQuery, body=MeUpdate, response=Me, auth_roles=ANY_USER)
async def update_me(request: Request, *, query: MeQuery, body: MeUpdate, user: auth.CurrentUser):
    home = (body.home.lon, body.home.lat) if body.home is not None else None
    return await accounts.update_me(user.id, nickname=body.nickname, home=home, coord=body.system(query),
                                    clear_home=body.clear_home)


@bp.delete("/me")
@endpoint("Delete my account and personal data (PIPL)", tags=TAGS, response=Deleted, auth_roles=ANY_USER)
async def delete_me(request: Request, *, user: auth.CurrentUser):
    await accounts.delete_account(user.id)
    return {"deleted": True}


@bp.post("/me/password")
@endpoint("Change my password (staff, editors, admins); allowed while a change is required", tags=TAGS,
          body=PasswordChange, status=204, auth_roles=STAFF, pending_ok=True,
          raises=[passwords.WrongPassword, passwords.WeakPassword, passwords.PasswordReused,
                  passwords.TooManyChangeAttempts])
async def change_password(request: Request, *, body: PasswordChange, user: auth.CurrentUser):
    await accounts.change_password(user.id, old=body.old_password, new=body.new_password)


@bp.post("/me/otp/enrol")
@endpoint("Start enrolling an authenticator app: a new secret, its otpauth URI and QR code", tags=TAGS,
          response=OtpEnrolment, auth_roles=STAFF, pending_ok=True, raises=[totp.AlreadyEnrolled])
async def start_otp(request: Request, *, user: auth.CurrentUser):
    return await totp.start_enrolment(user.id)


@bp.post("/me/otp/confirm")
@endpoint("Finish enrolling with the app's first code; answers 10 one-time recovery codes (shown once)",
          tags=TAGS, body=OtpConfirm, response=RecoveryCodes, auth_roles=STAFF, pending_ok=True,
          raises=[totp.InvalidOtp, totp.NotEnrolling, totp.AlreadyEnrolled, totp.TooManyOtpAttempts])
async def confirm_otp(request: Request, *, body: OtpConfirm, user: auth.CurrentUser):
    return await totp.confirm_enrolment(user.id, body.otp)
