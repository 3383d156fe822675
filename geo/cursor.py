"""Opaque page cursors for POI lists (keyset pagination, no offsets).

A nearby cursor carries the exact float distance and id of the last item (the index compares
``(distance, id)`` pairs, so a rounded distance would skip or repeat points at page edges); a
listing cursor carries the last id. Both carry the ``scope`` of the query that issued them (a
hash of its point, radius, viewport and filters): a cursor sent with another query would start
its page at a distance or id that means nothing there, so it is refused. Cursors travel as
URL-safe base64 of a small JSON array.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from dataclasses import dataclass
from typing import Literal

import orjson

CursorKind = Literal["nearby", "ids"]
_TAGS = {"nearby": "n", "ids": "i"}
_KINDS = {tag: kind for kind, tag in _TAGS.items()}
_URLSAFE = bytes.maketrans(b"+/", b"-_")


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
    """The opaque string form of a cursor."""
    parts: list[object] = [_TAGS[cursor.kind], cursor.last_id]
    if cursor.kind == "nearby":
        parts.append(cursor.distance_m)
    parts.append(cursor.scope)
    # orjson writes the shortest repr that reads back to the same float, so the distance survives.
    # (binascii and a translation table: base64.urlsafe_b64encode's two extra layers, per map page.)
    return binascii.b2a_base64(orjson.dumps(parts), newline=False).translate(_URLSAFE).rstrip(b"=").decode()


def decode(text: str) -> Cursor:
    """Parse :func:`encode` output; raises :class:`CursorError` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        parts = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise CursorError("cursor is not valid") from None
    if not isinstance(parts, list) or not parts or parts[0] not in _KINDS:
        raise CursorError("cursor is not valid")
    kind, scope = _KINDS[parts[0]], parts[-1]
    if not isinstance(scope, str):
        raise CursorError("cursor is not valid")
    if kind == "ids" and len(parts) == 3 and _is_int(parts[1]):
        return Cursor(kind="ids", last_id=parts[1], scope=scope)
    if kind == "nearby" and len(parts) == 4 and _is_int(parts[1]) and _is_distance(parts[2]):
        return Cursor(kind="nearby", last_id=parts[1], distance_m=float(parts[2]), scope=scope)
    raise CursorError("cursor is not valid")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_distance(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
