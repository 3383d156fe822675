"""WeChat notices of a booking, written in the caller's transaction through server.notify.

A booking's confirmation, reminders and reschedule notices share one outbox group, so any
change to the booking cancels whatever of them is still pending in the same transaction.
Template data keys: thing1 service item, time2 slot start, thing3 hall (or the reason of a
cancellation), character_string4 booking code, thing5 a hint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from appointments.service_halls import zone_of
from appointments.tables import Booking, Hall, ServiceItem
from server import clock, notify, outbox

EVENING_BEFORE = dt.time(18, 0)
HOUR_BEFORE = dt.timedelta(hours=1)


def group_of(booking_id: int) -> str:
    """The outbox group of a booking's cancellable notices."""
    return f"booking:{booking_id}"


def _page(booking_id: int) -> str:
    return f"pages/booking/detail?id={booking_id}"


def _data(booking: Booking, *, hall: Hall, service: ServiceItem, hint: str) -> dict[str, Any]:
    return {"thing1": notify.thing(service.name), "time2": notify.when(booking.slot_start),
            "thing3": notify.thing(hall.name), "character_string4": booking.code, "thing5": notify.thing(hint)}


def reminder_times(booking: Booking, *, hall: Hall) -> list[dt.datetime]:
    """18:00 local on the day before and one hour before the start, those still in the future."""
    local_start = booking.slot_start.astimezone(zone_of(hall))
    evening = dt.datetime.combine(local_start.date() - dt.timedelta(days=1), EVENING_BEFORE,
                                  tzinfo=zone_of(hall))
    now = clock.now()
    return [due for due in (evening, booking.slot_start - HOUR_BEFORE) if due > now]


def _push(booking: Booking, *, purpose: str, data: dict[str, Any], due_at: dt.datetime | None = None,
          group: str | None = None) -> outbox.NewMessage:
    # The payload server.notify.enqueue_push writes, built here so that a booking's notices
    # go out in one INSERT (the booking path's largest cost was three separate ones).
    payload = {"user_id": booking.account_id, "purpose": purpose, "data": data, "page": _page(booking.id)}
    return outbox.NewMessage(notify.TOPIC, payload, due_at=due_at, group=group)


def _reminders(booking: Booking, *, hall: Hall, service: ServiceItem) -> list[outbox.NewMessage]:
    data = _data(booking, hall=hall, service=service, hint="请携带身份证和所需材料")
    return [_push(booking, purpose="booking_reminder", data=data, due_at=due, group=group_of(booking.id))
            for due in reminder_times(booking, hall=hall)]


async def confirmed(booking: Booking, *, hall: Hall, service: ServiceItem, conn: BaseDBAsyncClient) -> None:
    """Booking made: a confirmation now and the two reminders later."""
    notice = _push(booking, purpose="booking_confirmed", group=group_of(booking.id),
                   data=_data(booking, hall=hall, service=service, hint="请按时到大厅签到取号"))
    await outbox.enqueue_many([notice, *_reminders(booking, hall=hall, service=service)], using_db=conn)


async def rescheduled(booking: Booking, *, hall: Hall, service: ServiceItem, conn: BaseDBAsyncClient) -> None:
    """Booking moved: the old reminders go, a notice and new reminders come."""
    await outbox.cancel_group(group_of(booking.id), using_db=conn)
    notice = _push(booking, purpose="booking_rescheduled", group=group_of(booking.id),
                   data=_data(booking, hall=hall, service=service, hint="预约时间已变更"))
    await outbox.enqueue_many([notice, *_reminders(booking, hall=hall, service=service)], using_db=conn)


async def withdrawn(booking_id: int, *, conn: BaseDBAsyncClient) -> None:
    """The booking ended (cancelled, checked in, no-show): pending reminders are not sent."""
    await outbox.cancel_group(group_of(booking_id), using_db=conn)


async def cancelled_by_hall(bookings: Sequence[Booking], *, reason: str, conn: BaseDBAsyncClient) -> None:
    """The hall cancelled (slot or day closed): reminders go, each person is told why (one write each)."""
    await outbox.cancel_groups([group_of(b.id) for b in bookings], using_db=conn)
    # Outside the bookings' groups: nothing that happens to a booking later may retract it.
    await outbox.enqueue_many([_push(b, purpose="booking_cancelled", data={
        "thing1": notify.thing(b.service.name), "time2": notify.when(b.slot_start),
        "thing3": notify.thing(reason or "大厅临时调整"), "character_string4": b.code,
        "thing5": notify.thing(b.hall.name)}) for b in bookings], using_db=conn)
