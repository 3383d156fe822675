"""Reading the operation and login logs: filters, keyset pages (newest first) and CSV export.

Pages come from server/paging.py (newest first by time then id, an opaque cursor per log); entries
are only ever appended, so a page boundary stays put while new ones arrive. CSV export takes the
same filters and at most ``MAX_EXPORT`` rows, UTF-8 with a BOM so Excel on Chinese Windows opens it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from tortoise.models import Model
from tortoise.queryset import QuerySet

from server import paging
from server.csvfile import csv_bytes
from server.tables import LoginLog, OperationLog

MAX_EXPORT = 10_000
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


def _text(value: Any) -> str:
    """A log field as a spreadsheet shows it (server/csvfile.py quotes formula-looking cells)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode()
    return str(value)


async def export_csv(qs: QuerySet[Model], columns: tuple[str, ...], header: tuple[str, ...]) -> bytes:
    """The newest ``MAX_EXPORT`` matching entries as CSV (formula-looking cells quoted for Excel)."""
    rows = await qs.order_by("-created_at", "-id").limit(MAX_EXPORT).values(*columns)
    return csv_bytes(header, ([_text(row[c]) for c in columns] for row in rows))
