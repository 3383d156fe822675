"""Enterprises (企业): registration by a person, verification by an admin, the profile.

The 统一社会信用代码 is validated (GB 32100 check character) and may be registered once: a
unique column holds it while the enterprise is pending or verified, so two registrations
racing for one code cannot both succeed, and a rejected registration frees it. The contact
person's name and phone are personal data: encrypted at rest, masked in every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tortoise.exceptions import IntegrityError

from bulletin.feeds import errors
from bulletin.feeds.divisions import canonical_division
from bulletin.feeds.model import INDUSTRIES, SIZES
from bulletin.feeds.service_subscriptions import Owner, create_subscription
from bulletin.feeds.tables import Enterprise, Membership
from server import clock, pii, pii_rotation, storage
from server.auth import CurrentUser
from server.errors import ValidationFailed

CONTEXT_NAME, CONTEXT_PHONE = "enterprise.contact_name", "enterprise.contact_phone"


def personal_data_error(exc: pii.PiiFormatError, field: str) -> errors.InvalidPersonalData:
    """422 with the pii module's code (invalid_credit_code, invalid_phone) naming the field."""
    error = errors.InvalidPersonalData(exc.message, details={"fields": [
        {"field": field, "in": "body", "code": exc.code, "message": exc.message}]})
    error.code = exc.code
    return error


def _contact(contact: Mapping[str, str]) -> dict[str, str]:
    try:
        phone = pii.normalize_phone(contact["phone"])
    except pii.PiiFormatError as exc:
        raise personal_data_error(exc, "contact.phone") from None
    vault = pii.vault()
    return {"contact_name_enc": vault.encrypt(contact["name"], context=CONTEXT_NAME),
            "contact_phone_enc": vault.encrypt(phone, context=CONTEXT_PHONE)}


def _district(value: str) -> str:
    code = canonical_division(value)
    if code is None:
        raise ValidationFailed.field("district", f"区划代码格式不正确：{value}", code="invalid_division")
    return code


def view(row: Enterprise, *, membership: Membership | None, admin: bool = False) -> dict[str, Any]:
    """An enterprise for its members and admins: the contact masked, the code in full for owners."""
    vault = pii.vault()
    name = vault.decrypt(row.contact_name_enc, context=CONTEXT_NAME) if row.contact_name_enc else None
    phone = vault.decrypt(row.contact_phone_enc, context=CONTEXT_PHONE) if row.contact_phone_enc else None
    full_code = admin or (membership is not None and membership.role == "owner")
    return {
        "id": row.id, "name": row.name,
        "credit_code": row.credit_code if full_code else pii.mask_credit_code(row.credit_code),
        "industry": {"value": row.industry, "label": INDUSTRIES.label(row.industry)},
        "size": {"value": row.size, "label": SIZES.label(row.size)}, "district": row.district,
        "contact": {"name": pii.mask_name(name) if name else None, "phone": pii.mask_phone(phone) if phone else None},
        "status": row.status, "reject_reason": row.reject_reason, "created_at": row.created_at,
        "reviewed_at": row.reviewed_at,
        "membership": {"role": membership.role, "notify": membership.notify} if membership else None,
    }


