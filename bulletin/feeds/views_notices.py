"""Notices (通知公告): public reading, posting and withdrawal by editors and hall staff."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin.feeds import errors, service_notices
from bulletin.feeds.schemas import NoticeIn, NoticeListQuery, WithdrawIn
from bulletin.feeds.schemas_out import NoticeOut, NoticePage
from server import auth
from server.api import endpoint

bp = Blueprint("feeds_notices", url_prefix="/api/v1")
TAGS = ["notices"]
AUTHORS = ("staff", "editor")


@bp.get("/notices")
@endpoint("Published notices, newest first", tags=TAGS, query=NoticeListQuery, response=NoticePage,
          raises=[errors.InvalidCursor])
async def list_notices(request: Request, *, query: NoticeListQuery):
    return await service_notices.list_notices(hall_id=query.hall_id, cursor=query.cursor, limit=query.limit)


@bp.get("/notices/<notice_id:int>")
@endpoint("One notice (a withdrawn one without its text)", tags=TAGS, response=NoticeOut,
          raises=[errors.NoticeNotFound])
async def get_notice(request: Request, notice_id: int):
    return await service_notices.get_notice(notice_id)


@bp.post("/notices")
@endpoint("Post a notice: into feeds and WeChat like a gazette document (hall staff: their halls only)",
          tags=TAGS, body=NoticeIn, response=NoticeOut, status=201, auth_roles=AUTHORS,
          raises=[errors.HallRequired, errors.UnknownHall])
async def create_notice(request: Request, *, body: NoticeIn, user: auth.CurrentUser):
    return await service_notices.create_notice(body.model_dump(), user=user)


@bp.post("/notices/<notice_id:int>/withdraw")
@endpoint("Withdraw a notice: it leaves every feed", tags=TAGS, body=WithdrawIn, response=NoticeOut,
          auth_roles=AUTHORS, raises=[errors.NoticeNotFound, errors.NoticeWithdrawn])
async def withdraw_notice(request: Request, notice_id: int, *, body: WithdrawIn, user: auth.CurrentUser):
    return await service_notices.withdraw_notice(notice_id, user=user, reason=body.reason)
