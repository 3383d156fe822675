"""Booking on real stores (both backends): every rule and error code of POST /bookings, by service call."""

from __future__ import annotations

import datetime as dt

import pytest

from appointments import (
    errors,
    full_slots,
    service_booking,
    service_changes,
    service_halls,
    service_slots,
)
from appointments.tables import Booking, Slot
from server import pii_vault
from tests.integration.appointments.booking_support import (
    CST,
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
from tests.support.ids import make_id_number


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


async def test_booking_takes_a_seat_masks_the_person_and_queues_confirmation_and_two_reminders(world):
    who = person(name="欧阳娜娜", phone="13912345678")
    booking = await book(world, local(3, 11, 10), who)
    assert booking["status"] == "booked"
    assert booking["person"] == {"name": "欧阳**", "id_number": who.id_number[:4] + "*" * 10 + who.id_number[-4:],
                                 "phone": "139****5678"}
    assert len(booking["code"]) == 8
    assert booking["slot"]["start"] == local(3, 11, 10)
    assert booking["checkin_qr"].endswith(f"/api/v1/bookings/{booking['id']}/qr.png")
    slot = await Slot.get(id=booking["slot"]["id"])
    assert (slot.capacity, slot.booked) == (2, 1)
    stored = await Booking.get(id=booking["id"])
    assert who.id_number not in (stored.id_number_enc or "") and stored.id_hash != who.id_number
    assert pii_vault.vault().decrypt(stored.id_number_enc, context="booking.id_number") == who.id_number
    confirmed = await pushes(purpose="booking_confirmed")
    reminders = await pushes(purpose="booking_reminder")
    assert len(confirmed) == 1 and confirmed[0].due_at == MONDAY_10
    # 18:00 the evening before (Tue 03-10) and one hour before (Wed 03-11 09:00), local time.
    assert sorted(r.due_at for r in reminders) == [local(3, 10, 18), local(3, 11, 9)]
    assert {r.group_key for r in confirmed + reminders} == {f"booking:{booking['id']}"}


async def test_a_full_slot_answers_slot_full(world):
    await book(world, local(3, 10, 9), person())
    await book(world, local(3, 10, 9), person())
    with pytest.raises(errors.SlotFull):
        await book(world, local(3, 10, 9), person())
    assert (await Slot.get(id=await slot_at(world, local(3, 10, 9)))).booked == 2


async def test_a_full_slot_is_refused_from_memory_until_a_seat_frees(world, monkeypatch):
    # The rush on a full slot is answered without the database for a second; a seat freed in this
    # process is offered at once, one freed by another worker within the second.
    now = [50.0]
    monkeypatch.setattr(full_slots, "_monotonic", lambda: now[0])
    start = local(3, 10, 9)
    first = await book(world, start, person())
    await book(world, start, person())
    with pytest.raises(errors.SlotFull):
        await book(world, start, person())
    slot_id = await slot_at(world, start)
    # Another worker frees a seat (as its cancellation would): this one still refuses for now...
    await Slot.filter(id=slot_id).update(booked=1)
    await Booking.filter(id=first["id"]).update(status="cancelled")
    with pytest.raises(errors.SlotFull):
        await book(world, start, person())
    now[0] += 1.1  # ...and offers it after the second.
    owner = await resident()
    third = await book(world, start, person(), account=owner)
    assert (await Slot.get(id=slot_id)).booked == 2
    with pytest.raises(errors.SlotFull):
        await book(world, start, person())
    # A cancellation in this process offers the seat at once.
    await service_changes.cancel(third["id"], user_id=owner, reason="有事")
    assert (await book(world, start, person()))["status"] == "booked"
    assert await Booking.filter(slot_id=slot_id, status="booked").count() == 2


async def test_a_closed_slot_answers_slot_closed(world):
    slot_id = await slot_at(world, local(3, 10, 9))
    await Slot.filter(id=slot_id).update(status="closed")
    with pytest.raises(errors.SlotClosed):
        await book(world, local(3, 10, 9), person())
    await service_halls.update_service(world.service_id, {"is_active": False})
    with pytest.raises(errors.SlotClosed):  # a withdrawn service item takes no bookings
        await book(world, local(3, 10, 10), person())


async def test_today_and_beyond_five_working_days_are_outside_the_window(world):
    # Monday 03-09: the window is Tue 03-10 .. Mon 03-16 (five working days: 10, 11, 12, 13, 16).
    from appointments import service_slots

    await service_slots.generate_for_hall(world.hall_id, first=dt.date(2026, 3, 9), last=dt.date(2026, 3, 17))
    with pytest.raises(errors.OutsideBookingWindow) as today:
        await book(world, local(3, 9, 14), person())
    assert today.value.details == {"first": "2026-03-10", "last": "2026-03-16"}
    with pytest.raises(errors.OutsideBookingWindow):
        await book(world, local(3, 17, 9), person())
    assert (await book(world, local(3, 16, 9), person()))["status"] == "booked"


async def test_same_day_booking_neither_offers_nor_takes_a_slot_that_has_begun(db):
    freeze(MONDAY_10)  # Monday 10:00; the hall books from today (book_from_days=0)
    world = await make_hall(rules={"book_from_days": 0})
    today = dt.date(2026, 3, 9)
    shown = await service_slots.availability(hall_id=world.hall_id, service_id=world.service_id, first=today,
                                             last=today)
    assert shown["window"]["first"] == today
    offered = {s["start"].astimezone(CST).hour: (s["bookable"], s["reason"]) for s in shown["days"][0]["slots"]}
    assert offered == {9: (False, "slot_started"), 10: (False, "slot_started"), 11: (True, None),
                       14: (True, None), 15: (True, None), 16: (True, None)}
    with pytest.raises(errors.SlotStarted) as started:
        await book(world, local(3, 9, 9), person())
    assert started.value.details == {"start": "2026-03-09T09:00:00+08:00"}
    with pytest.raises(errors.SlotStarted):
        await book(world, local(3, 9, 10), person())  # starting this very minute
    assert (await book(world, local(3, 9, 11), person()))["status"] == "booked"


async def test_the_reason_availability_shows_is_the_error_booking_answers(db):
    """A slot that is closed *and* has begun (or lies outside the window) shows the reason a tap on it would get."""
    freeze(MONDAY_10)
    world = await make_hall(rules={"book_from_days": 0})
    today = dt.date(2026, 3, 9)
    closing = [s.id for s in await Slot.filter(service_id=world.service_id, day=today)
               if s.start_at.astimezone(CST).hour in (9, 11)]
    assert len(closing) == 2
    await Slot.filter(id__in=closing).update(status="closed")
    shown = await service_slots.availability(hall_id=world.hall_id, service_id=world.service_id, first=today,
                                             last=today)
    reasons = {s["start"].astimezone(CST).hour: s["reason"] for s in shown["days"][0]["slots"]}
    assert (reasons[9], reasons[11]) == ("slot_started", "slot_closed")
    for hour, error in ((9, errors.SlotStarted), (11, errors.SlotClosed)):
        with pytest.raises(error):
            await book(world, local(3, 9, hour), person())


async def test_one_booking_per_person_per_hall_per_day_even_from_another_account(world):
    who = person()
    await book(world, local(3, 10, 9), who)
    relative = await resident()
    with pytest.raises(errors.DuplicateBooking):
        await book(world, local(3, 10, 15), who, account=relative)
    other_hall = await make_hall("东门街道便民服务中心")
    assert (await book(other_hall, local(3, 10, 15), who, account=relative))["status"] == "booked"


async def test_two_per_calendar_week_counted_across_halls(world):
    who = person()
    other_hall = await make_hall("黄贝街道便民服务中心")
    await book(world, local(3, 10, 9), who)
    await book(other_hall, local(3, 11, 9), who)
    with pytest.raises(errors.QuotaExceeded) as breach:
        await book(world, local(3, 12, 9), who)
    assert breach.value.details == {"quota": "per_week", "limit": 2}
    # Monday 03-16 starts a new week.
    assert (await book(world, local(3, 16, 9), who))["status"] == "booked"


async def test_monthly_quota_counts_the_calendar_month(db):
    freeze(MONDAY_10)
    world = await make_hall(rules={"max_per_week": 3, "max_per_month": 3})
    who = person()
    for day in (10, 11, 16):  # two weeks, one month
        await book(world, local(3, day, 9), who)
    with pytest.raises(errors.QuotaExceeded) as breach:
        await book(world, local(3, 13, 9), who)
    assert breach.value.details == {"quota": "per_month", "limit": 3}


async def test_cancelled_bookings_do_not_count(world):
    from appointments import service_changes

    who = person()
    account = await resident()
    first = await book(world, local(3, 10, 9), who, account=account)
    await service_changes.cancel(first["id"], user_id=account, reason="改天再来")
    assert (await book(world, local(3, 10, 10), who, account=account))["status"] == "booked"


async def test_invalid_id_number_and_phone_are_422_with_their_codes(world):
    body = make_id_number(seq=5)
    broken = body[:-1] + ("0" if body[-1] != "0" else "1")
    with pytest.raises(errors.InvalidIdNumber) as bad_id:
        service_booking.parse_person(name="张伟", id_number=broken, phone="13800138000")
    assert (bad_id.value.status, bad_id.value.code) == (422, "invalid_id_number")
    with pytest.raises(errors.InvalidPhone) as bad_phone:
        service_booking.parse_person(name="张伟", id_number=body, phone="12345")
    assert (bad_phone.value.status, bad_phone.value.code) == (422, "invalid_phone")


async def test_the_slot_must_belong_to_the_service(world):
    other = await service_halls.add_service(world.hall_id, {"name": "居住证办理"})
    with pytest.raises(errors.ServiceMismatch):
        await service_booking.book(account_id=await resident(), slot_id=await slot_at(world, local(3, 10, 9)),
                                   service_id=other["id"], person=person())


async def test_an_idempotency_key_returns_the_same_booking_and_refuses_another_person(world):
    account = await resident()
    who = person()
    first = await book(world, local(3, 10, 9), who, account=account, key="k-1")
    again = await book(world, local(3, 10, 9), who, account=account, key="k-1")
    assert again["id"] == first["id"]
    assert await Booking.filter(account_id=account).count() == 1
    with pytest.raises(errors.IdempotencyKeyReused):
        await book(world, local(3, 10, 9), person(), account=account, key="k-1")
    assert (await Slot.get(id=first["slot"]["id"])).booked == 1
