"""好差评: residents rate a completed booking once within 7 days; the hall follows up the bad ones."""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from appointments import errors, repository
from appointments.model import rating_closes
from appointments.present import CONTEXTS
from appointments.service_changes import own_booking
from appointments.tables import Booking, Rating
from server import audit, clock, pii_vault
from server.auth import CurrentUser

DISSATISFIED_AT_MOST = 2


def _view(row: Rating) -> dict[str, Any]:
    return {"id": row.id, "booking_id": row.booking_id, "hall_id": row.hall_id, "score": row.score,
            "comment": row.comment, "dissatisfied": row.score <= DISSATISFIED_AT_MOST,
            "follow_up_status": row.follow_up_status, "follow_up_note": row.follow_up_note,
            "created_at": row.created_at, "updated_at": row.updated_at}


async def rate(booking_id: int, *, user_id: int, score: int, comment: str) -> dict[str, Any]:
    """POST /bookings/{id}/rating: once, within 7 days of completion; score <= 2 needs a follow-up."""
    booking = await own_booking(booking_id, user_id)
    if booking.status != "completed" or booking.completed_at is None:
        raise errors.NotCompleted(details={"status": booking.status})
    closes = rating_closes(booking.completed_at)
    if clock.now() > closes:
        raise errors.RatingWindowClosed(details={"closed_at": closes.isoformat()})
    now = clock.now()
    status = "pending" if score <= DISSATISFIED_AT_MOST else "not_needed"
    try:
        rating = await Rating.create(booking_id=booking.id, hall_id=booking.hall_id, score=score, comment=comment,
                                     follow_up_status=status, created_at=now, updated_at=now)
    except IntegrityError:
        raise errors.AlreadyRated(details={"booking_id": booking.id}) from None
    return _view(rating)


async def list_ratings(hall_id: int, *, dissatisfied: bool | None,
                       follow_up_status: str | None) -> list[dict[str, Any]]:
    """GET /staff/halls/{id}/ratings: newest first; dissatisfied=true gives scores of 2 or less."""
    await repository.hall_or_404(hall_id)
    query = Rating.filter(hall_id=hall_id)
    if dissatisfied is True:
        query = query.filter(score__lte=DISSATISFIED_AT_MOST)
    elif dissatisfied is False:
        query = query.filter(score__gt=DISSATISFIED_AT_MOST)
    if follow_up_status:
        query = query.filter(follow_up_status=follow_up_status)
    return [_view(row) for row in await query.order_by("-created_at", "-id").limit(500)]


async def follow_up(rating_id: int, *, user: CurrentUser, status: str, note: str | None) -> dict[str, Any]:
    """PATCH /staff/ratings/{id}: record the hall's follow-up (回访) of a rating."""
    rating = await Rating.get_or_none(id=rating_id)
    if rating is None:
        raise errors.RatingNotFound(details={"rating_id": rating_id})
    if not user.can_serve(rating.hall_id):
        raise errors.HallForbidden(details={"hall_id": rating.hall_id})
    rating.follow_up_status = status
    if note is not None:
        rating.follow_up_note = note
    rating.followed_up_by = user.id
    rating.updated_at = clock.now()
    await rating.save(update_fields=["follow_up_status", "follow_up_note", "followed_up_by", "updated_at"])
    return _view(rating)


async def reveal_phone(rating_id: int, *, user: CurrentUser, reason: str) -> dict[str, Any]:
    """回访: one dissatisfied rating's phone number, unmasked, for the clerk who calls back, with a reason.

    The only place a booking's phone leaves the server unmasked. The request is written to the
    operation log as a reveal (who, which booking, why; never the number).
    """
    rating = await Rating.get_or_none(id=rating_id)
    if rating is None:
        raise errors.RatingNotFound(details={"rating_id": rating_id})
    if not user.can_serve(rating.hall_id):
        raise errors.HallForbidden(details={"hall_id": rating.hall_id})
    if rating.score > DISSATISFIED_AT_MOST:
        raise errors.RevealNotAllowed(details={"rating_id": rating_id})
    booking = await Booking.get(id=rating.booking_id)
    if not booking.phone_enc:
        raise errors.PhoneErased(details={"booking_id": booking.id})
    phone = pii_vault.vault().decrypt(booking.phone_enc, context=CONTEXTS["phone"])
    audit.note_reveal(target=f"booking:{booking.id}", fields=["phone"], reason=reason)
    return {"rating_id": rating.id, "booking_id": booking.id, "phone": phone}
