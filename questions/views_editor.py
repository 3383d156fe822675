"""Staff endpoints of 一号答: the knowledge base (editors, answerers in their departments), categories and
departments (admins), the direct-answer statistics."""

from __future__ import annotations

from sanic import Blueprint, Request

from questions import (
    errors,
    service_categories,
    service_departments,
    service_entries,
    service_stats,
)
from questions.schemas import (
    CategoryCreate,
    CategoryOption,
    CategoryUpdate,
    DepartmentCreate,
    DepartmentFields,
    DepartmentMemberOut,
    DepartmentMembers,
    DepartmentOut,
    DirectAnswers,
    EditableEntry,
    EditorEntriesPage,
    EditorEntriesQuery,
    EntryCreate,
    EntryFields,
    StatsQuery,
)
from server import auth
from server.api import endpoint

bp = Blueprint("questions_editor", url_prefix="/api/v1")
TAGS = ["questions: knowledge base"]
ADMIN_TAGS = ["questions: administration"]
KEEPERS = ("editor", "answerer")
ADMIN = "admin"


@bp.get("/questions/editor/entries")
@endpoint("Entries in any status (answerers: their departments'), newest first", tags=TAGS,
          query=EditorEntriesQuery, response=EditorEntriesPage, auth_roles=KEEPERS)
async def list_entries(request: Request, *, query: EditorEntriesQuery, user: auth.CurrentUser):
    return await service_entries.editor_entries(user=user, status=query.status, category=query.category,
                                                limit=query.limit, after=int(query.cursor) if query.cursor else None)


@bp.get("/questions/editor/entries/<entry_id:int>")
@endpoint("An entry as editors edit it", tags=TAGS, response=EditableEntry, auth_roles=KEEPERS,
          raises=[errors.EntryNotFound, errors.OutsideDepartment])
async def get_entry(request: Request, entry_id: int, *, user: auth.CurrentUser):
    return await service_entries.get_entry(entry_id, user=user)


@bp.post("/questions/entries")
@endpoint("Create a draft entry (answer in Markdown, sanitised)", tags=TAGS, body=EntryCreate,
          response=EditableEntry, status=201, auth_roles=KEEPERS,
          raises=[errors.UnknownCategory, errors.DepartmentNotFound, errors.OutsideDepartment])
async def create_entry(request: Request, *, body: EntryCreate, user: auth.CurrentUser):
    return await service_entries.create_entry(body.changes(), user=user)


@bp.patch("/questions/entries/<entry_id:int>")
@endpoint("Edit an entry (a published one is re-indexed at once)", tags=TAGS, body=EntryFields,
          response=EditableEntry, auth_roles=KEEPERS,
          raises=[errors.EntryNotFound, errors.UnknownCategory, errors.DepartmentNotFound, errors.OutsideDepartment])
async def update_entry(request: Request, entry_id: int, *, body: EntryFields, user: auth.CurrentUser):
    return await service_entries.update_entry(entry_id, body.changes(), user=user)


@bp.post("/questions/entries/<entry_id:int>/publish")
@endpoint("Publish an entry: into search and suggestions", tags=TAGS, response=EditableEntry,
          auth_roles=KEEPERS, raises=[errors.EntryNotFound, errors.StatusConflict, errors.OutsideDepartment])
async def publish_entry(request: Request, entry_id: int, *, user: auth.CurrentUser):
    return await service_entries.publish_entry(entry_id, user=user)


@bp.post("/questions/entries/<entry_id:int>/retire")
@endpoint("Retire an entry: out of search and off the public pages", tags=TAGS, response=EditableEntry,
          auth_roles=KEEPERS, raises=[errors.EntryNotFound, errors.StatusConflict, errors.OutsideDepartment])
async def retire_entry(request: Request, entry_id: int, *, user: auth.CurrentUser):
    return await service_entries.retire_entry(entry_id, user=user)


@bp.get("/questions/stats/direct-answers")
@endpoint("Direct-answer rate (solved by 一号答 ÷ asked) per month and category", tags=TAGS, query=StatsQuery,
          response=DirectAnswers, auth_roles=KEEPERS)
async def direct_answers(request: Request, *, query: StatsQuery, user: auth.CurrentUser):
    return await service_stats.direct_answers(first=query.from_, last=query.to)


@bp.post("/questions/categories")
@endpoint("Add a question category", tags=ADMIN_TAGS, body=CategoryCreate, response=CategoryOption, status=201,
          auth_roles=ADMIN, raises=[errors.CategoryExists])
async def create_category(request: Request, *, body: CategoryCreate, user: auth.CurrentUser):
    return await service_categories.create(code=body.code, label=body.label)


@bp.patch("/questions/categories/<code:str>")
@endpoint("Reword or hide a question category (its code never changes)", tags=ADMIN_TAGS, body=CategoryUpdate,
          response=CategoryOption, auth_roles=ADMIN, raises=[errors.CategoryNotFound])
async def update_category(request: Request, code: str, *, body: CategoryUpdate, user: auth.CurrentUser):
    return await service_categories.update(code, label=body.label, is_active=body.is_active)


@bp.get("/questions/departments")
@endpoint("Departments that answer letters", tags=ADMIN_TAGS, response=list[DepartmentOut],
          auth_roles=KEEPERS)
async def list_departments(request: Request, *, user: auth.CurrentUser):
    return await service_departments.list_departments(include_inactive=True)


@bp.post("/questions/departments")
@endpoint("Add a department", tags=ADMIN_TAGS, body=DepartmentCreate, response=DepartmentOut, status=201,
          auth_roles=ADMIN, raises=[errors.DepartmentExists])
async def create_department(request: Request, *, body: DepartmentCreate, user: auth.CurrentUser):
    return await service_departments.create_department(body.model_dump(exclude_none=True))


@bp.patch("/questions/departments/<department_id:int>")
@endpoint("Change a department (name, reply deadline, what it answers)", tags=ADMIN_TAGS, body=DepartmentFields,
          response=DepartmentOut, auth_roles=ADMIN, raises=[errors.DepartmentNotFound])
async def update_department(request: Request, department_id: int, *, body: DepartmentFields,
                            user: auth.CurrentUser):
    return await service_departments.update_department(department_id, body.model_dump(exclude_unset=True))


@bp.put("/questions/departments/<department_id:int>/members")
@endpoint("Set who answers for a department (answerer accounts) and who heads it", tags=ADMIN_TAGS, body=DepartmentMembers,
          response=list[DepartmentMemberOut], auth_roles=ADMIN, raises=[errors.DepartmentNotFound])
async def set_members(request: Request, department_id: int, *, body: DepartmentMembers, user: auth.CurrentUser):
    return await service_departments.set_members(department_id, [(m.user_id, m.is_head) for m in body.members])
