"""问一问's settings in the console (issue 16), for admins: the departments that answer letters (name,
reply deadline in working days, what they answer, members and heads), the letter columns (书记信箱,
区长信箱, ...), the 人民建议 campaigns (open, close, the suggestions adopted); and, for dispatchers too,
the letters WeChat's content check holds or rejected.

Every form is parsed by the API's schema and handed to the same questions service the admin API calls
(/api/v1/questions/departments, /columns, /campaigns); a refused form comes back with what was typed and
why. The operation log records every post (console/pages.py's ``page``).
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, HTTPResponse, Request

from console import sessions
from console.hall import back
from console.pages import Redisplay, field, install_error_pages, page, parse, render
from questions import errors as questions_errors
from questions import (
    service_categories,
    service_columns,
    service_departments,
    service_handling,
    service_publication,
)
from questions.schemas import DepartmentCreate, DepartmentFields, DepartmentMembers
from questions.schemas_letters import (
    CampaignCreate,
    CampaignUpdate,
    ColumnCreate,
    ColumnUpdate,
    LetterPageQuery,
)
from server import errors

bp = Blueprint("console_questions_admin", url_prefix="/console/questions/admin")
install_error_pages(bp)
ADMIN = "admin"
DISPATCHER = "editor"  # as console/questions.py: editors dispatch; admins hold every role
HOME = "/console/questions/admin"
DEPARTMENT_TEXT = ("code", "name", "reply_days")
CAMPAIGN_TEXT = ("title", "description", "starts_on", "ends_on")
WITHHELD = {"held": "待内容审核", "rejected": "未通过审核"}
Console = sessions.Console


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace("\n", ",").split(",") if part.strip()]


def _department_form(request: Request) -> dict[str, Any]:
    """The form as the API's body: categories and divisions are comma-separated codes."""
    form: dict[str, Any] = {name: field(request, name) for name in DEPARTMENT_TEXT}
    form.update(categories=_codes(field(request, "categories")), divisions=_codes(field(request, "divisions")))
    return form


async def _departments_page(**context: Any) -> dict[str, Any]:
    return {"tab": "departments", "form": {"reply_days": 5},
            "departments": await service_departments.list_departments(include_inactive=True),
            "category_labels": await service_categories.labels(), **context}


@bp.get("/departments")
@page(ADMIN)
async def departments(request: Request, *, console: Console) -> HTTPResponse:
    return render("questions/admin_departments.html", console=console,
                  **await _departments_page(ok=request.args.get("ok", "")))


@bp.post("/departments")
@page(ADMIN)
async def create_department(request: Request, *, console: Console) -> HTTPResponse:
    form = _department_form(request)
    try:
        body = parse(DepartmentCreate, {k: v for k, v in form.items() if v not in ("", [])})
        made = await service_departments.create_department(body.model_dump(exclude_none=True))
    except errors.DomainError as error:  # the page again, with what was typed and why it was refused
        raise Redisplay(error, "questions/admin_departments.html",
                        **await _departments_page(form=form)) from None
    return back(f"{HOME}/departments/{made['id']}", ok=f"已添加部门：{made['name']}")


async def _department_page(department_id: int, **context: Any) -> dict[str, Any]:
    dept = service_departments.department_view(await service_departments.department_or_404(department_id))
    members = {m["user_id"]: m["is_head"] for m in await service_departments.members_of(department_id)}
    return {"tab": "departments", "department": dept, "members": members,
            "form": {**dept, "categories": ", ".join(dept["categories"]), "divisions": ", ".join(dept["divisions"])},
            "accounts": await service_departments.answerer_accounts(),
            "categories": await service_categories.options(include_inactive=True), **context}


@bp.get("/departments/<department_id:int>")
@page(ADMIN)
async def department(request: Request, department_id: int, *, console: Console) -> HTTPResponse:
    return render("questions/admin_department.html", console=console,
                  **await _department_page(department_id, ok=request.args.get("ok", "")))


@bp.post("/departments/<department_id:int>")
@page(ADMIN)
async def update_department(request: Request, department_id: int, *, console: Console) -> HTTPResponse:
    form = {**_department_form(request), "is_active": field(request, "is_active") == "1"}
    form.pop("code")
    try:
        body = parse(DepartmentFields, form)
        changed = await service_departments.update_department(department_id, body.model_dump(exclude_unset=True))
    except errors.DomainError as error:
        context = await _department_page(department_id)
        raise Redisplay(error, "questions/admin_department.html",
                        **{**context, "form": {**context["form"], **form}}) from None
    return back(f"{HOME}/departments/{department_id}", ok=f"已保存部门：{changed['name']}")


@bp.post("/departments/<department_id:int>/members")
@page(ADMIN)
async def set_members(request: Request, department_id: int, *, console: Console) -> HTTPResponse:
    """Replace the members (PUT /questions/departments/{id}/members): the ticked accounts, heads ticked
    as heads (a head is a member)."""
    form = request.form
    picked, heads = (form.getlist("member") or [], form.getlist("head") or []) if form else ([], [])
    wanted = list(dict.fromkeys([*picked, *heads]))
    body = parse(DepartmentMembers, {"members": [{"user_id": i, "is_head": i in heads} for i in wanted]})
    members = await service_departments.set_members(department_id, [(m.user_id, m.is_head) for m in body.members])
    return back(f"{HOME}/departments/{department_id}", ok=f"已保存成员：{len(members)} 人")


