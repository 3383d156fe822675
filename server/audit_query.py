"""Reading the operation and login logs: filters, keyset pages (newest first) and CSV export.

Pages come from server/paging.py (newest first by time then id, an opaque cursor per log); entries
are only ever appended, so a page boundary stays put while new ones arrive. CSV export takes the
same filters and at most ``MAX_EXPORT`` rows, UTF-8 with a BOM so Excel on Chinese Windows opens it.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import orjson
from tortoise.models import Model
from tortoise.queryset import QuerySet

from server import paging
from server.tables import LoginLog, OperationLog

MAX_EXPORT = 10_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OPERATION_COLUMNS = ("id", "created_at", "kind", "actor_id", "actor_role", "actor_halls", "method", "route",
                     "action", "target", "before", "after", "ip", "status", "result")
LOGIN_COLUMNS = ("id", "created_at", "username", "user_id", "result", "ip", "user_agent")
OPERATION_HEADER = ("编号", "时间", "类型", "操作人ID", "角色", "所属大厅", "方法", "路由", "业务操作", "对象",
                    "修改前", "修改后", "IP", "状态码", "结果")
LOGIN_HEADER = ("编号", "时间", "用户名", "用户ID", "结果", "IP", "浏览器")


def _window(qs: QuerySet[Any], *, since: datetime | None, until: datetime | None) -> QuerySet[Any]:
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def operations(*, actor_id: int | None = None, action: str | None = None, target: str | None = None,
               kind: str | None = None, result: str | None = None, since: datetime | None = None,
               until: datetime | None = None) -> QuerySet[OperationLog]:
    """Operation log entries matching every filter given (action: prefix; target: exact)."""
    qs = OperationLog.all()
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if target:
        qs = qs.filter(target=target)
    if kind:
        qs = qs.filter(kind=kind)
    if result:
        qs = qs.filter(result=result)
    return _window(qs, since=since, until=until)


def logins(*, username: str | None = None, user_id: int | None = None, result: str | None = None,
           ip: str | None = None, since: datetime | None = None,
           until: datetime | None = None) -> QuerySet[LoginLog]:
    """Login log entries matching every filter given."""
    qs = LoginLog.all()
    if username:
        qs = qs.filter(username=username.strip().lower())
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if result:
        qs = qs.filter(result=result)
    if ip:
        qs = qs.filter(ip=ip)
    return _window(qs, since=since, until=until)


async def page(qs: QuerySet[Any], columns: tuple[str, ...], *, cursor: str | None, limit: int) -> dict[str, Any]:
    """One page, newest first: ``{"items": [...], "next_cursor": str | None}``."""
    scope = f"audit.{qs.model._meta.db_table}"
    rows, following = await paging.newest_first(qs, field="created_at", cursor=cursor, scope=scope, limit=limit)
    return {"items": [{c: getattr(row, c) for c in columns} for row in rows], "next_cursor": following}


def _cell(value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, datetime):
        text = value.isoformat(timespec="seconds")
    elif isinstance(value, (dict, list)):
        text = orjson.dumps(value).decode()
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


async def export_csv(qs: QuerySet[Model], columns: tuple[str, ...], header: tuple[str, ...]) -> bytes:
    """The newest ``MAX_EXPORT`` matching entries as CSV (formula-looking cells quoted for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in await qs.order_by("-created_at", "-id").limit(MAX_EXPORT).values(*columns):
        writer.writerow([_cell(row[c]) for c in columns])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
