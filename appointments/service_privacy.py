"""PIPL account deletion: a deleted account's bookings lose their personal data."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments import notices, repository
from appointments.present import CONTEXTS
from appointments.tables import Booking, BookingPerson, Rating
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
    pending = await Booking.filter(account_id=user_id, status="booked").using_db(conn)
    await repository.lock_slots(conn, [b.slot_id for b in pending])
    for booking in pending:
        changed = await Booking.filter(id=booking.id, status="booked").using_db(conn).update(
            status="cancelled", cancelled_at=now, cancelled_by="system", cancel_reason=ERASED_REASON,
            updated_at=now)
        if changed:
            await repository.free_seats(conn, booking.slot_id)
            await notices.withdrawn(booking.id, conn=conn)
    hashes = await Booking.filter(account_id=user_id, id_hash__isnull=False).using_db(conn).distinct() \
        .values_list("id_hash", flat=True)
    # The lock rows are keyed by the 身份证's hash; a later booking for that person recreates one.
    await BookingPerson.filter(id_hash__in=list(hashes)).using_db(conn).delete()
    await Booking.filter(account_id=user_id).using_db(conn).update(
        name_enc=None, id_number_enc=None, phone_enc=None, id_hash=None, idempotency_key=None, updated_at=now)
    booking_ids = await Booking.filter(account_id=user_id).using_db(conn).values_list("id", flat=True)
    await Rating.filter(booking_id__in=list(booking_ids)).using_db(conn).update(comment="", updated_at=now)


BOOKING_PII = (
    pii_rotation.EncryptedColumn("name_enc", CONTEXTS["name"]),
    pii_rotation.EncryptedColumn("id_number_enc", CONTEXTS["id_number"], hash_column="id_hash", hash_kind="id_number"),
    pii_rotation.EncryptedColumn("phone_enc", CONTEXTS["phone"]),
)


async def rekey(*, check: bool, progress: pii_rotation.Progress | None = None) -> dict[str, int]:
    """``bianmin rotate-pii-key``: the people bookings are for (name, 身份证 and its lookup hash, phone)."""
    return {"bookings": await pii_rotation.rekey(Booking, BOOKING_PII, check=check, progress=progress)}