async def _columns_page(**context: Any) -> dict[str, Any]:
    return {"tab": "columns", "form": {"kind": "letter"},
            "columns": await service_columns.list_columns(include_inactive=True), **context}


@bp.get("/columns")
@page(ADMIN)
async def columns(request: Request, *, console: Console) -> HTTPResponse:
    return render("questions/admin_columns.html", console=console, **await _columns_page(ok=request.args.get("ok", "")))


@bp.post("/columns")
@page(ADMIN)
async def create_column(request: Request, *, console: Console) -> HTTPResponse:
    form = {name: field(request, name) for name in ("code", "name", "description", "kind")}
    try:
        made = await service_columns.create_column(parse(ColumnCreate, form).model_dump())
    except errors.DomainError as error:
        raise Redisplay(error, "questions/admin_columns.html", **await _columns_page(form=form)) from None
    return back(f"{HOME}/columns", ok=f"已添加栏目：{made['name']}")


@bp.post("/columns/<code:str>")
@page(ADMIN)
async def update_column(request: Request, code: str, *, console: Console) -> HTTPResponse:
    """Rename, describe, show or hide a column (PATCH /questions/columns/{code})."""
    body = parse(ColumnUpdate, {"name": field(request, "name"), "description": field(request, "description"),
                                "is_active": field(request, "is_active") == "1"})
    changed = await service_columns.update_column(code, body.model_dump(exclude_unset=True))
    return back(f"{HOME}/columns", ok=f"已保存栏目：{changed['name']}（{'启用' if changed['is_active'] else '停用'}）")


async def _campaigns_page(**context: Any) -> dict[str, Any]:
    return {"tab": "campaigns", "form": {},
            "campaigns": await service_columns.list_campaigns(), **context}


@bp.get("/campaigns")
@page(ADMIN)
async def campaigns(request: Request, *, console: Console) -> HTTPResponse:
    return render("questions/admin_campaigns.html", console=console, **await _campaigns_page(ok=request.args.get("ok", "")))


@bp.post("/campaigns")
@page(ADMIN)
async def open_campaign(request: Request, *, console: Console) -> HTTPResponse:
    form = {name: field(request, name) for name in CAMPAIGN_TEXT}
    try:
        body = parse(CampaignCreate, form)
        made = await service_columns.open_campaign(title=body.title, description=body.description,
                                                   starts_on=body.starts_on, ends_on=body.ends_on)
    except errors.DomainError as error:
        raise Redisplay(error, "questions/admin_campaigns.html", **await _campaigns_page(form=form)) from None
    return back(f"{HOME}/campaigns/{made['id']}", ok=f"已发起征集：{made['title']}")


async def _campaign_page(campaign_id: int, **context: Any) -> dict[str, Any]:
    found = next((c for c in await service_columns.list_campaigns() if c["id"] == campaign_id), None)
    if found is None:
        raise questions_errors.CampaignNotFound(details={"campaign_id": campaign_id})
    return {"tab": "campaigns", "campaign": found, "form": found,
            "adopted": await service_publication.adopted(campaign_id), **context}


@bp.get("/campaigns/<campaign_id:int>")
@page(ADMIN)
async def campaign(request: Request, campaign_id: int, *, console: Console) -> HTTPResponse:
    """One campaign, its edit form, and the suggestions adopted in it (as everyone reads them)."""
    return render("questions/admin_campaign.html", console=console,
                  **await _campaign_page(campaign_id, ok=request.args.get("ok", "")))


@bp.post("/campaigns/<campaign_id:int>")
@page(ADMIN)
async def update_campaign(request: Request, campaign_id: int, *, console: Console) -> HTTPResponse:
    """Correct the title, description or dates; a refused form comes back as typed, saying why."""
    form = {name: field(request, name) for name in CAMPAIGN_TEXT}
    try:
        changed = await service_columns.update_campaign(campaign_id,
                                                        parse(CampaignUpdate, form).model_dump(exclude_unset=True))
    except errors.DomainError as error:
        raise Redisplay(error, "questions/admin_campaign.html",
                        **await _campaign_page(campaign_id, form=form)) from None
    return back(f"{HOME}/campaigns/{campaign_id}", ok=f"已保存征集：{changed['title']}")


@bp.post("/campaigns/<campaign_id:int>/close")
@page(ADMIN)
async def close_campaign(request: Request, campaign_id: int, *, console: Console) -> HTTPResponse:
    closed = await service_columns.close_campaign(campaign_id)
    return back(f"{HOME}/campaigns/{campaign_id}", ok=f"已结束征集：{closed['title']}")


@bp.get("/withheld")
@page(DISPATCHER)
async def withheld(request: Request, *, console: Console) -> HTTPResponse:
    """Letters held for WeChat's content check (it was unreachable; the worker checks them again) or
    rejected by it: their state only, personal data masked."""
    state = request.args.get("status") if request.args.get("status") in WITHHELD else "held"
    query = parse(LetterPageQuery, {"cursor": request.args.get("cursor") or None, "limit": 50}, location="query")
    listing = await service_handling.withheld(status=state, limit=query.limit,
                                              after=int(query.cursor) if query.cursor else None)
    return render("questions/admin_withheld.html", console=console, tab="withheld", state=state,
                  states=WITHHELD, listing=listing)
