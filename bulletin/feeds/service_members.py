"""Enterprise members: invitation codes, joining, opting in to messages, leaving.

An owner creates a one-time invitation code (valid 7 days) and sends it to a colleague in
WeChat; the colleague enters it in the mini-program to join. That is how a real enterprise
works from a phone: nobody knows a colleague's account id, and a code shared in a chat
group can be revoked simply by letting it expire. Only the code's SHA-256 is stored.
Members get the enterprise's messages only after opting in (``notify``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from bulletin.feeds import errors
from bulletin.feeds.service_enterprises import enterprise_for, owned, view
from bulletin.feeds.service_subscriptions import BACKFILL_TOPIC, Owner, prune_feeds
from bulletin.feeds.tables import Enterprise, Invitation, Membership, Subscription
from server import clock, outbox, storage
from server.auth import CurrentUser

INVITATION_TTL = timedelta(days=7)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a chat
CODE_LENGTH = 8


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


async def invite(enterprise_id: int, user: CurrentUser) -> dict[str, Any]:
    """POST /enterprises/{id}/invitations: a one-time code for a colleague (verified enterprises only)."""
    enterprise = await owned(enterprise_id, user)
    if enterprise.status != "verified":
        raise errors.EnterpriseStatusConflict("企业通过认证后才能邀请成员", details={"status": enterprise.status})
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = clock.now() + INVITATION_TTL
    await Invitation.create(enterprise_id=enterprise.id, code_hash=_hash(code), created_by=user.id,
                            expires_at=expires_at, created_at=clock.now())
    return {"code": code, "expires_at": expires_at, "enterprise_id": enterprise.id}


async def join(user_id: int, *, code: str, notify: bool) -> dict[str, Any]:
    """POST /enterprises/join {code, notify}: redeem an invitation (once, before it expires)."""
    now = clock.now()
    try:
        async with storage.transaction() as conn:
            invitation = await Invitation.filter(code_hash=_hash(code), used_at=None, expires_at__gt=now) \
                .select_for_update().using_db(conn).first()
            if invitation is None:
                raise errors.InvitationInvalid()
            enterprise = await Enterprise.get(id=invitation.enterprise_id).using_db(conn)
            membership = await Membership.create(enterprise_id=enterprise.id, user_id=user_id, role="member",
                                                 notify=notify, joined_at=now, using_db=conn)
            # Conditional: of two people redeeming one code at once, only one takes it.
            if not await Invitation.filter(id=invitation.id, used_at=None).using_db(conn).update(
                    used_by=user_id, used_at=now):
                raise errors.InvitationInvalid()
            if notify:
                await _queue_backfills(enterprise.id, user_id, conn=conn)
    except IntegrityError:
        raise errors.AlreadyMember() from None
    return view(enterprise, membership=membership)


async def _queue_backfills(enterprise_id: int, user_id: int, *, conn: Any) -> None:
    ids = await Subscription.filter(enterprise_id=enterprise_id).using_db(conn).values_list("id", flat=True)
    for subscription_id in ids:
        await outbox.enqueue(BACKFILL_TOPIC, {"subscription_id": subscription_id, "user_id": user_id}, using_db=conn)


async def set_notify(enterprise_id: int, user: CurrentUser, *, notify: bool) -> dict[str, Any]:
    """PATCH /enterprises/{id}/membership {notify}: opt in to (or out of) the enterprise's messages."""
    enterprise, membership = await enterprise_for(enterprise_id, user)
    if membership is None:
        raise errors.EnterpriseNotFound(details={"enterprise_id": enterprise_id})
    async with storage.transaction() as conn:
        await Membership.filter(id=membership.id).using_db(conn).update(notify=notify)
        membership.notify = notify
        if notify:
            await _queue_backfills(enterprise.id, user.id, conn=conn)
        else:
            await prune_feeds(Owner(user_id=user.id), conn=conn)
    return view(enterprise, membership=membership)


async def members(enterprise_id: int, user: CurrentUser) -> list[dict[str, Any]]:
    """GET /enterprises/{id}/members (owner): who is in, and who gets messages."""
    await owned(enterprise_id, user)
    rows = await Membership.filter(enterprise_id=enterprise_id).order_by("joined_at", "id")
    return [{"user_id": m.user_id, "role": m.role, "notify": m.notify, "joined_at": m.joined_at} for m in rows]


async def remove_member(enterprise_id: int, user: CurrentUser, member_id: int) -> None:
    """DELETE /enterprises/{id}/members/{user_id} (owner); the owner cannot be removed."""
    await owned(enterprise_id, user)
    await _leave(enterprise_id, member_id)


async def leave(enterprise_id: int, user: CurrentUser) -> None:
    """DELETE /enterprises/{id}/membership: leave an enterprise (not its owner)."""
    _, membership = await enterprise_for(enterprise_id, user)
    if membership is None:
        raise errors.EnterpriseNotFound(details={"enterprise_id": enterprise_id})
    await _leave(enterprise_id, user.id)


async def _leave(enterprise_id: int, user_id: int) -> None:
    async with storage.transaction() as conn:
        membership = await Membership.filter(enterprise_id=enterprise_id, user_id=user_id).using_db(conn).first()
        if membership is None:
            return
        if membership.role == "owner":
            raise errors.OwnerCannotLeave()
        await Membership.filter(id=membership.id).using_db(conn).delete()
        await prune_feeds(Owner(user_id=user_id), conn=conn)
