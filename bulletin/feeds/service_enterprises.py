"""Enterprises (企业): registration by a person, verification by an admin, the profile.

The 统一社会信用代码 is validated (GB 32100 check character). Several accounts may claim one
code while their registrations are pending, so nobody can squat a code by registering it
first; an admin sees the competing claims and verifies one (service_enterprise_review). A
unique column holds the code once verified, so two verified enterprises of one code cannot
exist. A pending registration lapses after ``PENDING_FOR`` and an account has at most
``MAX_PENDING`` at once. Once verified, a new name, industry, size or district waits for an
admin again; the profile stays as verified meanwhile. The contact person's name and phone are
personal data: encrypted at rest, masked in every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bulletin.feeds import errors
from bulletin.feeds.divisions import canonical_division
from bulletin.feeds.model import INDUSTRIES, SIZES
from bulletin.feeds.tables import Account, Enterprise, Membership
from server import clock, pii, pii_rotation, pii_vault, storage
from server.auth import CurrentUser
from server.errors import ValidationFailed

CONTEXT_NAME, CONTEXT_PHONE = "enterprise.contact_name", "enterprise.contact_phone"
PENDING_FOR = timedelta(days=14)
MAX_PENDING = 3  # live pending registrations per account


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
    vault = pii_vault.vault()
    return {"contact_name_enc": vault.encrypt(contact["name"], context=CONTEXT_NAME),
            "contact_phone_enc": vault.encrypt(phone, context=CONTEXT_PHONE)}


def _district(value: str) -> str:
    code = canonical_division(value)
    if code is None:
        raise ValidationFailed.field("district", f"区划代码格式不正确：{value}", code="invalid_division")
    return code


def view(row: Enterprise, *, membership: Membership | None, admin: bool = False) -> dict[str, Any]:
    """An enterprise for its members and admins: the contact masked, the code in full for owners."""
    vault = pii_vault.vault()
    name = vault.decrypt(row.contact_name_enc, context=CONTEXT_NAME) if row.contact_name_enc else None
    phone = vault.decrypt(row.contact_phone_enc, context=CONTEXT_PHONE) if row.contact_phone_enc else None
    full_code = admin or (membership is not None and membership.role == "owner")
    return {
        "id": row.id, "name": row.name,
        "credit_code": row.credit_code if full_code else pii.mask_credit_code(row.credit_code),
        "industry": {"value": row.industry, "label": INDUSTRIES.label(row.industry)},
        "size": {"value": row.size, "label": SIZES.label(row.size)}, "district": row.district,
        "contact": {"name": pii.mask_name(name) if name else None, "phone": pii.mask_phone(phone) if phone else None},
        "status": status_of(row), "reject_reason": row.reject_reason, "created_at": row.created_at,
        "reviewed_at": row.reviewed_at, "expires_at": row.expires_at if row.status == "pending" else None,
        "pending_changes": row.pending_changes, "changes_requested_at": row.changes_requested_at,
        "membership": {"role": membership.role, "notify": membership.notify} if membership else None,
    }


def status_of(row: Enterprise) -> str:
    """pending, verified, rejected or expired (a pending registration past its date, before the job ran)."""
    if row.status == "pending" and row.expires_at is not None and row.expires_at <= clock.now():
        return "expired"
    return row.status


async def register(user_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    """POST /enterprises: a pending enterprise owned by the caller, for an admin to verify."""
    try:
        code = pii.normalize_credit_code(fields["credit_code"])
    except pii.PiiFormatError as exc:
        raise personal_data_error(exc, "credit_code") from None
    values = {"name": fields["name"], "credit_code": code, "industry": fields["industry"],
              "size": fields["size"], "district": _district(fields["district"]), **_contact(fields["contact"])}
    now = clock.now()
    async with storage.transaction() as conn:
        await _one_registration_at_a_time(conn, user_id)
        if await Enterprise.filter(active_code=code).using_db(conn).exists() or await live_pending(
                owner_id=user_id, credit_code=code).using_db(conn).exists():
            raise errors.CreditCodeTaken(details={"credit_code": pii.mask_credit_code(code)})
        await _check_pending_quota(conn, user_id)
        enterprise = await Enterprise.create(**values, owner_id=user_id, status="pending", created_at=now,
                                             updated_at=now, expires_at=now + PENDING_FOR, using_db=conn)
        membership = await Membership.create(enterprise_id=enterprise.id, user_id=user_id, role="owner",
                                             notify=True, joined_at=now, using_db=conn)
    return view(enterprise, membership=membership)


def live_pending(**filters: Any) -> Any:
    """Pending registrations that have not lapsed (the expiry job may not have run yet)."""
    return Enterprise.filter(status="pending", expires_at__gt=clock.now(), **filters)


async def _one_registration_at_a_time(conn: Any, user_id: int) -> None:
    """Lock the account's feeds row, so parallel registrations cannot all pass the quota (PostgreSQL;
    SQLite runs one write transaction at a time anyway)."""
    await Account.bulk_create([Account(user_id=user_id)], ignore_conflicts=True, using_db=conn)
    await Account.filter(user_id=user_id).select_for_update().using_db(conn).first()


async def _check_pending_quota(conn: Any, user_id: int) -> None:
    if await live_pending(owner_id=user_id).using_db(conn).count() >= MAX_PENDING:
        raise errors.TooManyPendingRegistrations(details={"max_pending": MAX_PENDING})


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
    """PATCH /enterprises/{id}: the owner corrects the profile. A verified enterprise's new name,
    industry, size or district waits for an admin; a rejected or lapsed registration goes back to review."""
    enterprise = await owned(enterprise_id, user)
    profile: dict[str, Any] = {k: changes[k] for k in ("name", "industry", "size") if changes.get(k) is not None}
    if changes.get("district") is not None:
        profile["district"] = _district(changes["district"])
    values: dict[str, Any] = _contact(changes["contact"]) if changes.get("contact") is not None else {}
    now, status = clock.now(), status_of(enterprise)
    if status == "verified":
        proposed = {**(enterprise.pending_changes or {}), **profile}
        proposed = {k: v for k, v in proposed.items() if v != getattr(enterprise, k)} or None
        if proposed != enterprise.pending_changes:
            values.update(pending_changes=proposed, changes_requested_at=now if proposed else None)
    else:
        values.update(profile)
    async with storage.transaction() as conn:
        if status in ("rejected", "expired"):  # submitted again: counts as a new pending registration
            await _one_registration_at_a_time(conn, enterprise.owner_id or user.id)
            await _check_pending_quota(conn, enterprise.owner_id or user.id)
            values.update(status="pending", reject_reason=None, expires_at=now + PENDING_FOR)
        await Enterprise.filter(id=enterprise.id).using_db(conn).update(**values, updated_at=now)
    return await get_enterprise(enterprise_id, user)


ENTERPRISE_PII = (pii_rotation.EncryptedColumn("contact_name_enc", CONTEXT_NAME),
                  pii_rotation.EncryptedColumn("contact_phone_enc", CONTEXT_PHONE))


async def rekey(*, check: bool, progress: pii_rotation.Progress | None = None) -> dict[str, int]:
    """``bianmin rotate-pii-key``: enterprises' contact people."""
    return {"enterprises": await pii_rotation.rekey(Enterprise, ENTERPRISE_PII, check=check, progress=progress)}

