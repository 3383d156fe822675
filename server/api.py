"""The ``@endpoint`` decorator: parse at the edge, render one way, describe for OpenAPI.

A view declares its query, body and response models; the decorator parses the query string
and JSON body with pydantic (422 with per-field details, also for what storage cannot hold: see
server/validation.py; 400 for a body that is not JSON, 415 for one not declared JSON), checks
the caller's role, calls the handler, and validates and renders what it returns. Writes by staff,
editors and admins are recorded in the operation log (server/audit.py).
The same declaration feeds ``/openapi.json``.
"""

from __future__ import annotations

import hashlib
import re
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter, ValidationError
from sanic import HTTPResponse, Request

from server import audit, auth, errors, ratelimit, validation
from server.schemas import Versioned
from server.validation import validation_error

Handler = Callable[..., Awaitable[Any]]
ANY_USER = "user"


@dataclass(frozen=True)
class EndpointSpec:
    summary: str
    tags: tuple[str, ...]
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: Any
    status: int
    roles: tuple[str, ...] | None  # None: public; ("user",): any logged-in account
    errors: tuple[type[errors.DomainError], ...]
    content_type: str
    description: str
    etag: bool
    check_response: bool
    max_body: int | None = None  # this route's own body limit (its route must be registered with stream=True)
    also_serves: tuple[str, ...] = ()  # other content types a success may carry (a CSV export), documented as text
    limits: tuple[str, ...] = ()  # rate limits counted before the handler runs (server/ratelimit.py)


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def json_response(value: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> HTTPResponse:
    return HTTPResponse(dumps(value), status=status, headers=headers, content_type="application/json")


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return origin in (list, tuple, set, frozenset)


_query_fields: dict[type[BaseModel], dict[str, bool]] = {}


def _fields_of(model: type[BaseModel]) -> dict[str, bool]:
    """{query key: takes a list} for a query model, computed once."""
    fields = _query_fields.get(model)
    if fields is None:
        fields = _query_fields[model] = {
            info.alias or name: _is_list(info.annotation) for name, info in model.model_fields.items()}
    return fields


def query_values(request: Request) -> dict[str, list[str]]:
    """The query string as ``{key: [values]}``, exactly as ``request.args`` (``parse_qs``) has it.

    Without percent-escapes or ``+`` there is nothing to decode, and splitting on ``&`` and the
    first ``=`` (dropping blank values, as ``parse_qs`` does) is a third of its cost: the map's
    hot reads are such plain ``lat=..&lon=..`` strings.
    """
    text = request.query_string
    if "%" in text or "+" in text:
        return request.args
    found: dict[str, list[str]] = {}
    for part in text.split("&"):
        key, _, value = part.partition("=")
        if value:
            found.setdefault(key, []).append(value)
    return found


# What a query string needs for :func:`validation.check` to find anything: an escape (``%00``), a number
# too long for an id, or a float that is not finite. Plain map queries skip the walk.
_SUSPECT_QUERY = re.compile(r"%|\d{10}|nan|inf|e\d{3}", re.IGNORECASE)


def parse_query(request: Request, model: type[BaseModel]) -> BaseModel:
    """Parse the query string into ``model``; list fields take every repeated value, others the last."""
    fields = _fields_of(model)
    data = {key: values if fields[key] else values[-1] for key, values in query_values(request).items()
            if key in fields}
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, location="query") from None
    if _SUSPECT_QUERY.search(request.query_string):
        validation.check(parsed, location="query")
    return parsed


def body_limit(request: Request) -> int:
    """The request body limit of the route a request went to: its own ``max_body`` or the app's."""
    handler = request.route.handler if request.route else None
    spec = getattr(handler, "__bianmin_endpoint__", None)
    own = spec.max_body if spec is not None else getattr(handler, "__bianmin_max_body__", None)
    return own if own is not None else request.app.config.REQUEST_MAX_SIZE


async def receive_body(request: Request, limit: int) -> None:
    """Read a streamed route's body, at most ``limit`` bytes (413 beyond)."""
    stream = request.stream
    if stream is not None and hasattr(stream, "request_max_size"):
        stream.request_max_size = limit  # Sanic's own server enforces it while reading
    await request.receive_body()
    if len(request.body or b"") > limit:  # ASGI servers do not
        raise errors.PayloadTooLarge(details={"limit_bytes": limit})


