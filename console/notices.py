"""Notices (通知公告) for editors and hall staff: post one into feeds and WeChat, withdraw it."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request

from appointments import service_halls
from bulletin.feeds import service_notices
from bulletin.feeds.schemas import NoticeIn, WithdrawIn
from bulletin.model import TOPICS
from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render

bp = Blueprint("console_notices", url_prefix="/console/notices")
install_error_pages(bp)
AUTHORS = ("staff", "editor")
Console = sessions.Console


@bp.get("/")
@page(*AUTHORS)
async def notices(request: Request, *, console: Console) -> HTTPResponse:
    listing = await service_notices.list_notices(hall_id=None, cursor=request.args.get("cursor"), limit=50)
    halls = [h for h in await service_halls.list_halls() if console.user.can_serve(h["id"])]
    return render("notices.html", console=console, listing=listing, halls=halls, topics=TOPICS,
                  ok=request.args.get("ok", ""))


@bp.post("/")
@page(*AUTHORS)
async def post_notice(request: Request, *, console: Console) -> HTTPResponse:
    divisions = [d.strip() for d in field(request, "divisions").replace("，", ",").split(",") if d.strip()]
    body = parse(NoticeIn, {"title": field(request, "title"), "body": field(request, "body"),
                            "hall_id": field(request, "hall_id") or None, "topic": field(request, "topic") or None,
                            "divisions": divisions, "notify": field(request, "notify") == "on"})
    notice = await service_notices.create_notice(body.model_dump(), user=console.user)
    return back("/console/notices/", ok=f"已发布：{notice['title']}")


@bp.post("/<notice_id:int>/withdraw")
@page(*AUTHORS)
async def withdraw(request: Request, notice_id: int, *, console: Console) -> HTTPResponse:
    body = parse(WithdrawIn, {"reason": field(request, "reason")})
    notice = await service_notices.withdraw_notice(notice_id, user=console.user, reason=body.reason)
    return back("/console/notices/", ok=f"已撤回：{notice['title']}")
