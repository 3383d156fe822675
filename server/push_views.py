"""HTTP endpoints for WeChat subscribe-message templates and the user's consents."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sanic import Blueprint, Request

from server import auth, notify
from server.api import ANY_USER, endpoint
from server.schemas import Strict

bp = Blueprint("push", url_prefix="/api/v1/push")
TAGS = ["push"]


class TemplateOut(BaseModel):
    id: str
    kind: Literal["one_time", "long_term"]
    purpose: str


class GrantsIn(Strict):
    results: dict[str, Literal["accept", "reject", "ban"]] = Field(
        description="what wx.requestSubscribeMessage returned: template id -> accept | reject | ban",
        max_length=20)


class GrantOut(BaseModel):
    template_id: str
    kind: str
    status: str
    remaining: int


@bp.get("/templates")
@endpoint("Subscribe-message templates the mini-program may ask consent for", tags=TAGS, response=list[TemplateOut])
async def list_templates(request: Request):
    return notify.templates()


@bp.post("/grants")
@endpoint("Record the user's answers to wx.requestSubscribeMessage", tags=TAGS, body=GrantsIn,
          response=list[GrantOut], auth_roles=ANY_USER)
async def record_grants(request: Request, *, body: GrantsIn, user: auth.CurrentUser):
    return await notify.record_grants(user.id, body.results)


@bp.get("/grants")
@endpoint("My consents per template", tags=TAGS, response=list[GrantOut], auth_roles=ANY_USER)
async def my_grants(request: Request, *, user: auth.CurrentUser):
    return await notify.grants(user.id)
