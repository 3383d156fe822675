"""Cancel and reschedule on real stores: deadlines, seats, quotas, and reminders going with the booking."""

from __future__ import annotations

import datetime as dt

import pytest

from appointments import errors, service_changes
from appointments.tables import Booking, Slot
from server import clock
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    book,
    freeze,
    local,
    make_hall,
    person,
    pushes,
    resident,
    slot_at,
)


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


async def test_cancelling_frees_the_seat_and_cancels_pending_reminders_in_the_same_change(world):
    account = await resident()
    booking = await book(world, local(3, 11, 10), person(), account=account)
    assert len(await pushes(purpose="booking_reminder", status="pending")) == 2
    cancelled = await service_changes.cancel(booking["id"], user_id=account, reason="临时有事")
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_by"] == "resident"
    assert cancelled["cancel_reason"] == "临时有事"
    assert (await Slot.get(id=booking["slot"]["id"])).booked == 0
    assert await pushes(purpose="booking_reminder", status="pending") == []
    assert len(await pushes(purpose="booking_reminder", status="cancelled")) == 2
    # A retry of the same cancellation changes nothing and does not fail.
    assert (await service_changes.cancel(booking["id"], user_id=account, reason=""))["status"] == "cancelled"
    assert (await Slot.get(id=booking["slot"]["id"])).booked == 0


async def test_cancellation_closes_one_hour_before_the_slot(world):
    account = await resident()
    booking = await book(world, local(3, 11, 10), person(), account=account)
    freeze(local(3, 11, 9, 1))
    with pytest.raises(errors.CancellationClosed):
        await service_changes.cancel(booking["id"], user_id=account, reason="")
    freeze(local(3, 11, 9, 0))
    assert (await service_changes.cancel(booking["id"], user_id=account, reason=""))["status"] == "cancelled"


async def test_only_the_owner_may_cancel(world):
    booking = await book(world, local(3, 11, 10), person())
    with pytest.raises(errors.BookingNotFound):
        await service_changes.cancel(booking["id"], user_id=await resident(), reason="")


async def test_reschedule_moves_the_seat_and_the_reminders(world):
    account = await resident()
    booking = await book(world, local(3, 11, 10), person(), account=account)
    old_slot = booking["slot"]["id"]
    moved = await service_changes.reschedule(booking["id"], user_id=account,
                                             slot_id=await slot_at(world, local(3, 12, 15)))
    assert moved["id"] == booking["id"] and moved["code"] == booking["code"]
    assert moved["slot"]["start"] == local(3, 12, 15)
    assert moved["checkin_deadline"] == local(3, 12, 15, 15)
    assert (await Slot.get(id=old_slot)).booked == 0
    assert (await Slot.get(id=moved["slot"]["id"])).booked == 1
    pending = await pushes(purpose="booking_reminder", status="pending")
    assert sorted(r.due_at for r in pending) == [local(3, 11, 18), local(3, 12, 14)]
    assert len(await pushes(purpose="booking_rescheduled", status="pending")) == 1


async def test_reschedule_into_a_full_slot_keeps_the_old_seat(world):
    account = await resident()
    booking = await book(world, local(3, 11, 10), person(), account=account)
    for _ in range(2):
        await book(world, local(3, 12, 9), person())
    with pytest.raises(errors.SlotFull):
        await service_changes.reschedule(booking["id"], user_id=account,
                                         slot_id=await slot_at(world, local(3, 12, 9)))
    stored = await Booking.get(id=booking["id"])
    assert stored.slot_id == booking["slot"]["id"]
    assert (await Slot.get(id=booking["slot"]["id"])).booked == 1
    mine = [r for r in await pushes(purpose="booking_reminder", status="pending")
            if r.group_key == f"booking:{booking['id']}"]
    assert len(mine) == 2


async def test_reschedule_does_not_count_as_a_new_booking_but_keeps_the_weekly_rule(world):
    account = await resident()
    who = person()
    first = await book(world, local(3, 10, 9), who, account=account)
    await book(world, local(3, 11, 9), who, account=account)
    # Two this week already; moving one of them within the week is fine.
    moved = await service_changes.reschedule(first["id"], user_id=account,
                                             slot_id=await slot_at(world, local(3, 12, 9)))
    assert moved["slot"]["date"] == dt.date(2026, 3, 12)
    # Moving onto a day that already has this person's booking at this hall is a duplicate.
    with pytest.raises(errors.DuplicateBooking):
        await service_changes.reschedule(first["id"], user_id=account,
                                         slot_id=await slot_at(world, local(3, 11, 14)))


async def test_reschedule_outside_the_window_or_to_another_service_is_refused(world):
    from appointments import service_halls, service_slots

    account = await resident()
    booking = await book(world, local(3, 11, 10), person(), account=account)
    await service_slots.generate_for_hall(world.hall_id, first=dt.date(2026, 3, 17), last=dt.date(2026, 3, 17))
    with pytest.raises(errors.OutsideBookingWindow):
        await service_changes.reschedule(booking["id"], user_id=account,
                                         slot_id=await slot_at(world, local(3, 17, 9)))
    other = await service_halls.add_service(world.hall_id, {"name": "居住证办理"})
    await service_slots.put_schedule(world.hall_id, other["id"], {"periods": {"wed": [["09:00", "10:00"]]},
                                                                  "slot_minutes": 60, "capacity": 1})
    other_slot = await Slot.get(service_id=other["id"])
    with pytest.raises(errors.ServiceMismatch):
        await service_changes.reschedule(booking["id"], user_id=account, slot_id=other_slot.id)
    assert clock.now() == MONDAY_10


async def test_my_bookings_filter_by_status(world):
    account = await resident()
    a = await book(world, local(3, 10, 9), person(), account=account)
    b = await book(world, local(3, 11, 9), person(), account=account)
    await service_changes.cancel(a["id"], user_id=account, reason="")
    mine = await service_changes.list_mine(account)
    assert [m["id"] for m in mine] == [b["id"], a["id"]]  # latest slot first
    assert [m["id"] for m in await service_changes.list_mine(account, statuses=["cancelled"])] == [a["id"]]


async def test_same_day_booking_never_moves_a_booking_onto_a_slot_that_has_begun(db):
    freeze(MONDAY_10)  # Monday 10:00; the hall books from today (book_from_days=0)
    world = await make_hall(rules={"book_from_days": 0})
    account = await resident()
    booking = await book(world, local(3, 9, 14), person(), account=account)
    started = await slot_at(world, local(3, 9, 9))
    with pytest.raises(errors.SlotStarted) as refused:
        await service_changes.reschedule(booking["id"], user_id=account, slot_id=started)
    assert refused.value.details == {"start": "2026-03-09T09:00:00+08:00"}
    assert (await Booking.get(id=booking["id"])).slot_id == booking["slot"]["id"]
    assert [(await Slot.get(id=s)).booked for s in (started, booking["slot"]["id"])] == [0, 1]
    eleven = await slot_at(world, local(3, 9, 11))
    later = await service_changes.reschedule(booking["id"], user_id=account, slot_id=eleven)
    assert later["slot"]["start"] == local(3, 9, 11).astimezone(dt.UTC)
