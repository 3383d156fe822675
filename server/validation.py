"""What the edge refuses before a request reaches a domain, and how it says so in Chinese.

pydantic checks each field against its model; three things it lets through would reach the
database and fail there (a 500): a NUL character in a string (PostgreSQL text cannot hold one),
an integer wider than the column (every id is a PostgreSQL ``integer``; SQLite stops at 64 bits)
and a float that is not finite. :func:`guard` refuses them field by field, the same way pydantic
refuses everything else. Each error keeps pydantic's English type as its ``code``; its
``message`` comes from :data:`MESSAGES`, the one table of Chinese wording.
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

# PostgreSQL ``integer``: the type of every id column, so every id a request names fits in it.
# A field that takes wider numbers says so with its own bounds (``Field(le=...)``).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

MESSAGES: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "string_unicode": "应为有效的 Unicode 字符串",
    "string_contains_nul": "不能包含空字符（\\u0000）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_parsing_size": "整数超出范围",
    "int_from_float": "应为整数，不能带小数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "应为布尔值（true 或 false）",
    "bool_parsing": "应为布尔值（true 或 false）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应大于或等于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应小于或等于 {le}",
    "multiple_of": "应为 {multiple_of} 的整数倍",
    "literal_error": "应为以下取值之一：{expected}",
    "enum": "应为以下取值之一：{expected}",
    "list_type": "应为数组",
    "tuple_type": "应为数组",
    "set_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "datetime_type": "应为日期时间（ISO 8601）",
    "datetime_parsing": "日期时间格式不正确，应为 ISO 8601（如 2026-12-07T09:00:00+08:00）",
    "datetime_from_date_parsing": "日期时间格式不正确，应为 ISO 8601（如 2026-12-07T09:00:00+08:00）",
    "time_type": "应为时间（HH:MM）",
    "time_parsing": "时间格式不正确，应为 HH:MM",
    "timezone_aware": "日期时间须带时区",
    "timezone_naive": "日期时间不能带时区",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "UUID 格式不正确",
    "url_type": "应为网址",
    "url_parsing": "网址格式不正确",
    "url_scheme": "网址协议不受支持",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 字符串",
    "none_required": "应为 null",
    "union_tag_invalid": "类型标记无效",
    "union_tag_not_found": "缺少类型标记",
    "is_instance_of": "取值类型不正确",
    "frozen_field": "该字段不能修改",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
}
FALLBACK = "取值无效"
_OWN_MESSAGE = ("value_error", "assertion_error")  # our validators' own (Chinese) words


def message_for(error: ErrorDetails) -> str:
    """The Chinese message of one pydantic error: our validators' own words, or the table's."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _OWN_MESSAGE and "error" in ctx:
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
