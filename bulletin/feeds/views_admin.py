"""Admins review enterprise registrations: verify, or reject with a reason."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin.feeds import errors, service_enterprises
from bulletin.feeds.schemas import AdminEnterpriseQuery, RejectIn
from bulletin.feeds.schemas_out import EnterpriseOut
from server import auth
from server.api import endpoint

bp = Blueprint("feeds_admin", url_prefix="/api/v1/admin")
TAGS = ["enterprises: admin"]
ADMIN = "admin"


@bp.get("/enterprises")
@endpoint("Enterprise registrations, oldest first (e.g. ?status=pending)", tags=TAGS, query=AdminEnterpriseQuery,
          response=list[EnterpriseOut], auth_roles=ADMIN)
async def list_enterprises(request: Request, *, query: AdminEnterpriseQuery, user: auth.CurrentUser):
    return await service_enterprises.admin_list(status=query.status)


@bp.post("/enterprises/<enterprise_id:int>/verify")
@endpoint("Verify a pending enterprise (it gets a subscription for its industry, size and district)", tags=TAGS,
          response=EnterpriseOut, auth_roles=ADMIN,
          raises=[errors.EnterpriseNotFound, errors.EnterpriseStatusConflict])
async def verify(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await service_enterprises.verify(enterprise_id, admin_id=user.id)


@bp.post("/enterprises/<enterprise_id:int>/reject")
@endpoint("Reject a pending enterprise with a reason (its credit code is free again)", tags=TAGS, body=RejectIn,
          response=EnterpriseOut, auth_roles=ADMIN,
          raises=[errors.EnterpriseNotFound, errors.EnterpriseStatusConflict])
async def reject(request: Request, enterprise_id: int, *, body: RejectIn, user: auth.CurrentUser):
    return await service_enterprises.reject(enterprise_id, admin_id=user.id, reason=body.reason)
