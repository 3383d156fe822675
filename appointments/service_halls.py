"""Halls and their service items: admins create and edit them, residents browse them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from appointments import errors, present, repository
from appointments.model import HallRules, InvalidSetting, parse_rules
from appointments.tables import Hall, ServiceItem
from server import accounts, audit, clock, stamps

HALL_FIELDS = ("name", "address", "phone", "poi_id", "windows", "is_active")
SERVICE_FIELDS = ("name", "department", "materials", "average_minutes", "real_name_required", "is_active")
STAMP = "halls"  # bumped by every change of a hall or service item: other domains key their copies on it


def rules_of(hall: Hall) -> HallRules:
    """The hall's booking rules (stored as validated JSON; defaults fill anything missing)."""
    return parse_rules(hall.rules or {})


def zone_of(hall: Hall) -> ZoneInfo:
    """The hall's time zone: slot times are wall-clock times there."""
    return ZoneInfo(hall.timezone)


def today_at(hall: Hall) -> dt.date:
    """Today's date where the hall is."""
    return clock.now().astimezone(zone_of(hall)).date()


async def create_hall(fields: Mapping[str, Any], *, rules: Mapping[str, object] | None) -> dict[str, Any]:
    """POST /admin/halls: a new hall with default rules unless some are given."""
    now = clock.now()
    hall = Hall(**{k: v for k, v in fields.items() if k in HALL_FIELDS}, created_at=now, updated_at=now,
                rules=_validated_rules(rules or {}, base=None).to_dict())
    try:
        await hall.save()
    except IntegrityError:
        raise errors.HallNameTaken(details={"name": hall.name}) from None
    await stamps.bump(STAMP)
    audit.changed(target=f"hall_id={hall.id}", before=None, after=audit.fields(hall, (*HALL_FIELDS, "rules")))
    return present.hall(hall)


async def update_hall(hall_id: int, changes: Mapping[str, Any], *,
                      rules: Mapping[str, object] | None) -> dict[str, Any]:
    """PATCH /admin/halls/{id}: change its details and (part of) its rules."""
    hall = await repository.hall_or_404(hall_id)
    before = audit.fields(hall, (*HALL_FIELDS, "rules"))
    for name, value in changes.items():
        if name in HALL_FIELDS:
            setattr(hall, name, value)
    if rules:
        hall.rules = _validated_rules(rules, base=rules_of(hall)).to_dict()
    hall.updated_at = clock.now()
    try:
        await hall.save()
    except IntegrityError:
        raise errors.HallNameTaken(details={"name": hall.name}) from None
    await stamps.bump(STAMP)
    audit.changed(target=f"hall_id={hall.id}", before=before, after=audit.fields(hall, (*HALL_FIELDS, "rules")))
    return present.hall(hall)


def _validated_rules(data: Mapping[str, object], *, base: HallRules | None) -> HallRules:
    try:
        return parse_rules(data, base=base)
    except InvalidSetting as error:
        raise errors.invalid_setting(f"rules.{error.path}", error.reason) from None


async def add_service(hall_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    """POST /admin/halls/{id}/services: a new service item (事项) at the hall."""
    hall = await repository.hall_or_404(hall_id)
    now = clock.now()
    service = ServiceItem(hall=hall, **{k: v for k, v in fields.items() if k in SERVICE_FIELDS},
                          created_at=now, updated_at=now)
    try:
        await service.save()
    except IntegrityError:
        raise errors.ServiceNameTaken(details={"name": service.name}) from None
    await stamps.bump(STAMP)
    audit.changed(target=f"service_id={service.id}", before=None, after=audit.fields(service, SERVICE_FIELDS))
    return present.service(service)


async def update_service(service_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /admin/services/{id}: change a service item's details."""
    service = await repository.service_or_404(service_id)
    before = audit.fields(service, SERVICE_FIELDS)
    for name, value in changes.items():
        if name in SERVICE_FIELDS:
            setattr(service, name, value)
    service.updated_at = clock.now()
    try:
        await service.save()
    except IntegrityError:
        raise errors.ServiceNameTaken(details={"name": service.name}) from None
    await stamps.bump(STAMP)
    audit.changed(target=f"service_id={service.id}", before=before, after=audit.fields(service, SERVICE_FIELDS))
    return present.service(service)


async def list_halls(*, include_inactive: bool = False) -> list[dict[str, Any]]:
    """GET /halls: every open hall, by name."""
    query = Hall.all() if include_inactive else Hall.filter(is_active=True)
    return [present.hall(hall) for hall in await query.order_by("id")]


async def get_hall(hall_id: int) -> dict[str, Any]:
    """GET /halls/{id}: a hall with its rules."""
    hall = await repository.hall_or_404(hall_id)
    if not hall.is_active:
        raise errors.HallNotFound(details={"hall_id": hall_id})
    return present.hall(hall)


async def list_services(hall_id: int, *, include_inactive: bool = False) -> list[dict[str, Any]]:
    """GET /halls/{id}/services: the hall's active service items (an admin's console: every one)."""
    if include_inactive:
        await repository.hall_or_404(hall_id)
    else:
        await get_hall(hall_id)
    query = ServiceItem.filter(hall_id=hall_id)
    services = await (query if include_inactive else query.filter(is_active=True)).order_by("id")
    return [present.service(service) for service in services]


async def assign_staff(hall_id: int, user_ids: list[int]) -> list[dict[str, Any]]:
    """PUT /admin/halls/{id}/staff: exactly these staff accounts serve the hall from now on."""
    await repository.hall_or_404(hall_id)
    wanted = set(user_ids)
    staff = await accounts.staff_accounts(active_only=False)
    missing = sorted(wanted - {u["id"] for u in staff if u["is_active"]})
    if missing:
        raise errors.invalid_setting("user_ids", f"以下账号不是在职的窗口工作人员：{missing}")
    serving = sorted(u["id"] for u in staff if hall_id in u["halls"])
    for user in staff:
        halls = set(user["halls"])
        serves = user["id"] in wanted
        if serves != (hall_id in halls):
            await accounts.set_halls(user["id"], sorted(halls | {hall_id} if serves else halls - {hall_id}))
    audit.changed(target=f"hall_id={hall_id}", before={"staff": serving}, after={"staff": sorted(wanted)})
    return await hall_staff(hall_id)


async def hall_staff(hall_id: int) -> list[dict[str, Any]]:
    """The staff accounts that serve a hall (no personal data: id, username, nickname)."""
    await repository.hall_or_404(hall_id)
    return [{"id": u["id"], "username": u["username"], "nickname": u["nickname"]}
            for u in await accounts.staff_accounts() if hall_id in u["halls"]]
