"""The one clock. Every "now" in bianmin comes from here, never from the database's now().

Tests move time with :func:`freeze` / :func:`advance`; production reads the system clock.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from server import config

_frozen: datetime | None = None
_offset = timedelta(0)
_offset_s = 0.0  # _offset in seconds, for timestamp()


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def timestamp() -> float:
    """The current instant in POSIX seconds: :func:`now` without building a datetime (hot paths)."""
    if _frozen is not None:
        return _frozen.timestamp()
    return time.time() + _offset_s


def local_now() -> datetime:
    """The current instant in the district's time zone (what people see)."""
    return now().astimezone(config.current().tz)


def today() -> date:
    """Today's date in the district's time zone."""
    return local_now().date()


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (tests only)."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    _frozen = at


def advance(delta: timedelta) -> None:
    """Move the clock forward (frozen or running) by ``delta`` (tests only)."""
    global _frozen, _offset, _offset_s
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta
        _offset_s = _offset.total_seconds()


def reset() -> None:
    """Back to the real system clock."""
    global _frozen, _offset, _offset_s
    _frozen = None
    _offset = timedelta(0)
    _offset_s = 0.0
