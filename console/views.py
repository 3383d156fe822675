"""Everyone's console pages: log in (password, then a one-time code when enrolled), log out, change password, home."""

from __future__ import annotations

import secrets
from pathlib import Path

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from console import sessions
from console.pages import (
    COOKIE,
    LOGIN_COOKIE,
    CsrfRefused,
    Redisplay,
    clear_cookie,
    field,
    install_error_pages,
    page,
    render,
    set_cookie,
)
from server import accounts, audit, errors, ratelimit, totp
from server.tables import User

bp = Blueprint("console", url_prefix="/console")
bp.static("/static", Path(__file__).parent / "static", name="static")
install_error_pages(bp)
STAFF_ROLES = accounts.STAFF_ROLES
STAFF_LOGIN_LIMITS = ("staff_login_ip", "staff_login_user")  # as POST /api/v1/auth/staff


def _next(request: Request) -> str:
    """Where to go after logging in: a console page of ours, never another site."""
    target = request.args.get("next") or field(request, "next") or "/console/"
    return target if target.startswith("/console/") and not target.startswith("//") else "/console/"


def _login_form(request: Request, *, status: int = 200, message: str = "") -> HTTPResponse:
    nonce = secrets.token_urlsafe(16)
    if request.args.get("expired") and not message:
        message = "登录已超时，请重新登录"
    response = render("login.html", status=status, message=message, next=_next(request),
                      login_csrf=sessions.login_csrf_for(nonce))
    set_cookie(response, LOGIN_COOKIE, nonce, max_age=3600)
    return response


@bp.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    return _login_form(request)


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    if not nonce or not sessions.same(field(request, "csrf"), sessions.login_csrf_for(nonce)):
        raise CsrfRefused()
    username = field(request, "username")
    try:
        await ratelimit.check(STAFF_LOGIN_LIMITS, request, username=username)
        token, stage, user_id = await sessions.log_in(username, request.form.get("password") or "")
    except errors.DomainError as error:  # wrong password or locked: the form again, with the reason
        await audit.record_login(username=username, user_id=None, result=error.code, ip=audit.client_ip(request),
                                 user_agent=audit.user_agent(request))
        return _login_form(request, status=error.status, message=error.message)
    await audit.record_login(username=username, user_id=user_id, result="ok" if stage == sessions.ACTIVE
                             else "second_factor_required", ip=audit.client_ip(request),
                             user_agent=audit.user_agent(request))
    target = _next(request) if stage == sessions.ACTIVE else "/console/second-factor"
    response = redirect(target, status=303)
    set_cookie(response, COOKIE, token)
    clear_cookie(response, LOGIN_COOKIE)
    return response


@bp.post("/logout")
@page(pending_ok=True)
async def logout(request: Request, *, console: sessions.Console) -> HTTPResponse:
    await sessions.end(console.token_hash)
    response = redirect("/console/login", status=303)
    clear_cookie(response, COOKIE)
    return response


@bp.get("/")
@page()
async def home(request: Request, *, console: sessions.Console) -> HTTPResponse:
    return render("home.html", console=console)


@bp.get("/password")
@page(pending_ok=True)
async def password_page(request: Request, *, console: sessions.Console) -> HTTPResponse:
    return render("password.html", console=console)


@bp.post("/password")
@page(pending_ok=True)
async def change_password(request: Request, *, console: sessions.Console) -> HTTPResponse:
    new = request.form.get("new_password") or ""
    if new != (request.form.get("repeat_password") or ""):
        raise Redisplay(errors.ValidationFailed("两次输入的新密码不一致"), "password.html")
    try:
        await accounts.change_password(console.user.id, old=request.form.get("old_password") or "", new=new)
    except errors.DomainError as error:
        raise Redisplay(error, "password.html") from None
    await sessions.end_others(console.user.id, keep=console.token_hash)
    return render("password.html", console=console, done=True, next_step=console.user.pending
                  if console.user.pending != "password_change_required" else None)


@bp.get("/otp")
@page(pending_ok=True)
async def otp_page(request: Request, *, console: sessions.Console) -> HTTPResponse:
    """两步验证: enrolled, with how many recovery codes are left; or a new secret to scan and confirm."""
    user = await User.get(id=console.user.id)
    if totp.enrolled(user):
        return render("otp.html", console=console, enrolled=True, left=await totp.recovery_codes_left(user.id))
    return render("otp.html", console=console, enrolment=await totp.start_enrolment(user.id))


@bp.post("/otp")
@page(pending_ok=True)
async def confirm_otp(request: Request, *, console: sessions.Console) -> HTTPResponse:
    """The first code from the authenticator app turns the second factor on; recovery codes are shown once."""
    confirmed = await totp.confirm_enrolment(console.user.id, field(request, "code"))
    return render("otp.html", console=console, enrolled=True, recovery_codes=confirmed["recovery_codes"])


@bp.get("/second-factor")
async def second_factor_page(request: Request) -> HTTPResponse:
    console = await sessions.resolve(request.cookies.get(COOKIE))
    if console is None or console.stage != sessions.SECOND_FACTOR:
        return redirect("/console/login", status=303)
    return render("second_factor.html", console=console, pending=True)


@bp.post("/second-factor")
async def second_factor(request: Request) -> HTTPResponse:
    """The one-time code after the password; a wrong code and a locked account are told apart."""
    console = await sessions.resolve(request.cookies.get(COOKIE))
    if console is None or console.stage != sessions.SECOND_FACTOR:
        return redirect("/console/login", status=303)
    if not sessions.same(field(request, "csrf"), console.csrf):
        raise CsrfRefused()
    try:
        await accounts.verify_second_factor(console.user.id, field(request, "code"))
    except errors.DomainError as refused:
        return render("second_factor.html", status=refused.status, console=console, pending=True,
                      message=refused.message)
    await sessions.confirm_second_factor(console.token_hash)
    return redirect("/console/", status=303)
