"""Check-in, tickets, no-shows and the no-show block on real stores (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest

from appointments import errors, service_checkin, service_ratings, service_slots, service_tickets
from appointments.tables import Booking
from server.auth import CurrentUser
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
    resident,
)


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


def clerk(world) -> CurrentUser:
    return CurrentUser(id=999, role="staff", halls=(world.hall_id,))


async def test_check_in_window_is_30_minutes_before_to_15_after(world):
    booking = await book(world, local(3, 11, 10), person())
    row = await Booking.get(id=booking["id"])
    token = service_checkin.checkin_token(row)
    freeze(local(3, 11, 9, 29))
    with pytest.raises(errors.TooEarly):
        await service_checkin.check_in(user=clerk(world), token=token, code=None)
    freeze(local(3, 11, 10, 15) + dt.timedelta(seconds=1))
    with pytest.raises(errors.TooLate):
        await service_checkin.check_in(user=clerk(world), token=token, code=None)
    freeze(local(3, 11, 9, 30))
    done = await service_checkin.check_in(user=clerk(world), token=token, code=None)
    assert done["ticket"]["label"] == "A001" and done["booking"]["status"] == "checked_in"
    with pytest.raises(errors.AlreadyCheckedIn):
        await service_checkin.check_in(user=clerk(world), token=None, code=booking["code"])


async def test_a_late_check_in_is_too_late_before_and_after_the_no_show_job(world):
    booking = await book(world, local(3, 11, 10), person())
    cancelled = await book(world, local(3, 11, 9), person())
    await Booking.filter(id=cancelled["id"]).update(status="cancelled")
    freeze(local(3, 11, 10, 16))
    with pytest.raises(errors.TooLate):
        await service_checkin.check_in(user=clerk(world), token=None, code=booking["code"])
    assert await service_tickets.mark_no_shows() == 1
    with pytest.raises(errors.TooLate) as late:
        await service_checkin.check_in(user=clerk(world), token=None, code=booking["code"])
    assert late.value.details == {"deadline": "2026-03-11T02:15:00+00:00"}
    with pytest.raises(errors.BookingNotActive):  # a cancelled booking was never a no-show
        await service_checkin.check_in(user=clerk(world), token=None, code=cancelled["code"])


async def test_tickets_are_numbered_per_hall_and_day_and_walk_ins_apart(world):
    first = await book(world, local(3, 11, 10), person())
    second = await book(world, local(3, 11, 10), person())
    freeze(local(3, 11, 9, 45))
    a1 = await service_checkin.check_in(user=clerk(world), token=None, code=first["code"].lower())
    w1 = await service_checkin.walk_in(world.hall_id, service_id=world.service_id)
    a2 = await service_checkin.check_in(user=clerk(world), token=None, code=second["code"])
    w2 = await service_checkin.walk_in(world.hall_id, service_id=None)
    assert [a1["ticket"]["label"], a2["ticket"]["label"], w1["label"], w2["label"]] == ["A001", "A002", "W001", "W002"]
    freeze(local(3, 12, 8))
    assert (await service_checkin.walk_in(world.hall_id, service_id=None))["label"] == "W001"


async def test_a_tampered_token_or_another_halls_clerk_is_refused(world):
    booking = await book(world, local(3, 11, 10), person())
    token = service_checkin.checkin_token(await Booking.get(id=booking["id"]))
    freeze(local(3, 11, 9, 45))
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(errors.InvalidCheckinToken):
        await service_checkin.check_in(user=clerk(world), token=forged, code=None)
    stranger = CurrentUser(id=5, role="staff", halls=(world.hall_id + 100,))
    with pytest.raises(errors.HallForbidden):
        await service_checkin.check_in(user=stranger, token=token, code=None)
    with pytest.raises(errors.BookingNotFound):
        await service_checkin.check_in(user=clerk(world), token=None, code="ZZZZZZZZ")


async def test_calling_completing_and_rating_follow_the_ticket(world):
    account = await resident()
    booking = await book(world, local(3, 11, 10), person(), account=account)
    freeze(local(3, 11, 9, 50))
    ticket = (await service_checkin.check_in(user=clerk(world), token=None, code=booking["code"]))["ticket"]
    with pytest.raises(errors.TicketStateConflict):
        await service_tickets.move_ticket(ticket["id"], "complete", user=clerk(world))
    called = await service_tickets.move_ticket(ticket["id"], "call", user=clerk(world), window="7")
    assert (called["status"], called["window"]) == ("serving", "7")
    queue = await service_tickets.queue(world.hall_id)
    assert queue["serving"] == [{"window": "7", "ticket": "A001"}] and queue["waiting"] == 0
    with pytest.raises(errors.NotCompleted):
        await service_ratings.rate(booking["id"], user_id=account, score=5, comment="")
    await service_tickets.move_ticket(ticket["id"], "complete", user=clerk(world))
    assert (await Booking.get(id=booking["id"])).status == "completed"
    freeze(local(3, 18, 10, 20))  # 7 days and a few minutes after completion at 10:1x
    with pytest.raises(errors.RatingWindowClosed):
        await service_ratings.rate(booking["id"], user_id=account, score=5, comment="")
    freeze(local(3, 18, 9, 49))
    rated = await service_ratings.rate(booking["id"], user_id=account, score=2, comment="等太久")
    assert rated["dissatisfied"] is True and rated["follow_up_status"] == "pending"
    with pytest.raises(errors.AlreadyRated):
        await service_ratings.rate(booking["id"], user_id=account, score=4, comment="")


async def test_missed_bookings_become_no_shows_and_two_block_booking_for_90_days(world):
    who = person()
    await book(world, local(3, 10, 9), who)
    await book(world, local(3, 11, 9), who)
    freeze(local(3, 11, 9, 16))  # both check-in deadlines (09:15) have passed; no job has run yet
    with pytest.raises(errors.BookingBlocked) as blocked:
        await book(world, local(3, 12, 9), who)
    # 90 days after the latest missed slot (03-11 09:00): 06-09 09:00.
    assert blocked.value.details == {"until": "2026-06-09T09:00:00+08:00"}
    assert await service_tickets.mark_no_shows() == 2
    assert await Booking.filter(status="no_show").count() == 2
    # Somebody else is not affected.
    assert (await book(world, local(3, 12, 9), person()))["status"] == "booked"
    freeze(local(6, 9, 8, 59))
    await service_slots.generate_for_hall(world.hall_id, first=dt.date(2026, 6, 10), last=dt.date(2026, 6, 10))
    with pytest.raises(errors.BookingBlocked):
        await book(world, local(6, 10, 9), who)
    freeze(local(6, 9, 9, 1))  # the block has ended by itself
    assert (await book(world, local(6, 10, 9), who))["status"] == "booked"


async def test_a_clerk_marks_a_no_show_only_once_the_slot_has_begun(world):
    booking = await book(world, local(3, 11, 10), person())
    freeze(local(3, 11, 9, 59))
    with pytest.raises(errors.SlotNotStarted):
        await service_tickets.booking_no_show(booking["id"], user=clerk(world))
    freeze(local(3, 11, 10, 5))
    marked = await service_tickets.booking_no_show(booking["id"], user=clerk(world))
    assert marked["status"] == "no_show"
    with pytest.raises(errors.BookingNotActive):
        await service_tickets.booking_no_show(booking["id"], user=clerk(world))
