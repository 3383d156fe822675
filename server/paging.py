"""Keyset paging for every listing: one cursor codec and one "newest first, after this key" helper.

A cursor is URL-safe base64 of ``[scope, [key...]]``: the key of the last row a page showed (for
example its publication time and id) and the ``scope`` of the listing that issued it, so a cursor
sent to another listing or sort order is refused instead of starting a page somewhere meaningless.
Listings never use offsets: a row inserted while a resident pages does not shift the next page.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from server import errors

CursorValue = str | int | float | bool | None
MAX_CURSOR_CHARS = 512
_CURSOR_RE = re.compile(r"[A-Za-z0-9_-]+")
Row = TypeVar("Row")


class InvalidCursor(errors.ValidationFailed):
    code = "invalid_cursor"
    message = "分页游标无效，请从第一页重新开始"

    def __init__(self, reason: str = "cursor is not valid") -> None:
        super().__init__(details={"fields": [{"field": "cursor", "in": "query", "code": self.code,
                                              "message": reason}]})


def encode_cursor(key: Sequence[CursorValue], *, scope: str = "") -> str:
    """The opaque URL-safe token of a keyset position, e.g. ``(published_at_iso, id)``."""
    for value in key:
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"cursor values must be JSON scalars, not {type(value).__name__}")
    payload = json.dumps([scope, list(key)], ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode("ascii")


def decode_cursor(token: str, *, scope: str = "") -> tuple[CursorValue, ...]:
    """The key inside a cursor of this scope; :class:`InvalidCursor` for anything else."""
    found_scope, key = read_cursor(token)
    if found_scope != scope:
        raise InvalidCursor("cursor belongs to a different listing or sort order")
    return key


def read_cursor(token: str) -> tuple[str, tuple[CursorValue, ...]]:
    """The scope and key inside a cursor, for listings that explain a scope mismatch themselves."""
    if len(token) > MAX_CURSOR_CHARS or not _CURSOR_RE.fullmatch(token):
        # b64decode would silently skip characters outside the alphabet.
        raise InvalidCursor("cursor is empty, too long or not base64url")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        decoded = json.loads(raw.decode(), parse_constant=_reject_constant)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor() from exc
    if not _is_payload(decoded):
        raise InvalidCursor()
    return decoded[0], tuple(decoded[1])


def moment_and_id(cursor: str | None, *, scope: str) -> tuple[datetime, int] | None:
    """The ``(time, id)`` position of a newest-first cursor, or None on the first page."""
    if not cursor:
        return None
    key = decode_cursor(cursor, scope=scope)
    try:
        stamp, row_id = key
        return datetime.fromisoformat(str(stamp)), int(row_id)  # type: ignore[arg-type]
    except (ValueError, TypeError, OverflowError):
        raise InvalidCursor() from None


def next_cursor(moment: datetime, row_id: int, *, scope: str) -> str:
    """The cursor of a newest-first page that ended at ``(moment, row_id)``."""
    return encode_cursor((moment.isoformat(), row_id), scope=scope)


async def newest_first(query: QuerySet[Any], *, field: str, cursor: str | None, scope: str,
                       limit: int) -> tuple[list[Any], str | None]:
    """One page of ``query`` ordered by ``field`` then id, both descending, after the cursor's row.

    Answers the rows and the next page's cursor (None on the last page).
    """
    position = moment_and_id(cursor, scope=scope)
    if position is not None:
        moment, last_id = position
        query = query.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "id__lt": last_id}))
    rows = await query.order_by(f"-{field}", "-id").limit(limit + 1)
    page = list(rows[:limit])
    if len(rows) <= limit:
        return page, None
    last = page[-1]
    return page, next_cursor(getattr(last, field), last.id, scope=scope)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in a cursor")


def _is_payload(value: object) -> bool:
    return (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], list)
            and all(v is None or isinstance(v, (str, int, float, bool)) for v in value[1]))
