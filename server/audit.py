"""操作日志 and 登录日志: who changed or revealed what, and who tried to log in.

What the console and the services call (all async unless noted):

- ``record_operation(actor=, action=, target=, before=, after=, ip=, route=, method=, status=, result=,
  kind="write")``: one entry in the operation log (the console's own form posts, which do not pass
  through ``@endpoint``). ``before``/``after`` are masked here; pass plain values.
- ``record_login(username=, user_id=, result=, ip=, user_agent=)``: one entry in the login log.
- ``note(target=, before=, after=, action=)`` (sync): inside a request, lets a service describe the
  change it makes (the endpoint only knows the request body); outside a request it does nothing.
- ``changed(target=, before=, after=)`` (sync): the one way services describe a write: only the fields
  whose values differ are kept (``before=None`` for something created, ``after=None`` for something
  removed); build both sides with ``fields(row_or_dict, names)``, which gives JSON-plain values.
- ``note_reveal(target=, fields=, reason=)`` (sync): marks this request as revealing personal data;
  the entry is written as ``kind="reveal"`` even for a GET.
- ``search_operations(...)``, ``search_logins(...)``: newest first, keyset pages (see audit_query.py).
- ``verify()``: every break in both chains (``bianmin audit verify``); ``purge()``: the retention job.

Every write through ``@endpoint`` (POST, PUT, PATCH, DELETE) by staff, an editor or an admin is
recorded by :func:`watch`, successful or not, with the route, the business action (the handler's
domain and name), the target (the path parameters), the fields sent (masked) and the result.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sanic import HTTPResponse, Request

from server import audit_chain, clock, config, errors, pii, ratelimit
from server.auth import CurrentUser
from server.config import STAFF_ROLES

log = logging.getLogger("bianmin.audit")
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
SECRET_KEYS = ("password", "otp", "secret", "token", "recovery")
NAME_KEYS = ("person_name", "real_name", "contact_name", "applicant_name", "resident_name", "legal_person")
PHONE_KEYS = ("phone", "mobile", "contact_phone")
ID_KEYS = ("id_number", "id_card", "idcard")
CREDIT_KEYS = ("credit_code",)
MAX_TEXT = 200
MAX_ITEMS = 50


@dataclass
class Note:
    """What a service adds about the change a request makes (see :func:`note`)."""

    action: str | None = None
    target: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reveal: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None]] = field(default_factory=dict)

    def described(self) -> tuple[str | None, dict[str, Any] | None, dict[str, Any] | None]:
        """Target, before and after: one changed thing flat, several keyed by their targets."""
        if not self.changes:
            return self.target, self.before, self.after
        if len(self.changes) == 1:
            (target, (before, after)), = self.changes.items()
        else:
            target = "; ".join(self.changes)
            before = {t: b for t, (b, _) in self.changes.items() if b is not None} or None
            after = {t: a for t, (_, a) in self.changes.items() if a is not None} or None
        merge = (lambda mine, noted: {**(noted or {}), **(mine or {})} if (mine or noted) else None)
        return self.target or target, merge(before, self.before), merge(after, self.after)


_note: contextvars.ContextVar[Note | None] = contextvars.ContextVar("audit_note", default=None)
_request: contextvars.ContextVar[Request | None] = contextvars.ContextVar("audit_request", default=None)


def bind_request(request: Request) -> None:
    """Remember the request being served (app middleware), so entries carry its IP and user agent."""
    _request.set(request)


def note(*, target: str | None = None, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
         action: str | None = None) -> None:
    """Describe the change this request makes: the business target and the changed fields before/after."""
    current = _note.get()
    if current is None:
        return
    current.target = target or current.target
    current.action = action or current.action
    if before is not None:
        current.before = {**(current.before or {}), **before}
    if after is not None:
        current.after = {**(current.after or {}), **after}


def fields(source: Any, names: Iterable[str]) -> dict[str, Any]:
    """The values of ``names`` on a row (attributes) or a mapping, JSON-plain (dates as ISO text)."""
    get = source.get if isinstance(source, Mapping) else (lambda name: getattr(source, name, None))
    return {name: _plain(get(name)) for name in names}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)]
    return value


def changed(*, target: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
            action: str | None = None) -> None:
    """A service's write, for the operation log: ``target`` and the fields that differ, before and after."""
    current = _note.get()
    if current is None:
        return
    old, new = dict(before or {}), dict(after or {})
    keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
    was, now = current.changes.get(target, (None, None))
    if before is not None:
        was = {**{k: old.get(k) for k in keys}, **(was or {})}  # the first "before" of a field stays
    if after is not None:
        now = {**(now or {}), **{k: new.get(k) for k in keys}}
    current.changes[target] = (was, now)
    current.action = action or current.action


def note_reveal(*, target: str, fields: list[str], reason: str) -> None:
    """This request shows ``fields`` of ``target`` unmasked, for ``reason``: it is logged as a reveal."""
    current = _note.get()
    if current is None:
        return
    current.target = target
    current.reveal = {"fields": list(fields), "reason": reason}


# --- masking ------------------------------------------------------------------------------------

