"""Departments that answer, their members (role answerer) and heads, and who may act for which."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.exceptions import IntegrityError

from questions import errors
from questions.tables import Department, DepartmentMember
from server import storage
from server.auth import CurrentUser
from server.tables import User

EVERY_DEPARTMENT_ROLES = ("editor", "admin")


def department_view(dept: Department) -> dict[str, Any]:
    return {"id": dept.id, "code": dept.code, "name": dept.name, "reply_days": dept.reply_days,
            "categories": list(dept.categories or []), "divisions": list(dept.divisions or []),
            "is_active": dept.is_active}


async def list_departments(*, include_inactive: bool = False) -> list[dict[str, Any]]:
    """Every (active) department, by code."""
    rows = Department.all() if include_inactive else Department.filter(is_active=True)
    return [department_view(d) for d in await rows.order_by("code")]


async def department_or_404(department_id: int) -> Department:
    dept = await Department.get_or_none(id=department_id)
    if dept is None:
        raise errors.DepartmentNotFound(details={"department_id": department_id})
    return dept


async def create_department(fields: Mapping[str, Any]) -> dict[str, Any]:
    """POST /questions/departments (admins)."""
    try:
        dept = await Department.create(**fields)
    except IntegrityError:
        raise errors.DepartmentExists(details={"code": fields.get("code")}) from None
    return department_view(dept)


async def update_department(department_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /questions/departments/{id} (admins)."""
    dept = await department_or_404(department_id)
    for name, value in changes.items():
        setattr(dept, name, value)
    await dept.save()
    return department_view(dept)


async def set_members(department_id: int, members: Sequence[tuple[int, bool]]) -> list[dict[str, Any]]:
    """PUT /questions/departments/{id}/members: (user id, is head) pairs replace the members."""
    await department_or_404(department_id)
    ids = [user_id for user_id, _head in members]
    found = set(await User.filter(id__in=ids, role__in=("answerer", "editor", "admin")).values_list("id", flat=True))
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise errors.ValidationFailed.field("members", f"账号不存在或不是答复人员：{unknown}")
    async with storage.transaction() as conn:
        await DepartmentMember.filter(department_id=department_id).using_db(conn).delete()
        for user_id, head in dict(members).items():
            await DepartmentMember.create(department_id=department_id, user_id=user_id, is_head=head, using_db=conn)
    return await members_of(department_id)


async def members_of(department_id: int) -> list[dict[str, Any]]:
    rows = await DepartmentMember.filter(department_id=department_id).order_by("user_id")
    return [{"user_id": m.user_id, "is_head": m.is_head} for m in rows]


async def answerer_accounts() -> list[dict[str, Any]]:
    """The accounts that may be a department's members (answerers, editors, admins), without personal data."""
    rows = User.filter(role__in=("answerer", "editor", "admin"), is_active=True).order_by("role", "username")
    return [{"id": u.id, "username": u.username, "role": u.role} for u in await rows]


async def heads_of(department_id: int) -> list[int]:
    """User ids of the department's heads (who get escalations)."""
    return list(await DepartmentMember.filter(department_id=department_id, is_head=True).values_list(
        "user_id", flat=True))


async def scope_of(user: CurrentUser) -> set[int] | None:
    """The departments ``user`` acts for; None for every department (editors, admins)."""
    if user.role in EVERY_DEPARTMENT_ROLES:
        return None
    return set(await DepartmentMember.filter(user_id=user.id).values_list("department_id", flat=True))


async def require_department(user: CurrentUser, department_id: int | None) -> None:
    """403 outside_department unless ``user`` acts for that department (None: only the unscoped)."""
    scope = await scope_of(user)
    if scope is not None and department_id not in scope:
        raise errors.OutsideDepartment(details={"department_id": department_id})


async def names() -> dict[int, str]:
    return dict(await Department.all().values_list("id", "name"))
