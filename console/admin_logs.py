"""The administrators' log pages: 操作日志 and 登录日志, searchable, keyset paged, exportable, chain checked.

Filters are parsed by the admin API's own query schemas (server/audit_views.py) and the rows come from
server/audit_query.py, so the page, the JSON API and the CSV export can never disagree on a rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, Field
from sanic import Blueprint, HTTPResponse, Request

from console import sessions
from console.pages import install_error_pages, page, parse, render
from server import audit, audit_query, clock
from server.audit_views import LoginQuery, OperationQuery

bp = Blueprint("console_admin_logs", url_prefix="/console/admin")
install_error_pages(bp)
ADMIN = "admin"
PAGE_SIZE = 50
Console = sessions.Console


class DateRange(BaseModel):
    """The dates a person picks (Asia/Shanghai days, both inclusive)."""

    first: dt.date | None = Field(default=None, alias="from")
    last: dt.date | None = Field(default=None, alias="to")

    def window(self) -> dict[str, dt.datetime | None]:
        zone = clock.local_now().tzinfo

        def start(day: dt.date | None) -> dt.datetime | None:
            return dt.datetime.combine(day, dt.time.min, tzinfo=zone) if day else None
        return {"since": start(self.first), "until": start(self.last + dt.timedelta(days=1) if self.last else None)}


def _args(request: Request, *names: str) -> dict[str, str]:
    """The filled-in filters of a GET form (empty boxes are no filter)."""
    return {name: value.strip() for name in names if (value := (request.args.get(name) or "").strip())}


def _operation_query(request: Request) -> tuple[OperationQuery, dict[str, str]]:
    sent = _args(request, "who", "action", "result", "kind", "from", "to", "cursor")
    days = parse(DateRange, sent, location="query").window()
    who = sent.get("who", "")
    query = parse(OperationQuery, {"actor_id": who or None, "action": sent.get("action"), "kind": sent.get("kind"),
                                   "result": sent.get("result"), "cursor": sent.get("cursor"), **days,
                                   "limit": PAGE_SIZE}, location="query")
    return query, sent


def _login_query(request: Request) -> tuple[LoginQuery, dict[str, str]]:
    sent = _args(request, "who", "result", "ip", "from", "to", "cursor")
    days = parse(DateRange, sent, location="query").window()
    query = parse(LoginQuery, {"username": sent.get("who"), "result": sent.get("result"), "ip": sent.get("ip"),
                               "cursor": sent.get("cursor"), **days, "limit": PAGE_SIZE}, location="query")
    return query, sent


def _operations(query: OperationQuery) -> Any:
    return audit_query.operations(actor_id=query.actor_id, action=query.action, kind=query.kind, result=query.result,
                                  since=query.since, until=query.until)


def _logins(query: LoginQuery) -> Any:
    return audit_query.logins(username=query.username, result=query.result, ip=query.ip, since=query.since,
                              until=query.until)


def _links(sent: dict[str, str], next_cursor: str | None) -> dict[str, str]:
    filters = {k: v for k, v in sent.items() if k != "cursor"}
    return {"filters": urlencode(filters), "next": urlencode({**filters, "cursor": next_cursor}) if next_cursor else ""}


def _csv(name: str, body: bytes) -> HTTPResponse:
    stamp = clock.local_now().strftime("%Y%m%d-%H%M")
    return HTTPResponse(body, content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"',
                                 "Cache-Control": "no-store"})


@bp.get("/audit")
@page(ADMIN)
async def operation_log(request: Request, *, console: Console) -> HTTPResponse:
    query, sent = _operation_query(request)
    found = await audit_query.page(_operations(query), audit_query.OPERATION_COLUMNS, cursor=query.cursor,
                                   limit=query.limit)
    return render("admin/operations.html", console=console, tab="audit", rows=found["items"], sent=sent,
                  links=_links(sent, found["next_cursor"]))


@bp.get("/audit.csv")
@page(ADMIN)
async def operation_log_csv(request: Request, *, console: Console) -> HTTPResponse:
    query, _ = _operation_query(request)
    body = await audit_query.export_csv(_operations(query), audit_query.OPERATION_COLUMNS,
                                        audit_query.OPERATION_HEADER)
    return _csv("operations", body)


@bp.get("/logins")
@page(ADMIN)
async def login_log(request: Request, *, console: Console) -> HTTPResponse:
    query, sent = _login_query(request)
    found = await audit_query.page(_logins(query), audit_query.LOGIN_COLUMNS, cursor=query.cursor,
                                   limit=query.limit)
    return render("admin/logins.html", console=console, tab="logins", rows=found["items"], sent=sent,
                  links=_links(sent, found["next_cursor"]))


@bp.get("/logins.csv")
@page(ADMIN)
async def login_log_csv(request: Request, *, console: Console) -> HTTPResponse:
    query, _ = _login_query(request)
    body = await audit_query.export_csv(_logins(query), audit_query.LOGIN_COLUMNS, audit_query.LOGIN_HEADER)
    return _csv("logins", body)


@bp.get("/audit/verify")
@page(ADMIN)
async def verify_chain(request: Request, *, console: Console) -> HTTPResponse:
    """Walk both logs' hash chains now (as `bianmin audit verify` does) and show every break found."""
    problems = await audit.verify()
    return render("admin/verify.html", console=console, tab="verify", problems=[p.zh() for p in problems],
                  checked_at=clock.local_now())
