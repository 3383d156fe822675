"""The administrators' enterprise verification: registrations and profile changes awaiting a decision,
each with the competing claims on its 统一社会信用代码; approve, or reject with a reason.

Every rule (who wins a contested code, what a rejection does) is bulletin/feeds' review service's,
called exactly as the admin API calls it.
"""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request

from bulletin.feeds import service_enterprise_review as review
from bulletin.feeds.schemas import RejectIn
from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render

bp = Blueprint("console_admin_enterprises", url_prefix="/console/admin")
install_error_pages(bp)
ADMIN = "admin"
Console = sessions.Console


@bp.get("/enterprises")
@page(ADMIN)
async def enterprises(request: Request, *, console: Console) -> HTTPResponse:
    waiting = await review.admin_list(status=None, awaiting=True)
    return render("admin/enterprises.html", console=console, tab="enterprises", enterprises=waiting,
                  ok=request.args.get("ok", ""))


@bp.post("/enterprises/<enterprise_id:int>/verify")
@page(ADMIN)
async def verify_enterprise(request: Request, enterprise_id: int, *, console: Console) -> HTTPResponse:
    done = await review.verify(enterprise_id, admin_id=console.user.id)
    return back("/console/admin/enterprises", ok=f"已通过：{done['name']}")


@bp.post("/enterprises/<enterprise_id:int>/reject")
@page(ADMIN)
async def reject_enterprise(request: Request, enterprise_id: int, *, console: Console) -> HTTPResponse:
    body = parse(RejectIn, {"reason": field(request, "reason")})
    done = await review.reject(enterprise_id, admin_id=console.user.id, reason=body.reason)
    return back("/console/admin/enterprises", ok=f"已驳回：{done['name']}")
