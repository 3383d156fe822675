"""Slots this process has just seen full, so the rush on a popular slot is refused from memory.

When next week's slots open, thousands of residents press "book" on the same few slots; once a
slot is full every further request would cost a database read only to answer 409 slot_full.
A slot seen full (by the read before booking or by the conditional UPDATE) is refused here for
``FULL_FOR_S``. Never a risk of overbooking: this only refuses, and the conditional UPDATE stays
the guarantee. A seat freed by this process (a cancellation, a reschedule, more capacity, a slot
reopened) is offered again at once; one freed by another worker within ``FULL_FOR_S``.
"""

from __future__ import annotations

import time

FULL_FOR_S = 1.0
_MAX_ENTRIES = 10_000
_full: dict[int, tuple[int, float]] = {}  # slot id -> (its service id, refuse until: monotonic seconds)
_monotonic = time.monotonic


def is_full(slot_id: int, service_id: int) -> bool:
    """Whether the slot was seen full within the last ``FULL_FOR_S`` (for this service item)."""
    entry = _full.get(slot_id)
    return entry is not None and entry[0] == service_id and entry[1] > _monotonic()


def seen_full(slot_id: int, service_id: int) -> None:
    """Remember that the slot had no seat left just now."""
    if len(_full) >= _MAX_ENTRIES:
        _full.clear()
    _full[slot_id] = (service_id, _monotonic() + FULL_FOR_S)


def seats_changed(*slot_ids: int) -> None:
    """Seats were freed or added on these slots: offer them again now."""
    for slot_id in slot_ids:
        _full.pop(slot_id, None)


def forget() -> None:
    """Drop everything (the database was emptied under this process: tests)."""
    _full.clear()