async def register(user_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    """POST /enterprises: a pending enterprise owned by the caller (409 when the code is registered)."""
    try:
        code = pii.normalize_credit_code(fields["credit_code"])
    except pii.PiiFormatError as exc:
        raise personal_data_error(exc, "credit_code") from None
    values = {"name": fields["name"], "credit_code": code, "active_code": code, "industry": fields["industry"],
              "size": fields["size"], "district": _district(fields["district"]), **_contact(fields["contact"])}
    now = clock.now()
    try:
        async with storage.transaction() as conn:
            enterprise = await Enterprise.create(**values, owner_id=user_id, status="pending", created_at=now,
                                                 updated_at=now, using_db=conn)
            membership = await Membership.create(enterprise_id=enterprise.id, user_id=user_id, role="owner",
                                                 notify=True, joined_at=now, using_db=conn)
    except IntegrityError:
        raise errors.CreditCodeTaken(details={"credit_code": pii.mask_credit_code(code)}) from None
    return view(enterprise, membership=membership)


async def enterprise_for(enterprise_id: int, user: CurrentUser) -> tuple[Enterprise, Membership | None]:
    """The enterprise and the caller's membership; 404 for anyone else (admins see all)."""
    enterprise = await Enterprise.get_or_none(id=enterprise_id)
    membership = await Membership.get_or_none(enterprise_id=enterprise_id, user_id=user.id)
    if enterprise is None or (membership is None and user.role != "admin"):
        raise errors.EnterpriseNotFound(details={"enterprise_id": enterprise_id})
    return enterprise, membership


async def owned(enterprise_id: int, user: CurrentUser) -> Enterprise:
    """The enterprise if the caller owns it (admins may act for owners)."""
    enterprise, membership = await enterprise_for(enterprise_id, user)
    if user.role != "admin" and (membership is None or membership.role != "owner"):
        raise errors.NotEnterpriseOwner(details={"enterprise_id": enterprise_id})
    return enterprise


async def get_enterprise(enterprise_id: int, user: CurrentUser) -> dict[str, Any]:
    """GET /enterprises/{id}."""
    enterprise, membership = await enterprise_for(enterprise_id, user)
    return view(enterprise, membership=membership, admin=user.role == "admin")


async def my_enterprises(user_id: int) -> list[dict[str, Any]]:
    """GET /enterprises: the enterprises the caller belongs to."""
    memberships = await Membership.filter(user_id=user_id).order_by("enterprise_id")
    rows = {e.id: e for e in await Enterprise.filter(id__in=[m.enterprise_id for m in memberships])}
    return [view(rows[m.enterprise_id], membership=m) for m in memberships]


async def update_enterprise(enterprise_id: int, user: CurrentUser, changes: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /enterprises/{id}: the owner corrects the profile; a rejected one goes back to review."""
    enterprise = await owned(enterprise_id, user)
    values: dict[str, Any] = {k: changes[k] for k in ("name", "industry", "size") if changes.get(k) is not None}
    if changes.get("district") is not None:
        values["district"] = _district(changes["district"])
    if changes.get("contact") is not None:
        values.update(_contact(changes["contact"]))
    if enterprise.status == "rejected":
        values.update(status="pending", active_code=enterprise.credit_code, reject_reason=None)
    try:
        await Enterprise.filter(id=enterprise.id).update(**values, updated_at=clock.now())
    except IntegrityError:
        raise errors.CreditCodeTaken(details={"credit_code": pii.mask_credit_code(enterprise.credit_code)}) from None
    return await get_enterprise(enterprise_id, user)


async def admin_list(*, status: str | None) -> list[dict[str, Any]]:
    """GET /admin/enterprises?status=: registrations to review, oldest first."""
    query = Enterprise.filter(status=status) if status else Enterprise.all()
    return [view(e, membership=None, admin=True) for e in await query.order_by("created_at", "id").limit(500)]


async def verify(enterprise_id: int, *, admin_id: int) -> dict[str, Any]:
    """POST /admin/enterprises/{id}/verify: verified, with a default subscription for its profile."""
    changed = await Enterprise.filter(id=enterprise_id, status="pending").update(
        status="verified", reviewed_by=admin_id, reviewed_at=clock.now(), updated_at=clock.now())
    enterprise = await _reviewed(enterprise_id, changed)
    if enterprise.subscription_count == 0:
        criteria = {"industries": [enterprise.industry], "sizes": [enterprise.size], "divisions": [enterprise.district]}
        await create_subscription(Owner(enterprise_id=enterprise.id), criteria=criteria, frequency="immediate")
    return view(await Enterprise.get(id=enterprise_id), membership=None, admin=True)


async def reject(enterprise_id: int, *, admin_id: int, reason: str) -> dict[str, Any]:
    """POST /admin/enterprises/{id}/reject {reason}: rejected; the credit code is free again."""
    changed = await Enterprise.filter(id=enterprise_id, status="pending").update(
        status="rejected", reject_reason=reason, active_code=None, reviewed_by=admin_id, reviewed_at=clock.now(),
        updated_at=clock.now())
    return view(await _reviewed(enterprise_id, changed), membership=None, admin=True)


async def _reviewed(enterprise_id: int, changed: int) -> Enterprise:
    enterprise = await Enterprise.get_or_none(id=enterprise_id)
    if enterprise is None:
        raise errors.EnterpriseNotFound(details={"enterprise_id": enterprise_id})
    if not changed:
        raise errors.EnterpriseStatusConflict(details={"status": enterprise.status})
    return enterprise


ENTERPRISE_PII = (pii_rotation.EncryptedColumn("contact_name_enc", CONTEXT_NAME),
                  pii_rotation.EncryptedColumn("contact_phone_enc", CONTEXT_PHONE))


async def rekey(*, check: bool, progress: pii_rotation.Progress | None = None) -> dict[str, int]:
    """``bianmin rotate-pii-key``: enterprises' contact people."""
    return {"enterprises": await pii_rotation.rekey(Enterprise, ENTERPRISE_PII, check=check, progress=progress)}

