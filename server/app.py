"""The app factory: blueprints, listeners, middleware and error rendering. No domain code."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import secrets
import time

from functools import partial
from inspect import isawaitable
from typing import Any

from sanic import HTTPResponse, Request, Sanic
from sanic import exceptions as sanic_errors
from sanic.response import empty

from server import audit, config, errors, logs, registry, stamps, storage, validation, wechat
from server.api import body_limit, json_response
from server.config import Settings

log = logging.getLogger("bianmin.app")
access_log = logging.getLogger("bianmin.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
CORS_HEADERS = "authorization, content-type, idempotency-key, x-request-id"
CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

# HTML pages (the reading page /d/{id}, error pages) load nothing but our own images and their inline
# style; a page that needs more (/docs) sends its own policy, which this default never overrides.
PAGE_SECURITY = {
    "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}

SANIC_ERRORS: dict[type[Exception], type[errors.DomainError]] = {
    sanic_errors.NotFound: errors.NotFound,
    sanic_errors.MethodNotAllowed: errors.MethodNotAllowed,
    sanic_errors.PayloadTooLarge: errors.PayloadTooLarge,
}


def create_app(settings: Settings | None = None, *, own_storage: bool = True, name: str = "bianmin") -> Sanic:
    """Assemble the server. With ``own_storage=False`` the caller has opened storage (tests)."""
    settings = config.install(settings or config.current())
    # Sanic's own log handlers would print every line a second time beside ours (server/logs.py).
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = settings.max_body_bytes
    app.config.ACCESS_LOG = False
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.KEEP_ALIVE_TIMEOUT = 75
    app.config.AUTO_EXTEND = False  # no sanic-ext: CORS, HEAD and OPTIONS are ours (_cors, _add_head_and_options)
    app.ctx.settings = settings
    # Path ids wider than an id column match no route (404) instead of failing in the database.
    app.router.register_pattern("int", validation.path_int, r"^-?\d+$")
    for _domain, blueprint in registry.each("blueprints"):
        app.blueprint(blueprint)
    _add_head_and_options(app)
    _install_middleware(app)
    _install_errors(app)
    _install_listeners(app, settings, own_storage=own_storage)
    return app


async def _head(request: Request, *args: Any, get: Any, **kwargs: Any) -> HTTPResponse:
    response = get(request, *args, **kwargs)
    return await response if isawaitable(response) else response  # Sanic sends a HEAD answer's headers only


async def _options(request: Request, *args: Any, allow: str, **kwargs: Any) -> HTTPResponse:
    return empty(headers={"allow": allow})  # _cors turns it into a preflight answer


def _add_head_and_options(app: Sanic) -> None:
    """HEAD for every GET route and OPTIONS for every path (CORS preflights), added while the app is
    assembled. sanic-ext's automatic handlers add the same ~400 routes after the router is finalised,
    re-rendering it for each one: 80 % of a worker's start-up (8 s quiet, over Sanic's 30 s start-up
    limit under load)."""
    for group in list(app.router.groups.values()):
        extra = {"strict_slashes": group.strict, "unquote": group.unquote}
        if "GET" in group.methods and "HEAD" not in group.methods:
            for route in group:
                if "GET" in route.methods:
                    app.add_route(partial(_head, get=route.handler), group.uri, methods=["HEAD"],
                                  name=f"{route.name}_head", **extra)
        if "OPTIONS" not in group.methods:
            allow = ",".join(sorted({*group.methods, "OPTIONS", *(["HEAD"] if "GET" in group.methods else [])}))
            app.add_route(partial(_options, allow=allow), group.uri, methods=["OPTIONS"],
                          name=f"{group[0].name}_options", **extra)


def _install_middleware(app: Sanic) -> None:
    ids = itertools.count()
    prefix = secrets.token_hex(8)  # per process: ids stay unique across workers without a syscall per request

    @app.on_request(priority=100)
    async def start(request: Request) -> None:
        given = request.headers.get("x-request-id")
        request.ctx.request_id = given if given and REQUEST_ID.match(given) else f"{prefix}{next(ids):016x}"
        request.ctx.started = time.perf_counter()
        logs.request_id.set(request.ctx.request_id)
        audit.bind_request(request)
        # Sanic's own server enforces REQUEST_MAX_SIZE while reading; ASGI servers do not. A route with
        # its own limit (streamed, see server/api.py) reads its body later, under that limit.
        declared = request.headers.get("content-length")
        if declared or request.body:  # most requests (GET) carry nothing to check
            limit = body_limit(request)
            if (declared and declared.isdigit() and int(declared) > limit) or len(request.body or b"") > limit:
                raise errors.PayloadTooLarge(details={"limit_bytes": limit})

    @app.on_response(priority=100)
    async def finish(request: Request, response: HTTPResponse) -> None:
        request_id = getattr(request.ctx, "request_id", None) or f"{prefix}-error"
        response.headers["X-Request-ID"] = request_id
        _cors(request, response)
        _security_headers(response)
        if "authorization" in request.headers and "cache-control" not in response.headers:
            response.headers["cache-control"] = "private, no-store"  # a signed-in answer stays on the phone
        started = getattr(request.ctx, "started", None)
        user = getattr(request.ctx, "user", None)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info("access", extra={"access": {
                "request_id": request_id, "method": request.method, "path": request.path,
                "route": request.route.path if request.route else None, "status": response.status,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "user_id": user.id if user else None}})


def _cors(request: Request, response: HTTPResponse) -> None:
    """Any origin may read any answer (open data, and an API authorised by bearer tokens, never
    cookies), so every response says ``*`` and preflights allow every method a route has."""
    response.headers["access-control-allow-origin"] = "*"
    if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
        response.headers["access-control-allow-methods"] = response.headers.get("allow") or CORS_METHODS
        response.headers["access-control-allow-headers"] = CORS_HEADERS
        response.headers["access-control-max-age"] = "600"


def _security_headers(response: HTTPResponse) -> None:
    """Every answer is what its content type says (no sniffing); pages also get PAGE_SECURITY."""
    response.headers["x-content-type-options"] = "nosniff"
    if (response.content_type or "").startswith("text/html"):
        for name, value in PAGE_SECURITY.items():
            if name not in response.headers:
                response.headers[name] = value


def _install_errors(app: Sanic) -> None:
    @app.exception(Exception)
    async def render_error(request: Request, exc: Exception) -> HTTPResponse:
        if isinstance(exc, errors.DomainError):
            error = exc
        elif type(exc) in SANIC_ERRORS:
            error = SANIC_ERRORS[type(exc)]()
        elif isinstance(exc, sanic_errors.SanicException) and 400 <= (exc.status_code or 500) < 500:
            error = errors.BadRequest(details={"reason": str(exc)})
            error.status = exc.status_code
        elif storage.connection_lost(exc):
            log.warning("database connection lost on %s %s: %s", request.method, request.path, type(exc).__name__,
                        extra={"request_id": getattr(request.ctx, "request_id", None)})
            error = errors.DatabaseUnavailable()
        else:
            log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc,
                      extra={"request_id": getattr(request.ctx, "request_id", None)})
            error = errors.InternalError(details={"request_id": getattr(request.ctx, "request_id", None)})
        return json_response(error.body(), status=error.status, headers=dict(error.headers))


def _install_listeners(app: Sanic, settings: Settings, *, own_storage: bool) -> None:
    @app.before_server_start
    async def open_resources(app: Sanic) -> None:
        logs.setup(settings.log_level)
        if own_storage:
            await storage.open_storage(settings)
        wechat.install(wechat.WeChat(settings=settings, storage=storage.current()))
        for _domain, startup in registry.each("startup"):
            await startup()
        app.ctx.log_flush_stop = asyncio.Event()
        app.ctx.log_flush_task = asyncio.create_task(logs.flush_periodically(app.ctx.log_flush_stop))
        # Every worker follows the change stamps, so its copies (the map, the gazette, the
        # calendar, sessions) follow writes made by any process, without waiting for a request.
        app.ctx.stamps_stop = asyncio.Event()
        app.ctx.stamps_task = asyncio.create_task(stamps.watch(app.ctx.stamps_stop)) if own_storage else None
        app.ctx.worker_stop = None
        if settings.run_worker and own_storage:
            from server import worker

            app.ctx.worker_stop = asyncio.Event()
            app.ctx.worker_task = asyncio.create_task(worker.run(app.ctx.worker_stop))

    @app.after_server_start
    async def start_background(app: Sanic) -> None:
        # After the worker told its supervisor it is ready (Sanic stops workers silent for 30 s):
        # long builds (the map's snapshot) must not compete with the start-up for the CPU.
        for _domain, started in registry.each("started"):
            await started()

    @app.before_server_stop
    async def close_resources(app: Sanic) -> None:
        app.ctx.log_flush_stop.set()
        await app.ctx.log_flush_task
        app.ctx.stamps_stop.set()
        if app.ctx.stamps_task is not None:
            await app.ctx.stamps_task
        if getattr(app.ctx, "worker_stop", None) is not None:
            app.ctx.worker_stop.set()
            await app.ctx.worker_task
        if own_storage:
            await storage.close_storage()
