"""The question categories: a seeded vocabulary ({value, label}) that admins may reword, extend or hide."""

from __future__ import annotations

import re
from typing import Any

from tortoise.exceptions import IntegrityError

from questions import errors
from questions.tables import Category

CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")


async def labels(*, include_inactive: bool = True) -> dict[str, str]:
    """{code: label} in display order."""
    rows = Category.all() if include_inactive else Category.filter(is_active=True)
    return dict(await rows.order_by("position", "id").values_list("code", "label"))


async def options(*, include_inactive: bool = False) -> list[dict[str, Any]]:
    """GET /questions/categories: [{value, label}] in display order."""
    rows = Category.all() if include_inactive else Category.filter(is_active=True)
    return [{"value": c.code, "label": c.label, "is_active": c.is_active}
            for c in await rows.order_by("position", "id")]


async def check(code: str, *, field: str = "category") -> str:
    """The code of an active category (given by code or label), else 422 unknown_category."""
    found = await Category.filter(is_active=True).filter(code=code).first() or await Category.filter(
        is_active=True, label=code).first()
    if found is None:
        raise errors.UnknownCategory(details={"fields": [{"field": field, "in": "body", "code": "unknown_category",
                                                         "message": f"没有分类 {code}"}]})
    return found.code


async def create(*, code: str, label: str) -> dict[str, Any]:
    """POST /questions/categories (admins): a new category at the end of the list."""
    last = await Category.all().order_by("-position").first()
    try:
        row = await Category.create(code=code, label=label, position=(last.position + 1) if last else 0)
    except IntegrityError:
        raise errors.CategoryExists(details={"code": code}) from None
    return {"value": row.code, "label": row.label, "is_active": row.is_active}


async def update(code: str, *, label: str | None, is_active: bool | None) -> dict[str, Any]:
    """PATCH /questions/categories/{code} (admins): reword or hide; a code never changes."""
    row = await Category.get_or_none(code=code) if CODE.fullmatch(code) else None
    if row is None:
        raise errors.CategoryNotFound(details={"code": code})
    if label is not None:
        row.label = label
    if is_active is not None:
        row.is_active = is_active
    await row.save()
    return {"value": row.code, "label": row.label, "is_active": row.is_active}
