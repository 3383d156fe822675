"""Demo halls for `bianmin seed-demo` (idempotent; everything here is labelled demo data).

Three halls of 罗湖区 with a dozen service items, Monday–Friday schedules with a lunch break (the district hall
also on Saturday mornings), slots for the booking window, and a few bookings today near the current time, so
that a clerk logged in as demo-staff can try check-in at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from appointments import service_booking, service_halls, service_slots
from appointments.service_halls import today_at, zone_of
from appointments.tables import Hall, ServiceItem, Slot
from geo import service as geo_service
from server import accounts, clock

log = logging.getLogger("bianmin.appointments.demo")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WITH_LUNCH = [["09:00", "12:00"], ["14:00", "17:30"]]
HALLS: tuple[dict[str, Any], ...] = (
    {"name": "罗湖区行政服务大厅", "address": "深圳市罗湖区（演示地址）", "phone": "0755-00000001", "windows": 40,
     "saturday": True,
     "services": ("社保卡补办", "居住证办理", "不动产登记", "营业执照办理", "公租房申请", "出入境证件办理",
                  "医保参保登记", "税务登记")},
    {"name": "东门街道便民服务中心", "address": "深圳市罗湖区东门街道（演示地址）", "phone": "0755-00000002",
     "windows": 8, "saturday": False,
     "services": ("社保卡补办", "居住证办理", "老年人优待证办理", "残疾人证办理")},
    {"name": "黄贝街道便民服务中心", "address": "深圳市罗湖区黄贝街道（演示地址）", "phone": "0755-00000003",
     "windows": 6, "saturday": False,
     "services": ("社保卡补办", "公租房申请", "计划生育证明", "老年人优待证办理")},
)
DEPARTMENTS = {"社保卡补办": "区人力资源局", "医保参保登记": "区医疗保障局", "居住证办理": "区公安分局",
               "出入境证件办理": "区公安分局", "不动产登记": "市不动产登记中心罗湖分中心",
               "营业执照办理": "区市场监督管理局", "税务登记": "区税务局", "公租房申请": "区住房和建设局"}
DEMO_PEOPLE = (("张伟", "19850312", "13800138001"), ("王芳", "19900728", "13900139002"),
               ("李娜", "19781105", "13700137003"), ("刘洋", "20010220", "13600136004"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


async def seed() -> None:
    """Create (or bring up to date) the demo halls, services, schedules, slots and today's bookings."""
    halls = [await _hall(spec) for spec in HALLS]
    for hall in halls:
        _, last = await service_slots.window_of(hall)
        await service_slots.generate_for_hall(hall.id, first=today_at(hall), last=last)
    await _give_demo_staff([hall.id for hall in halls])
    made = await _bookings_today(halls[0])
    print(f"  {len(halls)} demo halls, {made} demo bookings today  [demo data]")


async def _hall(spec: dict[str, Any]) -> Hall:
    hall = await Hall.get_or_none(name=spec["name"])
    if hall is None:
        view = await service_halls.create_hall(
            {"name": spec["name"], "address": spec["address"], "phone": spec["phone"],
             "windows": spec["windows"]}, rules=None)
        hall = await Hall.get(id=view["id"])
    await _link(hall)
    for name in spec["services"]:
        await _service(hall, name, saturday=spec["saturday"])
    return hall


async def _service(hall: Hall, name: str, *, saturday: bool) -> None:
    service = await ServiceItem.get_or_none(hall_id=hall.id, name=name)
    if service is None:
        view = await service_halls.add_service(hall.id, {
            "name": name, "department": DEPARTMENTS.get(name, "街道综合服务中心"),
            "materials": ["居民身份证原件"], "average_minutes": 20, "real_name_required": True})
        service = await ServiceItem.get(id=view["id"])
    if service.schedule is None:
        periods: dict[str, list[list[str]]] = {day: WITH_LUNCH for day in WEEKDAYS}
        if saturday:
            periods["sat"] = [["09:00", "12:00"]]
        await service_slots.put_schedule(hall.id, service.id,
                                         {"periods": periods, "slot_minutes": 30, "capacity": 8})


async def _poi(name: str) -> dict[str, Any] | None:
    """The hall's POI on the service map (geo's demo runs first), when geo offers a lookup."""
    matches = [poi for poi in await geo_service.find_pois(name=name, category="hall") if poi.get("name") == name]
    return matches[0] if matches else None


async def _link(hall: Hall) -> None:
    """Link hall and POI both ways: poi_id here, hall_id on geo's side."""
    poi = await _poi(hall.name)
    if poi is None:
        return
    if hall.poi_id != poi["id"]:
        await service_halls.update_hall(hall.id, {"poi_id": poi["id"], "address": poi.get("address") or hall.address},
                                        rules=None)
    if poi.get("hall_id") != hall.id:
        await geo_service.link_hall(poi["id"], hall.id)


async def _give_demo_staff(hall_ids: list[int]) -> None:
    staff = await accounts.find_staff("demo-staff")
    if staff is not None:
        await accounts.set_halls(staff["id"], sorted(set(staff["halls"]) | set(hall_ids)))


async def _bookings_today(hall: Hall) -> int:
    """A few bookings on slots a clerk can check in now (a demo slot is added when none is open)."""
    service = await ServiceItem.filter(hall_id=hall.id).order_by("id").first()
    if service is None:
        return 0
    slots = await _slots_near_now(hall, service)
    today = today_at(hall)
    for index, (name, birth, phone) in enumerate(DEMO_PEOPLE):
        person = service_booking.parse_person(name=name, id_number=_id_number(birth, today, index), phone=phone)
        resident = await _demo_resident(today, index)
        await service_booking.book(account_id=resident, slot_id=slots[index % len(slots)].id,
                                   service_id=service.id, person=person, enforce_window=False,
                                   idempotency_key=f"demo-{today.isoformat()}-{index}")
    return len(DEMO_PEOPLE)


async def _slots_near_now(hall: Hall, service: ServiceItem) -> list[Slot]:
    now = clock.now()
    # Slots whose check-in window (30 minutes before to 15 after the start) is open now.
    open_now = await (Slot.filter(service_id=service.id, status="open", start_at__gte=now - dt.timedelta(minutes=15),
                                  start_at__lte=now + dt.timedelta(minutes=30)).order_by("start_at").limit(2))
    if open_now:
        return open_now
    # Outside opening hours (or on a day off) a demo slot starting soon keeps check-in possible.
    local = now.astimezone(zone_of(hall))
    start = local.replace(minute=(local.minute // 15) * 15, second=0, microsecond=0) + dt.timedelta(minutes=15)
    utc = start.astimezone(dt.UTC)  # stored values are UTC (text on SQLite): compare alike
    slot, _ = await Slot.get_or_create(
        service_id=service.id, start_at=utc, end_at=utc + dt.timedelta(minutes=30),
        defaults={"hall_id": hall.id, "day": start.date(), "capacity": 8, "booked": 0, "status": "open",
                  "created_at": now})
    return [slot]


async def _demo_resident(today: dt.date, index: int) -> int:
    """The demo account of one demo person on one day: each books once, far inside the anti-scalping limits
    (the demo 身份证 change every day, so one account re-seeded daily would soon book for more than a household)."""
    return await accounts.resident_account(f"dev-demo-resident-{today:%Y%m%d}-{index}", nickname="演示居民")


def _id_number(birth: str, today: dt.date, index: int) -> str:
    """A demo 身份证 of 罗湖区 (440303), different each day so re-seeding never hits the weekly quota."""
    body = f"440303{birth}{(today.toordinal() % 200) * 4 + index:03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]
