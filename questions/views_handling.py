"""Staff endpoints of letters: the dispatcher's inbox and assigning (editors), the departments' queues,
replies, transfers and returns (answerers, in their departments), publishing, 一号答 from a reply,
campaigns and columns (admins), and the letters' statistics."""

from __future__ import annotations

from sanic import Blueprint, Request

from questions import (
    errors,
    service_columns,
    service_handling,
    service_letter_stats,
    service_publication,
)
from questions.schemas_letters import (
    Adopt,
    Assign,
    CampaignCreate,
    CampaignOut,
    CampaignUpdate,
    ColumnCreate,
    ColumnOut,
    ColumnUpdate,
    EntryRef,
    HandlingQuery,
    LetterStats,
    LetterStatsQuery,
    PublishIn,
    ReplyIn,
    Return,
    StaffLetterOut,
    StaffLettersPage,
    ToEntry,
    Transfer,
)
from server import auth
from server.api import endpoint

bp = Blueprint("questions_handling", url_prefix="/api/v1")
TAGS = ["questions: handling letters"]
HANDLERS = ("editor", "answerer")
DISPATCHER = "editor"
ADMIN = "admin"


@bp.get("/questions/handling/letters")
@endpoint("Letters to handle: the dispatcher's inbox (status=received) or a department's queue (answerers: "
          "only their departments'), overdue ones with overdue=true", tags=TAGS, query=HandlingQuery,
          response=StaffLettersPage, auth_roles=HANDLERS)
async def letters(request: Request, *, query: HandlingQuery, user: auth.CurrentUser):
    return await service_handling.letters(user=user, status=query.status, overdue=query.overdue,
                                          department_id=query.department_id, limit=query.limit,
                                          after=int(query.cursor) if query.cursor else None)


@bp.get("/questions/letters/<letter_id:int>")
@endpoint("A letter with every step (answerers: their departments' only)", tags=TAGS, response=StaffLetterOut,
          auth_roles=HANDLERS, raises=[errors.LetterNotFound])
async def letter(request: Request, letter_id: int, *, user: auth.CurrentUser):
    return await service_handling.staff_letter(letter_id, user=user)


@bp.post("/questions/letters/<letter_id:int>/assign")
@endpoint("Assign a letter to a department (dispatchers), with its reply deadline in working days", tags=TAGS,
          body=Assign, response=StaffLetterOut, auth_roles=DISPATCHER,
          raises=[errors.LetterNotFound, errors.DepartmentNotFound, errors.UnknownDepartment, errors.StatusConflict])
async def assign(request: Request, letter_id: int, *, body: Assign, user: auth.CurrentUser):
    return await service_handling.assign(letter_id, department_id=body.department_id, user=user)


@bp.post("/questions/letters/<letter_id:int>/transfer")
@endpoint("Transfer a letter to another department, with a reason", tags=TAGS, body=Transfer,
          response=StaffLetterOut, auth_roles=HANDLERS,
          raises=[errors.LetterNotFound, errors.DepartmentNotFound, errors.UnknownDepartment, errors.StatusConflict,
                  errors.OutsideDepartment])
async def transfer(request: Request, letter_id: int, *, body: Transfer, user: auth.CurrentUser):
    return await service_handling.transfer(letter_id, department_id=body.department_id, reason=body.reason,
                                           user=user)


@bp.post("/questions/letters/<letter_id:int>/return")
@endpoint("Return a letter to the dispatcher, with a reason", tags=TAGS, body=Return, response=StaffLetterOut,
          auth_roles=HANDLERS, raises=[errors.LetterNotFound, errors.StatusConflict])
async def send_back(request: Request, letter_id: int, *, body: Return, user: auth.CurrentUser):
    return await service_handling.send_back(letter_id, reason=body.reason, user=user)


@bp.post("/questions/letters/<letter_id:int>/reply")
@endpoint("Reply to a letter (the resident gets a subscribe message when they allowed one)", tags=TAGS,
          body=ReplyIn, response=StaffLetterOut, auth_roles=HANDLERS,
          raises=[errors.LetterNotFound, errors.StatusConflict])
async def reply(request: Request, letter_id: int, *, body: ReplyIn, user: auth.CurrentUser):
    return await service_handling.reply(letter_id, text=body.reply, user=user)


