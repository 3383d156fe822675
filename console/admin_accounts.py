"""账号与角色: the administrators' account pages. Every rule (temporary passwords, hall scope, the
own-account and last-admin guards, ending sessions) is server/accounts_admin's, called exactly as the
admin API (/api/v1/admin/users) calls it; forms are parsed by the API's own schemas."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, HTTPResponse, Request

from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render
from server import accounts_admin as admin
from server.accounts_schemas import AccountIn, AccountPatch

bp = Blueprint("console_admin_accounts", url_prefix="/console/admin/accounts")
install_error_pages(bp)
ADMIN = "admin"
ROLES = {"staff": "窗口工作人员", "editor": "公报编辑", "answerer": "部门答复人员", "admin": "管理员"}
HOME = "/console/admin/accounts"
Console = sessions.Console


def _halls_checked(request: Request) -> list[str]:
    return request.form.getlist("halls") if request.form else []


async def _page(template: str, console: Console, **context: Any) -> HTTPResponse:
    return render(template, console=console, tab="accounts", roles=ROLES, hall_names=await admin.hall_names(),
                  **context)


@bp.get("")
@page(ADMIN)
async def accounts(request: Request, *, console: Console) -> HTTPResponse:
    return await _page("admin/accounts.html", console, accounts=await admin.list_accounts(),
                       ok=request.args.get("ok", ""))


@bp.post("")
@page(ADMIN)
async def create_account(request: Request, *, console: Console) -> HTTPResponse:
    role = field(request, "role")
    body = parse(AccountIn, {"username": field(request, "username"), "role": role,
                             "halls": _halls_checked(request) if role == "staff" else []})
    created = await admin.create_account(username=body.username, role=body.role, halls=body.halls)
    return await _page("admin/temporary_password.html", console, account=created["account"],
                       temporary_password=created["temporary_password"], created=True)


@bp.get("/<user_id:int>")
@page(ADMIN)
async def account(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    return await _page("admin/account.html", console, account=await admin.get_account(user_id),
                       ok=request.args.get("ok", ""))


@bp.post("/<user_id:int>")
@page(ADMIN)
async def update_account(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    role = field(request, "role")
    body = parse(AccountPatch, {"role": role, "halls": _halls_checked(request) if role == "staff" else None})
    done = await admin.update_account(user_id, actor_id=console.user.id, role=body.role, halls=body.halls)
    return back(f"{HOME}/{user_id}", ok=f"已保存 {done['username']} 的角色与服务大厅，该账号需重新登录")


@bp.post("/<user_id:int>/disable")
@page(ADMIN)
async def disable_account(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    done = await admin.disable_account(user_id, actor_id=console.user.id)
    return back(f"{HOME}/{user_id}", ok=f"已停用 {done['username']}")


@bp.post("/<user_id:int>/enable")
@page(ADMIN)
async def enable_account(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    done = await admin.enable_account(user_id)
    return back(f"{HOME}/{user_id}", ok=f"已启用 {done['username']}")


@bp.post("/<user_id:int>/unlock")
@page(ADMIN)
async def unlock_account(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    done = await admin.unlock_account(user_id)
    return back(f"{HOME}/{user_id}", ok=f"已解除 {done['username']} 的登录锁定")


@bp.post("/<user_id:int>/otp-reset")
@page(ADMIN)
async def reset_second_factor(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    done = await admin.reset_second_factor(user_id)
    return back(f"{HOME}/{user_id}", ok=f"已重置 {done['username']} 的两步验证，下次登录时重新绑定")


@bp.post("/<user_id:int>/password-reset")
@page(ADMIN)
async def reset_password(request: Request, user_id: int, *, console: Console) -> HTTPResponse:
    reset = await admin.reset_password(user_id)
    return await _page("admin/temporary_password.html", console, account=await admin.get_account(user_id),
                       temporary_password=reset["temporary_password"], created=False)
