"""PIPL account deletion: a deleted account's bookings lose their personal data at once.

Name, 身份证 and phone are erased when the account is deleted. What the booking rules need to
keep holding for that 身份证 (its keyed hash, never the number, and the bookings' facts: hall,
day, status, slot time, account) stays as long as the rules look back, so that deleting the
account and logging in again resets neither the quotas, nor the no-show block, nor the
anti-scalping counts (PIPL art. 19 allows the retention the purpose needs). A daily job then
clears those hashes (:func:`forget_erased`).
"""

from __future__ import annotations

import datetime as dt

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import notices, repository
from appointments.model import HallRules, history_days
from appointments.present import CONTEXTS
from appointments.service_halls import rules_of
from appointments.tables import Booking, BookingAccount, Hall, Rating, SharedIdRefusal
from server import clock, pii_rotation, storage

ERASED_REASON = "账号注销"


async def erase(user_id: int, *, using_db: BaseDBAsyncClient | None = None) -> None:
    """Cancel the account's pending bookings (freeing their seats) and wipe every booking's person."""
    if using_db is None:
        async with storage.transaction() as conn:
            await _erase(user_id, conn)
    else:
        await _erase(user_id, using_db)


async def _erase(user_id: int, conn: BaseDBAsyncClient) -> None:
    now = clock.now()
    # First the account's lock row (it will never book again), then slots: a booking's order.
    await BookingAccount.filter(account_id=user_id).using_db(conn).delete()
    # Only bookings still ahead: one past its check-in deadline is a no-show (the worker marks it),
    # and cancelling it would lift the no-show block.
    pending = await Booking.filter(account_id=user_id, status="booked", checkin_deadline__gte=now).using_db(conn)
    await repository.lock_slots(conn, [b.slot_id for b in pending])
    for booking in pending:
        changed = await Booking.filter(id=booking.id, status="booked").using_db(conn).update(
            status="cancelled", cancelled_at=now, cancelled_by="system", cancel_reason=ERASED_REASON,
            updated_at=now)
        if changed:
            await repository.free_seats(conn, booking.slot_id)
            await notices.withdrawn(booking.id, conn=conn)
    # The keyed hash and the facts stay for the rules (see the module docstring); the person goes.
    await Booking.filter(account_id=user_id).using_db(conn).update(
        name_enc=None, id_number_enc=None, phone_enc=None, idempotency_key=None, erased_at=now, updated_at=now)
    await Booking.filter(account_id=user_id, cancelled_by="resident").using_db(conn).update(cancel_reason=None)
    booking_ids = await Booking.filter(account_id=user_id).using_db(conn).values_list("id", flat=True)
    await Rating.filter(booking_id__in=list(booking_ids)).using_db(conn).update(comment="", updated_at=now)


async def retention_days() -> int:
    """How long a deleted account's 身份证 hashes are kept: as far back as any hall's rules look."""
    halls = await Hall.all().only("id", "rules")
    return max((history_days(rules_of(hall)) for hall in halls), default=history_days(HallRules()))


async def forget_erased() -> int:
    """Daily job: clear the hashes kept after account deletion that no rule reads any more; returns how many."""
    cutoff = clock.now() - dt.timedelta(days=await retention_days())
    async with storage.transaction() as conn:
        expired = Booking.filter(erased_at__isnull=False, id_hash__isnull=False, slot_start__lt=cutoff)
        hashes = await expired.using_db(conn).distinct().values_list("id_hash", flat=True)
        cleared = await expired.using_db(conn).update(id_hash=None)
        await repository.drop_person_locks(conn, list(hashes))
        await SharedIdRefusal.filter(last_at__lt=cutoff).using_db(conn).delete()
    return cleared


BOOKING_PII = (
    pii_rotation.EncryptedColumn("name_enc", CONTEXTS["name"]),
    pii_rotation.EncryptedColumn("id_number_enc", CONTEXTS["id_number"], hash_column="id_hash", hash_kind="id_number"),
    pii_rotation.EncryptedColumn("phone_enc", CONTEXTS["phone"]),
)


async def rekey(*, check: bool, progress: pii_rotation.Progress | None = None) -> dict[str, int]:
    """``bianmin rotate-pii-key``: the people bookings are for (name, 身份证 and its lookup hash, phone)."""
    return {"bookings": await pii_rotation.rekey(Booking, BOOKING_PII, check=check, progress=progress)}

