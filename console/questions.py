"""Letters in the console (issue 16): the dispatcher's inbox (来信分办) with the suggested department,
the departments' queues (部门待办) with deadlines in working days, and the reply editor: the letter with
its timeline, reply (with a 一号答 lookup: console/questions_kb.py), transfer, return, and publishing a
consented reply (with its 一号答 entry in one step).

Who may do what is the API's rule, applied by the same services: dispatchers are editors (and admins),
answerers act for their departments only (another department's letter is 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from appointments import service as appointments
from console import sessions
from console.hall import back
from console.pages import field, install_error_pages, page, parse, render
from questions import (
    service_categories,
    service_departments,
    service_handling,
    service_photos,
    service_publication,
    service_routing,
)
from questions.model import is_overdue
from questions.schemas_letters import (
    Adopt,
    Assign,
    HandlingQuery,
    PublishIn,
    ReplyIn,
    Return,
    ToEntry,
    Transfer,
)
from server import clock

bp = Blueprint("console_questions", url_prefix="/console/questions")
install_error_pages(bp)
DISPATCHER = "editor"  # as the API's (questions/views_handling.py): editors dispatch; admins hold every role
HANDLERS = ("editor", "answerer")
PAGE = 50
STEP_NAMES = {"received": "收到来信", "held": "待内容审核", "rejected": "未通过审核", "assigned": "分办",
              "transferred": "转办", "returned": "退回分办", "replied": "答复", "rated": "评价", "reopened": "重新办理",
              "overdue": "超期督办", "closed": "办结", "published": "公开", "adopted": "采纳"}
Console = sessions.Console


async def _working_days_left(letters: list[dict[str, Any]]) -> None:
    """Each letter's working days until its deadline (the district's calendar), and whether it is late."""
    today = clock.today()
    dues = [x["due_on"] for x in letters if x["due_on"]]
    calendar = await appointments.working_calendar(today, max(dues)) if dues and max(dues) > today else None
    for letter in letters:
        due = letter["due_on"]
        letter["late"] = letter["status"] == "assigned" and (letter["overdue"] or is_overdue(due, today))
        letter["days_left"] = None
        if due and calendar is not None and due >= today:
            letter["days_left"] = sum(calendar.is_working_day(today + dt.timedelta(days=n))
                                      for n in range(1, (due - today).days + 1))


async def _suggest(letter: dict[str, Any], names: dict[int, str]) -> dict[str, Any] | None:
    """The suggestion kept when the letter was written, else the routing service's for it now (a letter
    written before its department existed, or seeded)."""
    if letter["suggested_department"]:
        return letter["suggested_department"]
    found = await service_routing.suggest(category=letter["category"],
                                          divisions=[letter["division"]] if letter["division"] else [])
    return {"id": found, "name": names.get(found, "")} if found else None


def _query(request: Request, **fixed: Any) -> HandlingQuery:
    """The filters as the API's query (a blank field is no filter); the queue shows letters in hand first."""
    wanted = {name: request.args.get(name, default) or None for name, default in
              (("status", "assigned"), ("overdue", ""), ("department_id", ""), ("cursor", ""))}
    return parse(HandlingQuery, {**wanted, "limit": PAGE, **fixed}, location="query")


async def _letters(console: Console, query: HandlingQuery) -> dict[str, Any]:
    listing = await service_handling.letters(user=console.user, status=query.status, overdue=query.overdue,
                                             department_id=query.department_id, limit=query.limit,
                                             after=int(query.cursor) if query.cursor else None)
    await _working_days_left(listing["items"])
    return listing


@bp.get("/")
@page(*HANDLERS)
async def start(request: Request, *, console: Console) -> HTTPResponse:
    """The menu's 群众来信: dispatchers start at their inbox, departments at their queue."""
    return redirect("/console/questions/inbox" if console.user.has_role(DISPATCHER) else "/console/questions/queue",
                    status=303)


@bp.get("/inbox")
@page(DISPATCHER)
async def inbox(request: Request, *, console: Console) -> HTTPResponse:
    """来信分办: letters nobody handles yet (new ones and those a department returned), oldest first."""
    listing = await _letters(console, _query(request, status="received", overdue=None, department_id=None))
    names = await service_departments.names()
    returned = await service_handling.return_reasons([x["id"] for x in listing["items"]])
    for letter in listing["items"]:
        letter["suggestion"] = await _suggest(letter, names)
        letter["returned"] = returned.get(letter["id"])
    return render("questions/inbox.html", console=console, tab="inbox", listing=listing,
                  category_labels=await service_categories.labels(),
                  departments=await service_departments.list_departments(), ok=request.args.get("ok", ""))


