"""大厅与事项: the administrators' pages for halls (details and booking rules), their service items
(事项) and the staff serving them. Every rule is appointments' hall service's, called exactly as the
admin API (/api/v1/admin/halls, /services, /staff) calls it; forms are parsed by the API's schemas."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, HTTPResponse, Request

from appointments import service_halls
from appointments.schemas_staff import HallIn, HallPatch, ServiceIn, ServicePatch, StaffAssign
from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render
from server import accounts, errors

bp = Blueprint("console_admin_halls", url_prefix="/console/admin/halls")
install_error_pages(bp)
ADMIN = "admin"
HOME = "/console/admin/halls"
RULES = {
    "book_from_days": "最早提前几天可约（1 为明天起）", "book_until_working_days": "可预约未来几个工作日",
    "max_per_day": "每人每天最多预约", "max_per_week": "每人每周最多预约", "max_per_month": "每人每月最多预约",
    "cancel_before_minutes": "开始前多少分钟截止取消", "checkin_before_minutes": "最早提前多少分钟签到",
    "checkin_after_minutes": "最晚迟到多少分钟可签到", "no_show_limit": "爽约几次限制预约",
    "no_show_window_days": "爽约统计期（天）", "block_days": "限制预约天数",
    "max_persons_per_account_month": "每账号每月可为几人预约", "max_account_bookings_per_day": "每账号每天最多预约",
    "max_accounts_per_person_month": "每人每月最多被几个账号预约",
}
HALL_TEXT = ("name", "address", "phone", "windows")
SERVICE_TEXT = ("name", "department", "average_minutes")
Console = sessions.Console


class HallMissing(errors.NotFound):
    code = "hall_not_found"
    message = "服务大厅不存在"


def _checked(request: Request, name: str) -> bool:
    return bool(request.form and request.form.get(name))


def _hall_form(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = {name: field(request, name) for name in HALL_TEXT}
    poi = field(request, "poi_id")
    data.update(poi_id=poi or None, is_active=_checked(request, "is_active"))
    return data


def _service_form(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = {name: field(request, name) for name in SERVICE_TEXT}
    materials = [line.strip() for line in field(request, "materials").splitlines() if line.strip()]
    data.update(materials=materials, real_name_required=_checked(request, "real_name_required"),
                is_active=_checked(request, "is_active"))
    return data


async def _hall(hall_id: int) -> dict[str, Any]:
    for hall in await service_halls.list_halls(include_inactive=True):
        if hall["id"] == hall_id:
            return hall
    raise HallMissing(details={"hall_id": hall_id})


@bp.get("")
@page(ADMIN)
async def halls(request: Request, *, console: Console) -> HTTPResponse:
    return render("admin/halls.html", console=console, tab="halls",
                  halls=await service_halls.list_halls(include_inactive=True), ok=request.args.get("ok", ""))


@bp.post("")
@page(ADMIN)
async def create_hall(request: Request, *, console: Console) -> HTTPResponse:
    body = parse(HallIn, {**_hall_form(request), "is_active": True})
    hall = await service_halls.create_hall(body.model_dump(exclude={"rules"}), rules=None)
    return back(f"{HOME}/{hall['id']}", ok=f"已新建服务大厅：{hall['name']}")


@bp.get("/<hall_id:int>")
@page(ADMIN)
async def hall(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    found = await _hall(hall_id)
    staff = await accounts.staff_accounts()
    serving = [u for u in staff if hall_id in u["halls"]]
    return render("admin/hall.html", console=console, tab="halls", hall=found, rules=RULES,
                  services=await service_halls.list_services(hall_id, include_inactive=True),
                  serving=serving, others=[u for u in staff if hall_id not in u["halls"]],
                  ok=request.args.get("ok", ""))


@bp.post("/<hall_id:int>")
@page(ADMIN)
async def update_hall(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    rules = {name: field(request, f"rule_{name}") for name in RULES}
    body = parse(HallPatch, {**_hall_form(request), "rules": rules})
    done = await service_halls.update_hall(hall_id, body.model_dump(exclude_unset=True, exclude={"rules"}),
                                           rules=body.rules)
    return back(f"{HOME}/{hall_id}", ok=f"已保存：{done['name']}")


@bp.post("/<hall_id:int>/services")
@page(ADMIN)
async def add_service(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    body = parse(ServiceIn, {**_service_form(request), "is_active": True})
    done = await service_halls.add_service(hall_id, body.model_dump())
    return back(f"{HOME}/{hall_id}", ok=f"已添加事项：{done['name']}")


@bp.post("/<hall_id:int>/services/<service_id:int>")
@page(ADMIN)
async def update_service(request: Request, hall_id: int, service_id: int, *, console: Console) -> HTTPResponse:
    if service_id not in {s["id"] for s in await service_halls.list_services(hall_id, include_inactive=True)}:
        raise errors.NotFound("该大厅没有这个事项", details={"service_id": service_id})
    body = parse(ServicePatch, _service_form(request))
    done = await service_halls.update_service(service_id, body.model_dump(exclude_unset=True))
    return back(f"{HOME}/{hall_id}", ok=f"已保存事项：{done['name']}")


async def _assign(hall_id: int, user_ids: set[int]) -> None:
    body = parse(StaffAssign, {"user_ids": sorted(user_ids)})
    await service_halls.assign_staff(hall_id, body.user_ids)


@bp.post("/<hall_id:int>/staff")
@page(ADMIN)
async def add_staff(request: Request, hall_id: int, *, console: Console) -> HTTPResponse:
    wanted = parse(StaffAssign, {"user_ids": [field(request, "user_id")]}).user_ids[0]
    serving = {u["id"] for u in await service_halls.hall_staff(hall_id)}
    await _assign(hall_id, serving | {wanted})
    return back(f"{HOME}/{hall_id}", ok="已分配工作人员，该账号需重新登录")


@bp.post("/<hall_id:int>/staff/<user_id:int>/remove")
@page(ADMIN)
async def remove_staff(request: Request, hall_id: int, user_id: int, *, console: Console) -> HTTPResponse:
    serving = {u["id"] for u in await service_halls.hall_staff(hall_id)}
    await _assign(hall_id, serving - {user_id})
    return back(f"{HOME}/{hall_id}", ok="已移出工作人员，该账号需重新登录")
