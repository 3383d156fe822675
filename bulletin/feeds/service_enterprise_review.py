"""Admins review enterprises: registrations (with the competing claims on their code) and the
profile changes verified enterprises ask for. Pending registrations lapse on their own.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from bulletin.feeds import errors
from bulletin.feeds.service_enterprises import live_pending, status_of, view
from bulletin.feeds.service_subscriptions import Owner, create_subscription
from bulletin.feeds.tables import Enterprise
from server import audit, clock, pii, storage

SUPERSEDED = "同一统一社会信用代码的另一登记已通过核验"
LOGGED_FIELDS = ("name", "credit_code", "industry", "size", "district", "status", "reject_reason")  # operation log


async def admin_list(*, status: str | None, awaiting: bool = False) -> list[dict[str, Any]]:
    """GET /admin/enterprises?status=&awaiting=: oldest first, each with the competing claims on its code."""
    if awaiting:  # what an admin has to decide: live registrations and verified enterprises' changes
        rows = await live_pending().order_by("created_at", "id").limit(500)
        rows += await Enterprise.filter(status="verified", pending_changes__isnull=False).order_by(
            "changes_requested_at", "id").limit(500)
    elif status == "pending":
        rows = await live_pending().order_by("created_at", "id").limit(500)
    elif status == "expired":
        rows = await Enterprise.filter(status__in=["pending", "expired"], expires_at__lte=clock.now()).order_by(
            "created_at", "id").limit(500)
    else:
        query = Enterprise.filter(status=status) if status else Enterprise.all()
        rows = await query.order_by("created_at", "id").limit(500)
    claims = await _claims({row.credit_code for row in rows})
    return [_admin_view(row, claims) for row in rows]


async def _claims(codes: set[str]) -> dict[str, list[Enterprise]]:
    """Every live claim (pending or verified) on each code."""
    found: dict[str, list[Enterprise]] = {}
    if codes:
        live = await Enterprise.filter(credit_code__in=sorted(codes), status__in=["pending", "verified"]).order_by(
            "created_at", "id")
        for row in live:
            if status_of(row) in ("pending", "verified"):
                found.setdefault(row.credit_code, []).append(row)
    return found


def _admin_view(row: Enterprise, claims: dict[str, list[Enterprise]]) -> dict[str, Any]:
    others = [c for c in claims.get(row.credit_code, []) if c.id != row.id]
    return {**view(row, membership=None, admin=True), "competing_claims": [
        {"id": c.id, "name": c.name, "status": status_of(c), "owner_id": c.owner_id, "created_at": c.created_at}
        for c in others]}


async def verify(enterprise_id: int, *, admin_id: int) -> dict[str, Any]:
    """POST /admin/enterprises/{id}/verify: a registration becomes verified (competing claims are
    rejected), or a verified enterprise's requested changes take effect."""
    enterprise = await _reviewable(enterprise_id)
    now = clock.now()
    if enterprise.status == "verified":
        await Enterprise.filter(id=enterprise.id).update(
            **enterprise.pending_changes, pending_changes=None, changes_requested_at=None, reject_reason=None,
            reviewed_by=admin_id, reviewed_at=now, updated_at=now)
        return await _reviewed(enterprise)
    competing = await Enterprise.filter(credit_code=enterprise.credit_code, status="pending").exclude(
        id=enterprise.id).values_list("id", flat=True)
    try:
        async with storage.transaction() as conn:
            changed = await Enterprise.filter(id=enterprise.id, status="pending", expires_at__gt=now).using_db(
                conn).update(status="verified", active_code=enterprise.credit_code, expires_at=None,
                             reviewed_by=admin_id, reviewed_at=now, updated_at=now)
            await Enterprise.filter(credit_code=enterprise.credit_code, status="pending").exclude(
                id=enterprise.id).using_db(conn).update(status="rejected", reject_reason=SUPERSEDED,
                                                        reviewed_by=admin_id, reviewed_at=now, updated_at=now)
    except IntegrityError:  # another registration of the code was verified meanwhile
        raise errors.CreditCodeTaken(details={"credit_code": pii.mask_credit_code(enterprise.credit_code)}) from None
    if not changed:
        raise errors.EnterpriseStatusConflict(details={"status": status_of(await Enterprise.get(id=enterprise_id))})
    if enterprise.subscription_count == 0:
        criteria = {"industries": [enterprise.industry], "sizes": [enterprise.size], "divisions": [enterprise.district]}
        await create_subscription(Owner(enterprise_id=enterprise.id), criteria=criteria, frequency="immediate")
    for other in competing:
        audit.changed(target=f"enterprise_id={other}", before={"status": "pending"},
                      after={"status": "rejected", "reject_reason": SUPERSEDED})
    return await _reviewed(enterprise)


async def reject(enterprise_id: int, *, admin_id: int, reason: str) -> dict[str, Any]:
    """POST /admin/enterprises/{id}/reject {reason}: a registration is rejected, or a verified
    enterprise's requested changes are dropped (it stays verified); the owner sees the reason."""
    enterprise = await _reviewable(enterprise_id)
    now = clock.now()
    review = {"reject_reason": reason, "reviewed_by": admin_id, "reviewed_at": now, "updated_at": now}
    if enterprise.status == "verified":
        await Enterprise.filter(id=enterprise.id).update(pending_changes=None, changes_requested_at=None, **review)
    elif not await Enterprise.filter(id=enterprise.id, status="pending").update(status="rejected", **review):
        raise errors.EnterpriseStatusConflict(details={"status": status_of(await Enterprise.get(id=enterprise_id))})
    return await _reviewed(enterprise)


async def _reviewed(before: Enterprise) -> dict[str, Any]:
    """The admin's answer, once the review's change is noted for the operation log."""
    after = await Enterprise.get(id=before.id)
    audit.changed(target=f"enterprise_id={before.id}", before=audit.fields(before, LOGGED_FIELDS),
                  after=audit.fields(after, LOGGED_FIELDS))
    return _admin_view(after, await _claims({after.credit_code}))


async def _reviewable(enterprise_id: int) -> Enterprise:
    enterprise = await Enterprise.get_or_none(id=enterprise_id)
    if enterprise is None:
        raise errors.EnterpriseNotFound(details={"enterprise_id": enterprise_id})
    status = status_of(enterprise)
    if status != "pending" and not (status == "verified" and enterprise.pending_changes):
        raise errors.EnterpriseStatusConflict(details={"status": status})
    return enterprise


async def expire_registrations() -> dict[str, int]:
    """Periodic: pending registrations past their date become expired (reads treat them so already)."""
    lapsed = await Enterprise.filter(status="pending", expires_at__lte=clock.now()).update(
        status="expired", updated_at=clock.now())
    return {"expired": lapsed}