def _mask_scalar(key: str, value: Any) -> Any:
    name = key.lower()
    if any(word in name for word in SECRET_KEYS) and not name.endswith("_at") and not isinstance(value, bool):
        return "***" if value not in (None, "") else value  # a flag or a time (must_change_password) is no secret
    if not isinstance(value, str):
        return value
    if any(word in name for word in ID_KEYS):
        return pii.mask_id_number(value)
    if any(word in name for word in CREDIT_KEYS):
        return pii.mask_credit_code(value)
    if any(word in name for word in PHONE_KEYS):
        return pii.mask_phone(value)
    if any(word in name for word in NAME_KEYS):
        return pii.mask_name(value)
    text = pii.mask_text(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def mask_fields(value: Any, key: str = "", depth: int = 0) -> Any:
    """A copy of ``value`` fit for the log: secrets starred, 身份证/phones/names masked, long text cut."""
    if isinstance(value, dict):
        if depth >= 4:
            return "…"
        return {str(k): mask_fields(v, str(k), depth + 1) for k, v in list(value.items())[:MAX_ITEMS]}
    if isinstance(value, (list, tuple)):
        if depth >= 4:
            return "…"
        return [mask_fields(v, key, depth + 1) for v in list(value)[:MAX_ITEMS]]
    return _mask_scalar(key, value)


# --- recording ----------------------------------------------------------------------------------

async def record_operation(*, actor: CurrentUser | None, action: str, target: str = "", kind: str = "write",
                           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                           ip: str | None = None, route: str = "", method: str = "", status: int = 200,
                           result: str = "ok") -> None:
    """Append one entry to the operation log (personal data in before/after masked here); the IP is
    the current request's unless given."""
    request = _request.get()
    if ip is None:
        ip = client_ip(request) if request is not None else ""
    await audit_chain.append("operations", {
        "created_at": clock.now(), "kind": kind, "actor_id": actor.id if actor else None,
        "actor_role": actor.role if actor else "", "actor_halls": list(actor.halls) if actor else [],
        "method": method[:8], "route": route[:200], "action": action[:120], "target": target[:200],
        "before": mask_fields(before) if before is not None else None,
        "after": mask_fields(after) if after is not None else None,
        "ip": ip[:64], "status": status, "result": result[:64]})


async def record_login(*, username: str, user_id: int | None, result: str, ip: str | None = None,
                       user_agent: str | None = None) -> None:
    """Append one login attempt to the login log (IP and user agent: the current request's unless given)."""
    request = _request.get()
    if ip is None:
        ip = client_ip(request) if request is not None else ""
    if user_agent is None:
        user_agent = _agent_of(request) if request is not None else ""
    await audit_chain.append("logins", {
        "created_at": clock.now(), "username": username.strip().lower()[:64], "user_id": user_id,
        "result": result[:64], "ip": ip[:64], "user_agent": user_agent[:256]})


def client_ip(request: Request) -> str:
    """The caller's address: X-Forwarded-For only from BIANMIN_TRUSTED_PROXIES (as the rate limits count it)."""
    return ratelimit.client_ip(request)


def user_agent(request: Request) -> str:
    return request.headers.get("user-agent") or ""


_agent_of = user_agent  # record_login's parameter of the same name hides the function


# --- the endpoint hook --------------------------------------------------------------------------

def _target(path_params: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in path_params.items())


async def watch(request: Request, user: CurrentUser, call: Callable[[], Awaitable[HTTPResponse]], *,
                action: str, sent: Callable[[], Any], path_params: dict[str, Any]) -> HTTPResponse:
    """Run an endpoint for ``user``; record it if it is a staff write or a reveal (see module docstring)."""
    if user.role not in STAFF_ROLES:
        return await call()
    current = Note()
    token = _note.set(current)
    status, result = 500, "internal_error"
    try:
        response = await call()
        status, result = response.status, "ok"
        return response
    except errors.DomainError as exc:
        status, result = exc.status, exc.code
        raise
    finally:
        _note.reset(token)
        if request.method in WRITE_METHODS or current.reveal is not None:
            await _record_request(request, user, current, action=action, body=sent(), path_params=path_params,
                                  status=status, result=result)


async def _record_request(request: Request, user: CurrentUser, current: Note, *, action: str, body: Any,
                          path_params: dict[str, Any], status: int, result: str) -> None:
    sent = body.model_dump(mode="json", exclude_unset=True) if hasattr(body, "model_dump") else None
    target, before, changed_after = current.described()
    after = {**(sent or {}), **(changed_after or {})} if (sent or changed_after) else None
    if current.reveal is not None:
        after = {**(after or {}), **current.reveal}
    try:
        await record_operation(
            actor=user, action=current.action or action, target=target or _target(path_params),
            kind="reveal" if current.reveal is not None else "write", before=before, after=after,
            ip=client_ip(request), route="/" + (request.route.path if request.route else request.path).lstrip("/"),
            method=request.method, status=status, result=result)
    except Exception:  # the write has happened; losing its record must be loud, not a 500
        log.exception("operation log entry not written", extra={"action": action, "user_id": user.id})


# --- checks and retention -----------------------------------------------------------------------

async def verify() -> list[audit_chain.Problem]:
    """Every break in the operation and login logs' chains (empty when both are intact)."""
    return [problem for name in audit_chain.LOGS for problem in await audit_chain.verify(name)]


async def purge() -> dict[str, int]:
    """The daily retention job: entries older than BIANMIN_AUDIT_RETENTION_DAYS go; the chain start is sealed."""
    days = config.current().audit_retention_days
    removed = {name: await audit_chain.purge(name, retention_days=days) for name in audit_chain.LOGS}
    if any(removed.values()):
        await record_operation(actor=None, action="audit.purge", kind="purge",
                               after={**removed, "retention_days": days})
    return removed
