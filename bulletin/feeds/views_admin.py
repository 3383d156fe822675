"""Admins review enterprise registrations: verify, or reject with a reason."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin.feeds import errors
from bulletin.feeds import service_enterprise_review as review
from bulletin.feeds.schemas import AdminEnterpriseQuery, RejectIn
from bulletin.feeds.schemas_out import EnterpriseReview
from server import auth
from server.api import endpoint

bp = Blueprint("feeds_admin", url_prefix="/api/v1/admin")
TAGS = ["enterprises: admin"]
ADMIN = "admin"


@bp.get("/enterprises")
@endpoint("Enterprises, oldest first, with competing claims on their code (?status=pending, ?awaiting=true)",
          tags=TAGS, query=AdminEnterpriseQuery, response=list[EnterpriseReview], auth_roles=ADMIN)
async def list_enterprises(request: Request, *, query: AdminEnterpriseQuery, user: auth.CurrentUser):
    return await review.admin_list(status=query.status, awaiting=query.awaiting)


@bp.post("/enterprises/<enterprise_id:int>/verify")
@endpoint("Verify a pending registration (competing claims on its code are rejected; it gets a subscription "
          "for its industry, size and district), or a verified enterprise's requested changes", tags=TAGS,
          response=EnterpriseReview, auth_roles=ADMIN,
          raises=[errors.EnterpriseNotFound, errors.EnterpriseStatusConflict, errors.CreditCodeTaken])
async def verify(request: Request, enterprise_id: int, *, user: auth.CurrentUser):
    return await review.verify(enterprise_id, admin_id=user.id)


@bp.post("/enterprises/<enterprise_id:int>/reject")
@endpoint("Reject a pending registration, or a verified enterprise's requested changes, with a reason",
          tags=TAGS, body=RejectIn, response=EnterpriseReview, auth_roles=ADMIN,
          raises=[errors.EnterpriseNotFound, errors.EnterpriseStatusConflict])
async def reject(request: Request, enterprise_id: int, *, body: RejectIn, user: auth.CurrentUser):
    return await review.reject(enterprise_id, admin_id=user.id, reason=body.reason)