def is_json(content_type: str | None) -> bool:
    """``application/json`` or a ``+json`` type, parameters (``; charset=utf-8``) aside."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def parse_body(request: Request, model: type[BaseModel]) -> BaseModel:
    """Parse the JSON body into ``model``: 415 when it is not declared JSON, 400 when it is not JSON,
    422 when fields are wrong (or hold what storage cannot: see :mod:`server.validation`)."""
    raw = request.body or b""
    if not raw.strip():
        payload: Any = {}
    elif not is_json(request.headers.get("content-type")):
        # A browser sends text/plain or a form cross-site without asking first (no CORS preflight).
        raise errors.UnsupportedMediaType(details={"expected": "application/json"})
    else:
        try:
            payload = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise errors.MalformedJSON() from None
    try:
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        raise validation_error(exc, location="body") from None
    validation.check(parsed, location="body")
    return parsed


def render(spec: EndpointSpec, request: Request, result: Any) -> HTTPResponse:
    if isinstance(result, HTTPResponse):
        return result
    version, raw = None, False
    if isinstance(result, Versioned):
        version, raw, result = result.version, result.raw, result.value
    if spec.status == 204:
        return HTTPResponse(status=204)
    if raw:
        body = result
    elif spec.response is not None and spec.check_response:
        adapter = _adapter(spec.response)
        body = dumps(adapter.dump_python(adapter.validate_python(result, from_attributes=True), mode="json"))
    elif isinstance(result, BaseModel):
        body = dumps(result.model_dump(mode="json"))
    else:
        body = dumps(result)
    if spec.etag:
        basis = body if version is None else f"{version}\x1f{request.path}?{request.query_string}".encode()
        tag = '"' + hashlib.blake2b(basis, digest_size=12).hexdigest() + '"'
        headers = {"ETag": tag, "Cache-Control": "no-cache"}
        if tag in (request.headers.get("if-none-match") or ""):
            return HTTPResponse(status=304, headers=headers)
        return HTTPResponse(body, status=spec.status, headers=headers, content_type="application/json")
    return HTTPResponse(body, status=spec.status, content_type="application/json")


_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(tp: Any) -> TypeAdapter[Any]:
    adapter = _adapters.get(tp)
    if adapter is None:
        adapter = _adapters[tp] = TypeAdapter(tp)
    return adapter


def endpoint(
    summary: str,
    *,
    tags: typing.Sequence[str] = (),
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    auth_roles: str | typing.Sequence[str] | None = None,
    raises: typing.Sequence[type[errors.DomainError]] = (),
    content_type: str = "application/json",
    description: str = "",
    etag: bool = False,
    check_response: bool = True,
    max_body: int | None = None,
    also_serves: typing.Sequence[str] = (),
    limits: str | typing.Sequence[str] = (),
    pending_ok: bool = False,
) -> Callable[[Handler], Handler]:
    """Declare a JSON API endpoint; the handler receives ``query``, ``body`` and ``user`` keywords as declared.

    ``check_response=False`` documents ``response`` in OpenAPI but skips validating each answer: for hot
    paths whose output the tests pin (the map's feature lists).

    ``max_body`` gives the route its own request body limit instead of ``BIANMIN_MAX_BODY_BYTES``
    (gazette attachments); register the route with ``stream=True`` so that the body is read here,
    under that limit, rather than by the server before the handler.

    ``also_serves`` names other content types a successful answer may have (``text/csv`` for a
    day sheet asked for with ``?format=csv``), so that the OpenAPI document describes them.

    ``limits`` names rate limits (``BIANMIN_RATE_LIMITS``) that each request counts against once its
    caller and body are known; the 429 ``rate_limited`` answer is then documented too.

    ``pending_ok=True`` lets an account with a pending step (a first password to change, a second
    factor to enrol: see ``auth.pending_step``) call the route; every other route answers it 403.
    """
    limit_names = (limits,) if isinstance(limits, str) else tuple(limits)
    unknown = [name for name in limit_names if name not in ratelimit.KEYS]
    if unknown:
        raise ValueError(f"unknown rate limit {unknown[0]!r}; known: {', '.join(ratelimit.KEYS)}")
    if limit_names:
        raises = (*raises, ratelimit.RateLimited)
    roles = (auth_roles,) if isinstance(auth_roles, str) else (tuple(auth_roles) if auth_roles else None)
    spec = EndpointSpec(summary, tuple(tags), query, body, response, status, roles, tuple(raises),
                        content_type, description, etag, check_response, max_body, tuple(also_serves),
                        limit_names)

    def decorate(handler: Handler) -> Handler:
        action = f"{handler.__module__.split('.')[0]}.{handler.__name__}"

        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            path_params = dict(kwargs)

            async def run() -> HTTPResponse:
                if max_body is not None:
                    await receive_body(request, max_body)
                if query is not None:
                    kwargs["query"] = parse_query(request, query)
                if body is not None:
                    kwargs["body"] = parse_body(request, body)
                if limit_names:
                    await ratelimit.check(limit_names, request, user=kwargs.get("user"),
                                          username=getattr(kwargs.get("body"), "username", None))
                return render(spec, request, await handler(request, *args, **kwargs))

            if roles is None:
                return await run()
            wanted = () if roles == (ANY_USER,) else roles
            user = kwargs["user"] = await auth.require(request, *wanted, pending_ok=pending_ok)
            # Staff writes and reveals go to the operation log (server/audit.py), failures included.
            return await audit.watch(request, user, run, action=action, sent=lambda: kwargs.get("body"),
                                     path_params=path_params)

        wrapper.__bianmin_endpoint__ = spec  # type: ignore[attr-defined]
        return wrapper

    return decorate
