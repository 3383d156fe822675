"""Staff changes on real stores: schedules, generation, capacity, closures, stats, and account erasure."""

from __future__ import annotations

import datetime as dt

import pytest

from appointments import (
    errors,
    service_checkin,
    service_closing,
    service_privacy,
    service_reports,
    service_slots,
    service_tickets,
)
from appointments.tables import Booking, Slot
from server.auth import CurrentUser
from tests.integration.appointments.booking_support import (
    MONDAY_10,
    WEEKDAYS,
    book,
    freeze,
    local,
    make_hall,
    person,
    pushes,
    resident,
    slot_at,
)

D = dt.date


@pytest.fixture
async def world(db):
    freeze(MONDAY_10)
    return await make_hall()


def clerk(world) -> CurrentUser:
    return CurrentUser(id=999, role="staff", halls=(world.hall_id,))


async def test_generation_is_idempotent_and_covers_the_window(world):
    # Tue 03-10 .. Mon 03-16 is five working days of six slots.
    assert await Slot.filter(service_id=world.service_id).count() == 30
    again = await service_slots.generate_for_hall(world.hall_id, first=D(2026, 3, 10), last=D(2026, 3, 16))
    assert again == {"created": 0, "closed": 0, "kept": 30}
    assert await Slot.filter(service_id=world.service_id).count() == 30
    with pytest.raises(errors.errors.ValidationFailed):
        await service_slots.generate_for_hall(world.hall_id, first=D(2026, 3, 8), last=D(2026, 3, 9))


async def test_a_schedule_change_never_drops_or_moves_a_booked_slot(world):
    booked = await book(world, local(3, 10, 16), person())
    # Afternoons now end at 16:00 and slots have four seats.
    afternoon_short = {"periods": {d: [["09:00", "12:00"], ["14:00", "16:00"]] for d in WEEKDAYS},
                       "slot_minutes": 60, "capacity": 4}
    result = await service_slots.put_schedule(world.hall_id, world.service_id, afternoon_short)
    assert result["generated"]["created"] == 0
    kept = await Slot.get(id=booked["slot"]["id"])
    assert (kept.status, kept.booked, kept.capacity, kept.start_at) == ("open", 1, 1, local(3, 10, 16))
    unbooked_16 = await Slot.get(id=await slot_at(world, local(3, 11, 16)))
    assert unbooked_16.status == "closed"
    assert (await Slot.get(id=await slot_at(world, local(3, 11, 9)))).capacity == 4


async def test_capacity_never_below_booked(world):
    slot_id = await slot_at(world, local(3, 10, 9))
    await book(world, local(3, 10, 9), person())
    await book(world, local(3, 10, 9), person())
    with pytest.raises(errors.CapacityBelowBooked) as below:
        await service_closing.patch_slot(slot_id, user=clerk(world), capacity=1, status=None, reason=None)
    assert below.value.details == {"booked": 2, "capacity": 1}
    grown = await service_closing.patch_slot(slot_id, user=clerk(world), capacity=5, status=None, reason=None)
    assert (grown["capacity"], grown["remaining"]) == (5, 3)
    stranger = CurrentUser(id=1, role="staff", halls=(world.hall_id + 1,))
    with pytest.raises(errors.HallForbidden):
        await service_closing.patch_slot(slot_id, user=stranger, capacity=6, status=None, reason=None)


async def test_closing_a_slot_cancels_its_bookings_and_tells_the_people(world):
    first = await book(world, local(3, 10, 9), person())
    second = await book(world, local(3, 10, 9), person())
    closed = await service_closing.patch_slot(first["slot"]["id"], user=clerk(world), capacity=None,
                                              status="closed", reason="系统升级")
    assert (closed["status"], closed["booked"]) == ("closed", 0)
    for booking in (first, second):
        row = await Booking.get(id=booking["id"])
        assert (row.status, row.cancelled_by, row.cancel_reason) == ("cancelled", "hall", "系统升级")
    notices = await pushes(purpose="booking_cancelled")
    assert sorted(n.payload["data"]["character_string4"] for n in notices) == sorted([first["code"], second["code"]])
    assert {n.payload["data"]["thing3"] for n in notices} == {"系统升级"}
    assert await pushes(purpose="booking_reminder", status="pending") == []
    with pytest.raises(errors.SlotClosed):
        await book(world, local(3, 10, 9), person())


async def test_a_closure_of_part_of_a_day_closes_those_slots_and_stays_after_regeneration(world):
    morning = await book(world, local(3, 12, 10), person())
    afternoon = await book(world, local(3, 12, 14), person())
    result = await service_closing.add_closure(world.hall_id, user=clerk(world), day=D(2026, 3, 12),
                                               start=dt.time(9, 0), end=dt.time(12, 0), reason="停电检修")
    assert (result["slots_closed"], result["bookings_cancelled"]) == (3, 1)
    assert (await Booking.get(id=morning["id"])).status == "cancelled"
    assert (await Booking.get(id=afternoon["id"])).status == "booked"
    told = await pushes(purpose="booking_cancelled")
    assert [(n.payload["data"]["character_string4"], n.payload["data"]["thing3"]) for n in told] == [
        (morning["code"], "停电检修")]
    # Slots deleted and regenerated (e.g. a new service item) inside a closure start closed.
    await Slot.filter(service_id=world.service_id, day=D(2026, 3, 12), booked=0).delete()
    await service_slots.generate_for_hall(world.hall_id, first=D(2026, 3, 12), last=D(2026, 3, 12))
    rows = await Slot.filter(service_id=world.service_id, day=D(2026, 3, 12)).order_by("start_at")
    assert [r.status for r in rows] == ["closed", "closed", "closed", "open", "open", "open"]


async def test_stats_per_day(world):
    kept = await book(world, local(3, 10, 9), person())
    missed = await book(world, local(3, 10, 10), person())
    account = await resident()
    dropped = await book(world, local(3, 10, 11), person(), account=account)
    from appointments import service_changes

    await service_changes.cancel(dropped["id"], user_id=account, reason="")
    freeze(local(3, 10, 8, 45))
    await service_checkin.check_in(user=clerk(world), token=None, code=kept["code"])
    await service_checkin.walk_in(world.hall_id, service_id=None)
    freeze(local(3, 10, 10, 16))
    await service_tickets.mark_no_shows()
    stats = await service_reports.stats(world.hall_id, first=D(2026, 3, 10), last=D(2026, 3, 11))
    assert stats["days"][0] == {"date": D(2026, 3, 10), "booked": 2, "checked_in": 1, "no_shows": 1,
                                "cancellations": 1, "walk_ins": 1, "ratings": 0, "average_rating": None}
    assert stats["days"][1]["booked"] == 0
    assert missed["id"] != kept["id"]


async def test_erasing_an_account_cancels_its_pending_bookings_and_wipes_the_person(world):
    account = await resident()
    who = person()
    booking = await book(world, local(3, 10, 9), who, account=account)
    await service_privacy.erase(account)
    row = await Booking.get(id=booking["id"])
    assert (row.status, row.name_enc, row.id_number_enc, row.phone_enc) == ("cancelled", None, None, None)
    # Only the keyed hash stays, for the rules (test_appointments_privacy_service.py), never the number.
    assert row.id_hash == who.id_hashes[0] and row.erased_at == MONDAY_10
    assert (await Slot.get(id=booking["slot"]["id"])).booked == 0
    sheet = await service_reports.day_sheet(world.hall_id, D(2026, 3, 10))
    assert sheet[0]["person"] == {"name": None, "id_number": None, "phone": None}
