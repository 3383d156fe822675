"""What every console page shares: templates, the session guard, CSRF, the security policy, errors as pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ValidationError
from sanic import Blueprint, HTTPResponse, Request
from sanic import exceptions as sanic_errors
from sanic.response import redirect

from console import sessions
from console.menu import menu_for
from server import audit, auth, clock, config, errors
from server.api import receive_body
from server.validation import validation_error

COOKIE = "bianmin_console"
LOGIN_COOKIE = "bianmin_console_login"
# Scripts and styles only from our own files: htmx reads its settings from a meta tag, charts and
# maps from data attributes, so no page needs inline script or style.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PAGE_HEADERS = {"content-security-policy": CSP, "cache-control": "no-store", "x-frame-options": "DENY",
                "referrer-policy": "same-origin"}

templates = Environment(loader=PackageLoader("console", "templates"), autoescape=select_autoescape(["html"]),
                        trim_blocks=True, lstrip_blocks=True)
Handler = Callable[..., Awaitable[HTTPResponse]]
Model = TypeVar("Model", bound=BaseModel)


class Forbidden(errors.Forbidden):
    """A page outside the user's role or halls."""


class CsrfRefused(errors.Forbidden):
    code = "csrf_refused"
    message = "表单已失效，请刷新页面后重试"


class Redisplay(errors.DomainError):
    """A domain error answered with the form's own page again, saying why (the clerk scans the next
    code at once); raised, so the operation log records the refusal like any other."""

    def __init__(self, error: errors.DomainError, template: str, **context: Any) -> None:
        super().__init__(error.message, details=error.details)
        self.code, self.status = error.code, error.status
        self.template, self.context = template, context


def render(name: str, *, status: int = 200, console: sessions.Console | None = None,
           headers: dict[str, str] | None = None, **context: Any) -> HTTPResponse:
    """A page (or an htmx fragment) from its template, with the console's security headers."""
    body = templates.get_template(name).render(
        console=console, menu=menu_for(console) if console else [], csrf=console.csrf if console else "",
        now=clock.local_now(), **context)
    return HTTPResponse(body, status=status, content_type="text/html; charset=utf-8",
                        headers={**PAGE_HEADERS, **(headers or {})})


def secure_cookies() -> bool:
    return config.current().public_base_url.startswith("https://")


def set_cookie(response: HTTPResponse, name: str, value: str, *, max_age: int | None = None) -> None:
    response.add_cookie(name, value, path="/console", httponly=True, secure=secure_cookies(), samesite="Strict",
                        max_age=max_age)


def clear_cookie(response: HTTPResponse, name: str) -> None:
    response.add_cookie(name, "", path="/console", httponly=True, secure=secure_cookies(), samesite="Strict",
                        max_age=0)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def to_login(request: Request, *, expired: bool) -> HTTPResponse:
    target = f"/console/login?next={quote(request.path)}" + ("&expired=1" if expired else "")
    if is_htmx(request):  # an htmx request follows HX-Redirect with a whole-page load
        response = HTTPResponse(status=204, headers={"HX-Redirect": target})
    else:
        response = redirect(target, status=303)
    if expired:
        clear_cookie(response, COOKIE)
    return response


PENDING_PAGES = {"password_change_required": "/console/password", "otp_enrolment_required": "/console/otp"}


def page(*roles: str, pending_ok: bool = False, max_body: int | None = None) -> Callable[[Handler], Handler]:
    """Guard a console route: a live, fully logged-in session of one of ``roles`` (admins hold all),
    and on every POST the session's CSRF token. The handler gets the session as ``console``.

    An account with a step to take first (a first or expired password, a second factor its role
    requires: ``auth.pending_step``) reaches only the pages marked ``pending_ok``; others send it there.

    Every POST goes to the operation log (server/audit.py) as ``console.<module>.<handler>``, with the
    form it sent and its result, refusals included, exactly as API writes do.

    ``max_body`` gives an upload form its own body limit instead of ``BIANMIN_MAX_BODY_BYTES`` (its route is
    registered with ``stream=True``); the body is read only once the session is known."""
    def wrap(handler: Handler) -> Handler:
        action = f"console.{handler.__module__.rsplit('.', 1)[-1]}.{handler.__name__}"

        @wraps(handler)
        async def run(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            token = request.cookies.get(COOKIE)
            console = await sessions.resolve(token)
            if console is None or console.stage != sessions.ACTIVE:
                return to_login(request, expired=bool(token) and console is None)
            request.ctx.user = console.user
            if max_body is not None:
                await receive_body(request, max_body)
            pending = console.user.pending
            if pending and not pending_ok and request.method in ("GET", "HEAD"):
                return redirect(PENDING_PAGES.get(pending, "/console/password"), status=303)

            async def checked() -> HTTPResponse:
                if request.method not in ("GET", "HEAD") and not sessions.same(posted_csrf(request), console.csrf):
                    raise CsrfRefused()
                if roles and not console.user.has_role(*roles):
                    raise Forbidden("无权访问该页面")
                if pending and not pending_ok:
                    raise auth.PENDING_ERRORS[pending]()
                return await handler(request, *args, console=console, **kwargs)

            return await audit.watch(request, console.user, checked, action=action, sent=lambda: PostedForm(request),
                                     path_params=dict(kwargs))
        run.__bianmin_max_body__ = max_body  # type: ignore[attr-defined] # read by server.api.body_limit
        return run
    return wrap


class PostedForm:
    """What a console form sent, as the operation log records it: without the CSRF token; passwords
    and other secrets are starred by the log itself (their field names say what they are)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def model_dump(self, **_: Any) -> dict[str, Any] | None:
        form = self.request.form if self.request.method not in ("GET", "HEAD") else None
        sent: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in (form or {}).items() if k != "csrf"}
        for name, files in (self.request.files or {}).items():
            sent[name] = [f.name for f in files]
        return sent or None


def posted_csrf(request: Request) -> str | None:
    """The token a form (field ``csrf``) or an htmx request (header ``X-CSRF-Token``) sent."""
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    form = request.form if request.content_type.startswith(("application/x-www-form-urlencoded",
                                                             "multipart/form-data")) else None
    return form.get("csrf") if form else None


def in_hall(console: sessions.Console, hall_id: int) -> None:
    """A clerk's pages are for their own halls: another hall's page answers 403."""
    if not console.user.can_serve(hall_id):
        raise Forbidden("无权查看该服务大厅", details={"hall_id": hall_id})


def field(request: Request, name: str, default: str = "") -> str:
    value = request.form.get(name) if request.form else None
    return (value if value is not None else default).strip()


def install_error_pages(bp: Blueprint) -> None:
    """Errors on this blueprint's routes answer as pages (or fragments) in Chinese, never as JSON."""
    @bp.exception(errors.DomainError, sanic_errors.NotFound, sanic_errors.MethodNotAllowed)
    async def error_page(request: Request, exc: Exception) -> HTTPResponse:
        error = exc if isinstance(exc, errors.DomainError) else (
            errors.NotFound() if isinstance(exc, sanic_errors.NotFound) else errors.MethodNotAllowed())
        console = await sessions.resolve(request.cookies.get(COOKIE))
        if isinstance(error, Redisplay):
            return render(error.template, status=error.status, console=console, error=error, **error.context)
        template = "fragments/error.html" if is_htmx(request) else "error.html"
        return render(template, status=error.status, console=console, error=error)


def parse(model: type[Model], data: dict[str, Any], *, location: str = "body") -> Model:
    """A form or query parsed by the API's own schema: the same limits, the same 422 (as a page)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, location=location) from None