@bp.post("/letters/<letter_id:int>/assign")
@page(DISPATCHER)
async def assign(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    body = parse(Assign, {"department_id": field(request, "department_id")})
    letter = await service_handling.assign(letter_id, department_id=body.department_id, user=console.user)
    return back(f"/console/questions/letters/{letter_id}" if field(request, "from_letter") else "/console/questions/inbox",
                ok=f"已分办：{letter['title']} → {letter['department']['name']}，{letter['due_on']} 前答复")


@bp.get("/queue")
@page(*HANDLERS)
async def queue(request: Request, *, console: Console) -> HTTPResponse:
    """部门待办: the caller's departments' letters (every department for dispatchers), filtered."""
    query = _query(request)
    scope = await service_departments.scope_of(console.user)
    departments = [d for d in await service_departments.list_departments(include_inactive=True)
                   if scope is None or d["id"] in scope]
    return render("questions/queue.html", console=console, tab="queue", listing=await _letters(console, query),
                  query=query, departments=departments, ok=request.args.get("ok", ""))


@bp.get("/letters/<letter_id:int>")
@page(*HANDLERS)
async def letter(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    """The reply editor: the letter (phone masked) with every step, and what may be done with it."""
    shown = await service_handling.staff_letter(letter_id, user=console.user)
    await _working_days_left([shown])
    received = shown["status"] == "received"
    shown["suggestion"] = await _suggest(shown, await service_departments.names()) if received else None
    return render("questions/letter.html", console=console, tab="queue", letter=shown, step_names=STEP_NAMES,
                  departments=await service_departments.list_departments(),
                  categories=await service_categories.options(),
                  category_labels=await service_categories.labels(), ok=request.args.get("ok", ""),
                  dispatcher=console.user.has_role(DISPATCHER))


@bp.get("/photos/<photo_id:int>")
@page(*HANDLERS)
async def photo(request: Request, photo_id: int, *, console: Console) -> HTTPResponse:
    """A letter's photo, for those who may handle its letter (the photos service decides, as in the API)."""
    data, content_type = await service_photos.photo_file(photo_id, user=console.user)
    return HTTPResponse(data, content_type=content_type, headers={"cache-control": "private, max-age=3600"})


@bp.post("/letters/<letter_id:int>/reply")
@page(*HANDLERS)
async def reply(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    body = parse(ReplyIn, {"reply": field(request, "reply")})
    await service_handling.reply(letter_id, text=body.reply, user=console.user)
    return back(f"/console/questions/letters/{letter_id}", ok="已答复，来信人将收到通知")


@bp.post("/letters/<letter_id:int>/transfer")
@page(*HANDLERS)
async def transfer(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    body = parse(Transfer, {"department_id": field(request, "department_id"), "reason": field(request, "reason")})
    done = await service_handling.transfer(letter_id, department_id=body.department_id, reason=body.reason,
                                           user=console.user)
    return back("/console/questions/queue", ok=f"已转办：{done['title']} → {done['department']['name']}")


@bp.post("/letters/<letter_id:int>/return")
@page(*HANDLERS)
async def send_back(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    body = parse(Return, {"reason": field(request, "reason")})
    done = await service_handling.send_back(letter_id, reason=body.reason, user=console.user)
    return back("/console/questions/queue", ok=f"已退回分办：{done['title']}")


@bp.post("/letters/<letter_id:int>/publish")
@page(DISPATCHER)
async def publish(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    """Publish a replied letter (the services refuse without the writer's consent), and when asked turn
    it into a 一号答 entry in the same step."""
    body = parse(PublishIn, {k: field(request, k) or None for k in ("title", "body")})
    await service_publication.publish(letter_id, user=console.user, title=body.title, body=body.body)
    if not field(request, "to_entry"):
        return back(f"/console/questions/letters/{letter_id}", ok="已公开")
    entry = parse(ToEntry, {"category": field(request, "category") or None})
    entry_id = await service_publication.to_entry(letter_id, user=console.user, category=entry.category)
    return back(f"/console/questions/entries/{entry_id}", ok="已公开，并已生成一号答条目")


@bp.post("/letters/<letter_id:int>/adopt")
@page(DISPATCHER)
async def adopt(request: Request, letter_id: int, *, console: Console) -> HTTPResponse:
    """采纳 a 人民建议 suggestion, with the note everyone reads under the campaign."""
    body = parse(Adopt, {"note": field(request, "note")})
    await service_publication.adopt(letter_id, note=body.note, user=console.user)
    return back(f"/console/questions/letters/{letter_id}", ok="已采纳")
