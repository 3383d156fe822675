"""身份证 booked from too many accounts (a sign of 黄牛): the refusals recorded and the list staff review.

A booking refused with 409 too_many_accounts is recorded after its transaction rolled back, one
row per hall, person (keyed hash), month and account, with the 身份证 only masked. Staff read,
for their hall and a month, each such 身份证 with how many accounts booked or tried it and when
it was first and last seen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from appointments import repository
from appointments.model import month_bounds
from appointments.service_halls import zone_of
from appointments.tables import Booking, SharedIdRefusal
from server import clock, pii


async def record_refusal(*, hall_id: int, person: str, id_hash: str, account_id: int, day: dt.date) -> None:
    """Remember that `account_id` was refused a booking for `person` (too_many_accounts) at the hall."""
    await repository.upsert_refusal(hall_id=hall_id, id_hash=id_hash, month=month_bounds(day)[0],
                                    account_id=account_id, id_masked=pii.mask_id_number(person), now=clock.now())


async def shared_ids(hall_id: int, *, month: dt.date | None) -> list[dict[str, Any]]:
    """GET /staff/halls/{id}/shared-ids?month=: the month's refused 身份证 at the hall, latest first."""
    hall = await repository.hall_or_404(hall_id)
    first, last = month_bounds(month or clock.now().astimezone(zone_of(hall)).date())
    refused = await SharedIdRefusal.filter(hall_id=hall.id, month=first)
    hashes = sorted({row.id_hash for row in refused})
    # Every hall's refusals and bookings count: the rule itself counts across the district.
    everywhere = await SharedIdRefusal.filter(id_hash__in=hashes, month=first)
    booked = await Booking.filter(id_hash__in=hashes, day__gte=first, day__lte=last) \
        .values_list("id_hash", "account_id", "created_at")
    seen: dict[str, list[dt.datetime]] = defaultdict(list)
    accounts: dict[str, set[int]] = defaultdict(set)
    attempts: dict[str, int] = defaultdict(int)
    for row in everywhere:
        accounts[row.id_hash].add(row.account_id)
        seen[row.id_hash] += [row.first_at, row.last_at]
        attempts[row.id_hash] += row.attempts
    for id_hash, account_id, created_at in booked:
        accounts[id_hash].add(account_id)
        seen[id_hash].append(created_at)
    masks = {row.id_hash: row.id_masked for row in refused}
    listed = [{"id_number": masks[h], "month": f"{first:%Y-%m}", "accounts": len(accounts[h]),
               "refused_attempts": attempts[h], "first_seen": min(seen[h]), "last_seen": max(seen[h])}
              for h in hashes]
    return sorted(listed, key=lambda item: item["last_seen"], reverse=True)
