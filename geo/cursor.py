"""Opaque page cursors for POI lists (keyset pagination, no offsets).

A nearby cursor carries the exact float distance and id of the last item (the index compares
``(distance, id)`` pairs, so a rounded distance would skip or repeat points at page edges); a
listing cursor carries the last id. Both carry the ``scope`` of the query that issued them (a
hash of its point, radius, viewport and filters): a cursor sent with another query would start
its page at a distance or id that means nothing there, so it is refused. Cursors travel as
server/paging.py's cursors, like every other listing's.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from typing import Literal

from server import paging
from server.paging import CursorValue

CursorKind = Literal["nearby", "ids"]
_TAGS = {"nearby": "n", "ids": "i"}
_KINDS = {tag: kind for kind, tag in _TAGS.items()}


class CursorError(ValueError):
    """A cursor that this server did not issue (or that was altered)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the previous page ended: ``distance_m`` is set only for nearby cursors."""

    kind: CursorKind
    last_id: int
    distance_m: float | None = None
    scope: str = ""


def scope_of(*query: object) -> str:
    """The scope of a query from the values that define its result (never the page size or cursor)."""
    digest = hashlib.blake2b(repr(query).encode(), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode()


def encode(cursor: Cursor) -> str:
    """The opaque string form of a cursor (server/paging.py's codec, as every listing's)."""
    key: list[CursorValue] = [_TAGS[cursor.kind], cursor.last_id]
    if cursor.kind == "nearby":
        key.append(cursor.distance_m)  # json writes the shortest repr that reads back to the same float
    return paging.encode_cursor(key, scope=cursor.scope)


def decode(text: str) -> Cursor:
    """Parse :func:`encode` output; raises :class:`CursorError` for anything else."""
    try:
        scope, parts = paging.read_cursor(text)
    except paging.InvalidCursor:
        raise CursorError("cursor is not valid") from None
    kind = _KINDS.get(parts[0]) if parts and isinstance(parts[0], str) else None
    if kind == "ids" and len(parts) == 2 and _is_int(parts[1]):
        return Cursor(kind="ids", last_id=int(parts[1]), scope=scope)  # type: ignore[arg-type]
    if kind == "nearby" and len(parts) == 3 and _is_int(parts[1]) and _is_distance(parts[2]):
        return Cursor(kind="nearby", last_id=int(parts[1]), distance_m=float(parts[2]), scope=scope)  # type: ignore[arg-type]
    raise CursorError("cursor is not valid")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_distance(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
