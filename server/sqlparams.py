"""SQL parameters for both databases: one placeholder binder for hand-written statements.

Statements that matter for speed or concurrency are written by hand. PostgreSQL numbers its
parameters ``$1`` (and a SELECT list needs their type: ``$1::int``); SQLite numbers them ``?1``
and stores times as text, the way Tortoise writes them. :class:`Params` writes the right
placeholder as a statement is built; :func:`for_dialect` adapts a statement written with ``$n``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Dialect = Literal["postgres", "sqlite"]
_NUMBERED = re.compile(r"\$(\d+)")


@dataclass
class Params:
    """Numbered placeholders for one statement, so one value can appear several times in its text."""

    dialect: Dialect
    values: list[Any] = field(default_factory=list)

    def __call__(self, value: Any, pg_type: str = "int") -> str:
        """A placeholder for ``value``; PostgreSQL gets an explicit type, as SELECT lists need one."""
        self.values.append(value)
        number = len(self.values)
        return f"${number}::{pg_type}" if self.dialect == "postgres" else f"?{number}"

    def many(self, values: Sequence[Any]) -> str:
        """An IN list (SQLite) or = ANY(array) (PostgreSQL) operand, including the operator."""
        if self.dialect == "postgres":
            return f"= ANY({self(list(values), 'text[]')})"
        return "IN (" + ", ".join(self(v) for v in values) + ")"


def for_dialect(statement: str, values: Sequence[Any], dialect: Dialect) -> tuple[str, list[Any]]:
    """A statement written with ``$n`` placeholders, and its values, as ``dialect`` takes them."""
    if dialect == "postgres":
        return statement, list(values)
    return _NUMBERED.sub(r"?\1", statement), [_sqlite_value(value) for value in values]


def _sqlite_value(value: Any) -> Any:
    # Dates and times go in the text form Tortoise stores (UTC, space-separated).
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
