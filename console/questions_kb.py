"""一号答 in the console: the knowledge-base editor (list and search, create and edit in Markdown with the
gazette's sanitised live preview, publish, retire), the categories (admins reword, add and hide them,
as in the API), and the reply editor's lookup, which searches with /questions/answers' own machinery.

Editors keep every entry; answerers only their departments' (the entries service says so, as in the API).
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, HTTPResponse, Request

from bulletin import service as gazette
from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render
from questions import service_answers, service_categories, service_departments, service_entries
from questions.schemas import (
    AnswersQuery,
    CategoryCreate,
    CategoryUpdate,
    EditorEntriesQuery,
    EntryCreate,
    EntryFields,
)

bp = Blueprint("console_questions_kb", url_prefix="/console/questions")
install_error_pages(bp)
KEEPERS = ("editor", "answerer")
ADMIN = "admin"
STATUS_NAMES = {"draft": "草稿", "published": "已发布", "retired": "已下线"}
LINKS = (("services", "办事事项"), ("halls", "服务大厅"), ("pois", "地图点位"), ("documents", "公报文件"))
Console = sessions.Console


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def _entry_form(request: Request) -> dict[str, Any]:
    """The form as the API's body: blank dates and department are cleared, links are comma-separated ids."""
    data: dict[str, Any] = {name: field(request, name) for name in ("question", "answer", "category")}
    data.update({name: field(request, name) or None for name in ("department_id", "valid_from", "valid_until")})
    data.update({name: _ids(field(request, name)) for name, _label in LINKS})
    return data


async def _choices(console: Console) -> dict[str, Any]:
    scope = await service_departments.scope_of(console.user)
    departments = [d for d in await service_departments.list_departments() if scope is None or d["id"] in scope]
    return {"categories": await service_categories.options(), "departments": departments,
            "status_names": STATUS_NAMES, "links": LINKS, "everyone": scope is None}


@bp.get("/entries")
@page(*KEEPERS)
async def entries(request: Request, *, console: Console) -> HTTPResponse:
    """The knowledge base: by status and category, newest first; or, with words, the published entries
    that residents would find for them (the same search as /questions/answers)."""
    q = (request.args.get("q") or "").strip()
    query = parse(EditorEntriesQuery, {"status": request.args.get("status") or None, "category":
                                       request.args.get("category") or None, "cursor": request.args.get("cursor")
                                       or None, "limit": 50}, location="query")
    found = None
    if q:
        found = await service_answers.search_answers(
            q=parse(AnswersQuery, {"q": q}, location="query").q, categories=(query.category,)
            if query.category else (), limit=50)
    listing = None if q else await service_entries.editor_entries(
        user=console.user, status=query.status, category=query.category, limit=query.limit,
        after=int(query.cursor) if query.cursor else None)
    return render("questions/entries.html", console=console, tab="entries", listing=listing, found=found, q=q,
                  query=query, **await _choices(console))


@bp.get("/entries/new")
@page(*KEEPERS)
async def new_entry(request: Request, *, console: Console) -> HTTPResponse:
    return render("questions/entry.html", console=console, tab="entries", entry={"status": "draft"},
                  **await _choices(console))


@bp.post("/entries")
@page(*KEEPERS)
async def create_entry(request: Request, *, console: Console) -> HTTPResponse:
    form = {k: v for k, v in _entry_form(request).items() if v not in (None, [])}
    created = await service_entries.create_entry(parse(EntryCreate, form).changes(), user=console.user)
    return back(f"/console/questions/entries/{created['id']}", ok="已保存为草稿")


@bp.get("/entries/<entry_id:int>")
@page(*KEEPERS)
async def edit_entry(request: Request, entry_id: int, *, console: Console) -> HTTPResponse:
    entry = await service_entries.get_entry(entry_id, user=console.user)
    return render("questions/entry.html", console=console, tab="entries", entry=entry,
                  ok=request.args.get("ok", ""), **await _choices(console))


@bp.post("/entries/<entry_id:int>")
@page(*KEEPERS)
async def update_entry(request: Request, entry_id: int, *, console: Console) -> HTTPResponse:
    await service_entries.update_entry(entry_id, parse(EntryFields, _entry_form(request)).changes(),
                                       user=console.user)
    return back(f"/console/questions/entries/{entry_id}", ok="已保存")


@bp.post("/entries/<entry_id:int>/publish")
@page(*KEEPERS)
async def publish_entry(request: Request, entry_id: int, *, console: Console) -> HTTPResponse:
    await service_entries.publish_entry(entry_id, user=console.user)
    return back(f"/console/questions/entries/{entry_id}", ok="已发布，居民可以搜到")


@bp.post("/entries/<entry_id:int>/retire")
@page(*KEEPERS)
async def retire_entry(request: Request, entry_id: int, *, console: Console) -> HTTPResponse:
    await service_entries.retire_entry(entry_id, user=console.user)
    return back(f"/console/questions/entries/{entry_id}", ok="已下线，居民不再能搜到")


@bp.post("/preview")
@page(*KEEPERS)
async def preview(request: Request, *, console: Console) -> HTTPResponse:
    """htmx: the answer as residents will see it, through the gazette's sanitiser (as the entries service)."""
    answer = parse(EntryFields, {"answer": field(request, "answer") or "（空）"}).answer or ""
    return render("editor/fragments/preview.html", console=console, html=gazette.markdown_to_html(answer))


@bp.get("/lookup")
@page(*KEEPERS)
async def lookup(request: Request, *, console: Console) -> HTTPResponse:
    """htmx, from the reply editor: the published answers residents would find for these words."""
    query = parse(AnswersQuery, {"q": request.args.get("q") or "", "limit": 8}, location="query")
    found = await service_answers.search_answers(q=query.q, limit=query.limit) if query.q.strip() else None
    return render("questions/fragments/lookup.html", console=console, found=found or {"items": []}, q=query.q)


@bp.get("/lookup/<entry_id:int>")
@page(*KEEPERS)
async def lookup_answer(request: Request, entry_id: int, *, console: Console) -> HTTPResponse:
    """htmx: one published answer in full, with a button that puts its text into the reply."""
    entry = await service_answers.read_answer(entry_id)
    return render("questions/fragments/answer.html", console=console, entry=entry,
                  text=gazette.plain_text(entry["answer_html"]))


@bp.get("/categories")
@page(*KEEPERS)
async def categories(request: Request, *, console: Console) -> HTTPResponse:
    return render("questions/categories.html", console=console, tab="categories",
                  categories=await service_categories.options(include_inactive=True), ok=request.args.get("ok", ""))


@bp.post("/categories")
@page(ADMIN)
async def create_category(request: Request, *, console: Console) -> HTTPResponse:
    body = parse(CategoryCreate, {"code": field(request, "code"), "label": field(request, "label")})
    made = await service_categories.create(code=body.code, label=body.label)
    return back("/console/questions/categories", ok=f"已添加分类：{made['label']}")


@bp.post("/categories/<code:str>")
@page(ADMIN)
async def update_category(request: Request, code: str, *, console: Console) -> HTTPResponse:
    body = parse(CategoryUpdate, {"label": field(request, "label") or None,
                                  "is_active": field(request, "is_active") == "1"})
    changed = await service_categories.update(code, label=body.label, is_active=body.is_active)
    return back("/console/questions/categories", ok=f"已保存分类：{changed['label']}")