@bp.post("/questions/letters/<letter_id:int>/publish")
@endpoint("Publish a replied letter (only with the writer's consent; phone and 身份证 numbers masked)", tags=TAGS,
          body=PublishIn, response=StaffLetterOut, auth_roles=DISPATCHER,
          raises=[errors.LetterNotFound, errors.NotPublishable, errors.StatusConflict])
async def publish(request: Request, letter_id: int, *, body: PublishIn, user: auth.CurrentUser):
    return await service_publication.publish(letter_id, user=user, title=body.title, body=body.body)


@bp.post("/questions/letters/<letter_id:int>/entry")
@endpoint("Turn a published reply into a published 一号答 entry in one step", tags=TAGS, body=ToEntry,
          response=EntryRef, status=201, auth_roles=DISPATCHER,
          raises=[errors.NotPublishable, errors.AlreadyPublished, errors.UnknownCategory])
async def to_entry(request: Request, letter_id: int, *, body: ToEntry, user: auth.CurrentUser):
    return {"entry_id": await service_publication.to_entry(letter_id, user=user, category=body.category)}


@bp.post("/questions/letters/<letter_id:int>/adopt")
@endpoint("Adopt a 人民建议 suggestion, with a public note", tags=TAGS, body=Adopt, response=StaffLetterOut,
          auth_roles=DISPATCHER, raises=[errors.LetterNotFound, errors.StatusConflict])
async def adopt(request: Request, letter_id: int, *, body: Adopt, user: auth.CurrentUser):
    return await service_publication.adopt(letter_id, note=body.note, user=user)


@bp.get("/questions/stats/letters")
@endpoint("Letters per month, column and category: replied, on-time and satisfaction rates, overdue", tags=TAGS,
          query=LetterStatsQuery, response=LetterStats, auth_roles=HANDLERS)
async def stats(request: Request, *, query: LetterStatsQuery, user: auth.CurrentUser):
    return await service_letter_stats.letter_stats(first=query.from_, last=query.to)


@bp.post("/questions/campaigns")
@endpoint("Open a 人民建议 campaign", tags=TAGS, body=CampaignCreate, response=CampaignOut, status=201,
          auth_roles=ADMIN)
async def open_campaign(request: Request, *, body: CampaignCreate, user: auth.CurrentUser):
    return await service_columns.open_campaign(title=body.title, description=body.description,
                                               starts_on=body.starts_on, ends_on=body.ends_on)


@bp.patch("/questions/campaigns/<campaign_id:int>")
@endpoint("Correct a 人民建议 campaign's title, description or dates (only the fields sent change)", tags=TAGS,
          body=CampaignUpdate, response=CampaignOut, auth_roles=ADMIN, raises=[errors.CampaignNotFound])
async def update_campaign(request: Request, campaign_id: int, *, body: CampaignUpdate, user: auth.CurrentUser):
    return await service_columns.update_campaign(campaign_id, body.model_dump(exclude_unset=True))


@bp.post("/questions/campaigns/<campaign_id:int>/close")
@endpoint("Close a 人民建议 campaign: it takes no suggestion from today on", tags=TAGS, response=CampaignOut,
          auth_roles=ADMIN, raises=[errors.CampaignNotFound, errors.CampaignClosed])
async def close_campaign(request: Request, campaign_id: int, *, user: auth.CurrentUser):
    return await service_columns.close_campaign(campaign_id)


@bp.post("/questions/columns")
@endpoint("Add a letter column", tags=TAGS, body=ColumnCreate, response=ColumnOut, status=201, auth_roles=ADMIN,
          raises=[errors.ColumnExists])
async def create_column(request: Request, *, body: ColumnCreate, user: auth.CurrentUser):
    return await service_columns.create_column(body.model_dump())


@bp.patch("/questions/columns/<code:str>")
@endpoint("Rename, describe or hide a letter column", tags=TAGS, body=ColumnUpdate, response=ColumnOut,
          auth_roles=ADMIN, raises=[errors.ColumnNotFound])
async def update_column(request: Request, code: str, *, body: ColumnUpdate, user: auth.CurrentUser):
    return await service_columns.update_column(code, body.model_dump(exclude_unset=True))
