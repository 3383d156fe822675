"""Admin endpoints for the operation log and the login log (/api/v1/admin/audit, /api/v1/admin/logins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field
from sanic import Blueprint, HTTPResponse, Request

from server import audit_query, auth, paging
from server.api import endpoint

bp = Blueprint("audit", url_prefix="/api/v1/admin")
TAGS = ["audit"]
ADMIN = "admin"


class _Window(BaseModel):
    since: AwareDatetime | None = Field(default=None, description="from this instant (inclusive), with its offset")
    until: AwareDatetime | None = Field(default=None, description="before this instant, with its offset")
    cursor: str | None = Field(default=None, max_length=512, description="next_cursor of the previous page")
    limit: int = Field(default=50, ge=1, le=500)
    format: Literal["json", "csv"] = Field("json", description="csv: the newest 10,000 matches, for Excel")


class OperationQuery(_Window):
    actor_id: int | None = Field(default=None, ge=1)
    action: str | None = Field(default=None, max_length=120, description="business action, prefix match")
    target: str | None = Field(default=None, max_length=200, description="exact target, e.g. poi_id=12")
    kind: Literal["write", "reveal", "purge"] | None = None
    result: str | None = Field(default=None, max_length=64, description="ok, or an error code")


class LoginQuery(_Window):
    username: str | None = Field(default=None, max_length=64)
    user_id: int | None = Field(default=None, ge=1)
    result: str | None = Field(default=None, max_length=64, description="ok, or an error code")
    ip: str | None = Field(default=None, max_length=64)


class OperationEntry(BaseModel):
    id: int
    created_at: datetime
    kind: str
    actor_id: int | None
    actor_role: str
    actor_halls: list[int]
    method: str
    route: str
    action: str
    target: str
    before: dict[str, Any] | None = Field(description="changed fields before, personal data masked")
    after: dict[str, Any] | None = Field(description="fields sent or changed, personal data masked")
    ip: str
    status: int
    result: str


class LoginEntry(BaseModel):
    id: int
    created_at: datetime
    username: str
    user_id: int | None
    result: str
    ip: str
    user_agent: str


class OperationPage(BaseModel):
    items: list[OperationEntry]
    next_cursor: str | None


class LoginPage(BaseModel):
    items: list[LoginEntry]
    next_cursor: str | None


def _csv(name: str, body: bytes) -> HTTPResponse:
    return HTTPResponse(body, content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"',
                                 "Cache-Control": "no-store"})


@bp.get("/audit")
@endpoint("The operation log (操作日志), newest first: JSON pages or ?format=csv", tags=TAGS, query=OperationQuery,
          response=OperationPage, auth_roles=ADMIN, raises=[paging.InvalidCursor], also_serves=("text/csv",))
async def operations(request: Request, *, query: OperationQuery, user: auth.CurrentUser):
    qs = audit_query.operations(actor_id=query.actor_id, action=query.action, target=query.target, kind=query.kind,
                                result=query.result, since=query.since, until=query.until)
    if query.format == "csv":
        body = await audit_query.export_csv(qs, audit_query.OPERATION_COLUMNS, audit_query.OPERATION_HEADER)
        return _csv("operations", body)
    return await audit_query.page(qs, audit_query.OPERATION_COLUMNS, cursor=query.cursor, limit=query.limit)


@bp.get("/logins")
@endpoint("The login log (登录日志), newest first: JSON pages or ?format=csv", tags=TAGS, query=LoginQuery,
          response=LoginPage, auth_roles=ADMIN, raises=[paging.InvalidCursor], also_serves=("text/csv",))
async def logins(request: Request, *, query: LoginQuery, user: auth.CurrentUser):
    qs = audit_query.logins(username=query.username, user_id=query.user_id, result=query.result, ip=query.ip,
                            since=query.since, until=query.until)
    if query.format == "csv":
        return _csv("logins", await audit_query.export_csv(qs, audit_query.LOGIN_COLUMNS, audit_query.LOGIN_HEADER))
    return await audit_query.page(qs, audit_query.LOGIN_COLUMNS, cursor=query.cursor, limit=query.limit)
