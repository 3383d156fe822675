"""Shared helpers of the appointments integration and API tests: a hall built through the services.

Times are hand-picked in Asia/Shanghai. The reference week: Monday 2026-03-09 10:00 is "now";
the booking window (tomorrow to 5 working days ahead) is then Tue 03-10 to Mon 03-16, and each
weekday has 60-minute slots at 09, 10, 11 (morning) and 14, 15, 16 (17:00-17:30 is too short).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from appointments import service_booking, service_halls, service_slots
from appointments.service_booking import Person
from appointments.tables import Slot
from server import accounts, clock
from server.tables import OutboxMessage
from tests.support.ids import make_id_number

CST = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WITH_LUNCH = [["09:00", "12:00"], ["14:00", "17:30"]]
WEEKDAY_SCHEDULE: dict[str, Any] = {"periods": {d: WITH_LUNCH for d in WEEKDAYS}, "slot_minutes": 60,
                                    "capacity": 2}
_seq = itertools.count(100)


def local(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2026) -> dt.datetime:
    """An aware Asia/Shanghai moment."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CST)


MONDAY_10 = local(3, 9, 10)


@dataclass(frozen=True)
class World:
    hall_id: int
    service_id: int


async def make_hall(name: str = "罗湖区行政服务大厅", *, schedule: dict[str, Any] | None = None,
                    rules: dict[str, int] | None = None, service: str = "社保卡补办") -> World:
    """A hall with one service item whose schedule is set (which generates the window's slots)."""
    hall = await service_halls.create_hall({"name": name, "address": "深圳市罗湖区测试路1号", "windows": 4},
                                           rules=rules)
    item = await service_halls.add_service(hall["id"], {"name": service, "department": "区人力资源局"})
    await service_slots.put_schedule(hall["id"], item["id"], schedule or WEEKDAY_SCHEDULE)
    return World(hall_id=hall["id"], service_id=item["id"])


async def slot_at(world: World, start: dt.datetime) -> int:
    """The id of the world's slot starting at `start`."""
    # Filters compare stored UTC values (as text on SQLite): compare in UTC too.
    slot = await Slot.get(service_id=world.service_id, start_at=start.astimezone(dt.UTC))
    return slot.id


async def resident(openid: str | None = None) -> int:
    """A resident account's id (dev login)."""
    result = await accounts.login_dev(openid or f"r{next(_seq)}", None)
    return int(result["user"]["id"])


def person(seq: int | None = None, *, name: str = "张伟", phone: str = "13800138000",
           birth: dt.date = dt.date(1990, 1, 1)) -> Person:
    """A person with a valid 身份证 (distinct per `seq`)."""
    number = make_id_number(seq=seq if seq is not None else next(_seq) % 1000, birth=birth)
    return service_booking.parse_person(name=name, id_number=number, phone=phone)


async def book(world: World, start: dt.datetime, who: Person, *, account: int | None = None,
               key: str | None = None) -> dict[str, Any]:
    """Book the world's slot at `start` for `who`."""
    return await service_booking.book(account_id=account or await resident(), slot_id=await slot_at(world, start),
                                      service_id=world.service_id, person=who, idempotency_key=key)


async def pushes(*, purpose: str | None = None, status: str | None = None) -> list[OutboxMessage]:
    """Queued WeChat notices, oldest first."""
    query = OutboxMessage.filter(topic="push")
    rows = await query.order_by("id")
    return [r for r in rows if (purpose is None or r.payload["purpose"] == purpose)
            and (status is None or r.status == status)]


def freeze(moment: dt.datetime) -> None:
    """Stop the clock at a local moment (given to the clock in UTC, as the real clock gives it)."""
    clock.freeze(moment.astimezone(dt.UTC))
