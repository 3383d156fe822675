"""What the edge refuses before a request reaches a domain, and how it says so in Chinese.

pydantic checks each field against its model; three things it lets through would reach the
database and fail there (a 500): a NUL character in a string (PostgreSQL text cannot hold one),
an integer wider than the column (every id is a PostgreSQL ``integer``; SQLite stops at 64 bits)
and a float that is not finite. :func:`guard` refuses them field by field, the same way pydantic
refuses everything else. Each error keeps pydantic's English type as its ``code``; its
``message`` comes from :data:`~server.validation_messages.MESSAGES`, the one table of Chinese wording.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Iterator
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from server import errors
from server.validation_messages import FALLBACK, MESSAGES

# PostgreSQL ``integer``: the type of every id column, so every id a request names fits in it.
# A field that takes wider numbers says so with its own bounds (``Field(le=...)``).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

_OWN_MESSAGE = ("value_error", "assertion_error")  # our validators' own (Chinese) words
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def message_for(error: ErrorDetails) -> str:
    """The Chinese message of one pydantic error: our validators' own words, or the table's.

    A validator's words are shown only when they are Chinese: a ValueError raised by a library
    (``int()``, ``date.fromisoformat``) or by an ``assert`` says nothing a resident can read.
    """
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _OWN_MESSAGE and _HAN.search(str(ctx.get("error", ""))):
        return str(ctx["error"])
    template = MESSAGES.get(kind)
    if template is None:
        return FALLBACK
    values = {key: _shown(value) for key, value in ctx.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].rstrip("：: ") or FALLBACK


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 180, not 180.0
    # pydantic's "'a', 'b' or 'c'" becomes "'a'、'b'、'c'".
    return re.sub(r"(?:, | or )(?=')", "、", str(value))


def field_error(loc: tuple[Any, ...], *, location: str, code: str, message: str) -> dict[str, str]:
    return {"field": ".".join(str(p) for p in loc) or location, "in": location, "code": code, "message": message}


def validation_error(exc: ValidationError, *, location: str) -> errors.ValidationFailed:
    """pydantic's errors as one 422: each field named, with its English code and a Chinese message."""
    fields = [field_error(err["loc"], location=location, code=err["type"], message=message_for(err))
              for err in exc.errors(include_url=False)]
    return errors.ValidationFailed(details={"fields": fields})


def check(model: BaseModel, *, location: str) -> None:
    """422 for what pydantic accepted but storage cannot hold (see the module's docstring)."""
    problems = list(guard(model, ()))
    if problems:
        raise errors.ValidationFailed(details={"fields": [
            field_error(loc, location=location, code=code, message=MESSAGES[code].format(**ctx))
            for loc, code, ctx in problems]})


Problem = tuple[tuple[Any, ...], str, dict[str, Any]]
Bounds = tuple[bool, bool]


def guard(value: Any, loc: tuple[Any, ...], *, own: Bounds = (False, False)) -> Iterator[Problem]:
    """Every NUL-holding string, out-of-range integer and non-finite float inside ``value``.

    ``own`` says whether the field holding ``value`` declares its own (lower, upper) bound.
    """
    if isinstance(value, BaseModel):
        declared = _declared_bounds(type(value))
        for name, alias in _names(type(value)):
            yield from guard(getattr(value, name), (*loc, alias), own=declared[name])
    elif isinstance(value, str):
        if "\x00" in value:
            yield loc, "string_contains_nul", {}
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if value > INT_MAX and not own[1]:
            yield loc, "less_than_equal", {"le": INT_MAX}
        elif value < INT_MIN and not own[0]:
            yield loc, "greater_than_equal", {"ge": INT_MIN}
    elif isinstance(value, float):
        if not math.isfinite(value):
            yield loc, "finite_number", {}
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from guard(key, (*loc, key), own=own)
            yield from guard(item, (*loc, key), own=own)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            yield from guard(item, (*loc, index), own=own)


_bounds: dict[type[BaseModel], dict[str, Bounds]] = {}
_aliases: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}
_LOWER = (annotated_types.Gt, annotated_types.Ge)
_UPPER = (annotated_types.Lt, annotated_types.Le)


def _names(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    names = _aliases.get(model)
    if names is None:
        names = _aliases[model] = tuple((name, info.alias or name) for name, info in model.model_fields.items())
    return names


def _declared_bounds(model: type[BaseModel]) -> dict[str, Bounds]:
    """{field: (declares a lower bound, declares an upper bound)}, computed once per model."""
    found = _bounds.get(model)
    if found is None:
        found = _bounds[model] = {name: _bounds_of([*info.metadata, info.annotation])
                                  for name, info in model.model_fields.items()}
    return found


def _bounds_of(items: typing.Iterable[Any]) -> Bounds:
    """Bounds in field metadata, also inside the type (``list[Annotated[int, Field(le=...)]]``)."""
    lower = upper = False
    for item in items:
        if isinstance(item, annotated_types.Interval):
            lower, upper = lower or item.gt is not None or item.ge is not None, \
                upper or item.lt is not None or item.le is not None
            continue
        lower, upper = lower or isinstance(item, _LOWER), upper or isinstance(item, _UPPER)
        nested = [*getattr(item, "metadata", ()), *typing.get_args(item)]
        if typing.get_origin(item) is typing.Annotated:
            nested.extend(item.__metadata__)
        if nested and not isinstance(item, str):
            inner = _bounds_of(nested)
            lower, upper = lower or inner[0], upper or inner[1]
    return lower, upper


def path_int(text: str) -> int:
    """The router's ``<name:int>``: an integer that fits an id column, or no route matches (404)."""
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError("out of range")
    return value
