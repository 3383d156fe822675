"""Enterprises (企业主页): registration, profile, homepage, members and the enterprise's subscriptions."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin.feeds import errors, service_enterprises, service_home, service_members
from bulletin.feeds import service_enterprise_subscriptions as subs
from bulletin.feeds.schemas import (
    EnterpriseIn,
    EnterprisePatch,
    JoinIn,
    NotifyIn,
    SubscriptionIn,
    SubscriptionPatch,
)
from bulletin.feeds.schemas_out import (
    EnterpriseOut,
    HomeOut,
    InvitationOut,
    MemberOut,
    SubscriptionOut,
)
from server import auth
from server.api import ANY_USER, endpoint

bp = Blueprint("feeds_enterprises", url_prefix="/api/v1")
TAGS = ["enterprises"]
NOT_FOUND = [errors.EnterpriseNotFound]
OWNER_ONLY = [errors.EnterpriseNotFound, errors.NotEnterpriseOwner]


@bp.post("/enterprises")
@endpoint("Register an enterprise (pending until an admin verifies it; lapses after 14 days; 3 at once)",
          tags=TAGS, body=EnterpriseIn, response=EnterpriseOut, status=201, auth_roles=ANY_USER,
          raises=[errors.InvalidPersonalData, errors.CreditCodeTaken, errors.TooManyPendingRegistrations],
          limits="enterprise_register")
async def register(request: Request, *, body: EnterpriseIn, user: auth.CurrentUser):
    return await service_enterprises.register(user.id, body.model_dump())


@bp.get("/enterprises")
@endpoint("The enterprises I belong to", tags=TAGS, response=list[EnterpriseOut], auth_roles=ANY_USER)
async def mine(request: Request, *, user: auth.CurrentUser):
    return await service_enterprises.my_enterprises(user.id)


@bp.post("/enterprises/join")
@endpoint("Join an enterprise with the invitation code its owner shared", tags=TAGS, body=JoinIn,
          response=EnterpriseOut, auth_roles=ANY_USER, raises=[errors.InvitationInvalid, errors.AlreadyMember])
async def join(request: Request, *, body: JoinIn, user: auth.CurrentUser):
    return await service_members.join(user.id, code=body.code, notify=body.notify)


@bp.get("/enterprises/<enterprise_id:int>")
@endpoint("An enterprise's profile (members and admins)", tags=TAGS, response=EnterpriseOut,
          auth_roles=ANY_USER, raises=NOT_FOUND)
async def get_enterprise(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await service_enterprises.get_enterprise(enterprise_id, user)


@bp.patch("/enterprises/<enterprise_id:int>")
@endpoint("Correct the profile (owner): a verified enterprise's new name, industry, size or district waits for "
          "an admin (pending_changes); a rejected or lapsed registration goes back to review", tags=TAGS,
          body=EnterprisePatch, response=EnterpriseOut, auth_roles=ANY_USER,
          raises=[*OWNER_ONLY, errors.InvalidPersonalData, errors.TooManyPendingRegistrations])
async def update_enterprise(request: Request, enterprise_id: int, *, body: EnterprisePatch, user: auth.CurrentUser):
    return await service_enterprises.update_enterprise(enterprise_id, user, body.model_dump(exclude_none=True))


@bp.get("/enterprises/<enterprise_id:int>/home")
@endpoint("企业主页: profile, matching policies (惠企政策 first), notices, subscriptions", tags=TAGS,
          response=HomeOut, auth_roles=ANY_USER, raises=NOT_FOUND)
async def home(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await service_home.home(enterprise_id, user)


@bp.post("/enterprises/<enterprise_id:int>/invitations")
@endpoint("A one-time invitation code for a colleague (owner; valid 7 days)", tags=TAGS, response=InvitationOut,
          status=201, auth_roles=ANY_USER, raises=[*OWNER_ONLY, errors.EnterpriseStatusConflict])
async def invite(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await service_members.invite(enterprise_id, user)


@bp.get("/enterprises/<enterprise_id:int>/members")
@endpoint("Members and who gets messages (owner)", tags=TAGS, response=list[MemberOut], auth_roles=ANY_USER,
          raises=OWNER_ONLY)
async def members(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await service_members.members(enterprise_id, user)


@bp.delete("/enterprises/<enterprise_id:int>/members/<member_id:int>")
@endpoint("Remove a member (owner)", tags=TAGS, status=204, auth_roles=ANY_USER,
          raises=[*OWNER_ONLY, errors.OwnerCannotLeave])
async def remove_member(request: Request, enterprise_id: int, member_id: int, *, user: auth.CurrentUser):
    await service_members.remove_member(enterprise_id, user, member_id)


@bp.patch("/enterprises/<enterprise_id:int>/membership")
@endpoint("Opt in to (or out of) the enterprise's messages", tags=TAGS, body=NotifyIn, response=EnterpriseOut,
          auth_roles=ANY_USER, raises=NOT_FOUND)
async def set_notify(request: Request, enterprise_id: int, *, body: NotifyIn, user: auth.CurrentUser):
    return await service_members.set_notify(enterprise_id, user, notify=body.notify)


@bp.delete("/enterprises/<enterprise_id:int>/membership")
@endpoint("Leave an enterprise (members; the owner cannot)", tags=TAGS, status=204, auth_roles=ANY_USER,
          raises=[*NOT_FOUND, errors.OwnerCannotLeave])
async def leave(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    await service_members.leave(enterprise_id, user)


@bp.get("/enterprises/<enterprise_id:int>/subscriptions")
@endpoint("The enterprise's subscriptions (members)", tags=TAGS, response=list[SubscriptionOut],
          auth_roles=ANY_USER, raises=NOT_FOUND)
async def list_subscriptions(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await subs.list_for(enterprise_id, user)


@bp.post("/enterprises/<enterprise_id:int>/subscriptions")
@endpoint("Add a subscription for the enterprise (owner); opted-in members are notified", tags=TAGS,
          body=SubscriptionIn, response=SubscriptionOut, status=201, auth_roles=ANY_USER,
          raises=[*OWNER_ONLY, errors.BadCriteria, errors.TooManySubscriptions])
async def create_subscription(request: Request, enterprise_id: int, *, body: SubscriptionIn, user: auth.CurrentUser):
    return await subs.create_for(enterprise_id, user, criteria=body.criteria.model_dump(), frequency=body.frequency)


@bp.patch("/enterprises/<enterprise_id:int>/subscriptions/<subscription_id:int>")
@endpoint("Change an enterprise subscription (owner)", tags=TAGS, body=SubscriptionPatch, response=SubscriptionOut,
          auth_roles=ANY_USER, raises=[*OWNER_ONLY, errors.SubscriptionNotFound, errors.BadCriteria])
async def update_subscription(request: Request, enterprise_id: int, subscription_id: int, *,
                              body: SubscriptionPatch, user: auth.CurrentUser):
    criteria = body.criteria.model_dump() if body.criteria is not None else None
    return await subs.update_for(enterprise_id, subscription_id, user, criteria=criteria, frequency=body.frequency)


@bp.delete("/enterprises/<enterprise_id:int>/subscriptions/<subscription_id:int>")
@endpoint("Delete an enterprise subscription (owner)", tags=TAGS, status=204, auth_roles=ANY_USER,
          raises=[*OWNER_ONLY, errors.SubscriptionNotFound])
async def delete_subscription(request: Request, enterprise_id: int, subscription_id: int, *,
                              user: auth.CurrentUser):
    await subs.delete_for(enterprise_id, subscription_id, user)
