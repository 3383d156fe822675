"""The enterprise homepage (企业主页): profile, matching policies, notices, subscriptions.

Matching policies are the published gazette documents that fit the enterprise: first the
惠企政策 (documents tagged for enterprises: an industry or a size) whose industries and sizes
include the enterprise's (an empty one means all), then other economic documents; in both,
documents tagged with divisions must concern the enterprise's district (or a place within
it, or around it). Newest first within each group.
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q

from bulletin.feeds import divisions
from bulletin.feeds.model import ItemFacts
from bulletin.feeds.service_enterprises import enterprise_for, view
from bulletin.feeds.service_fanout import page_of
from bulletin.feeds.service_subscriptions import Owner, list_subscriptions
from bulletin.feeds.tables import Enterprise, FeedItem
from geo import service as geo_service
from server.auth import CurrentUser

POLICIES = 20
NOTICES = 10
SCAN = 200
# 主题分类 of documents an enterprise reads even when they are not tagged for enterprises.
BUSINESS_TOPICS = ("economic_management", "commerce_customs_tourism", "market_regulation_safety",
                   "industry_transport", "science_technology", "finance_audit", "labour_personnel")


def fits_district(facts: ItemFacts, district: str) -> bool:
    """Untagged items concern the whole district; tagged ones must contain or lie in the enterprise's."""
    return not facts.divisions or any(divisions.related(code, district) for code in facts.divisions)


def _card(row: FeedItem) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "ref_id": row.ref_id, "title": row.title, "summary": row.summary,
            "source": row.source, "published_at": row.published_at, "page": page_of(row.kind, row.ref_id),
            "targeted": row.targeted}


async def matched_policies(enterprise: Enterprise, *, limit: int = POLICIES) -> list[dict[str, Any]]:
    """Documents fitting the enterprise's industry, size and district; 惠企政策 first."""
    fits_tags = (Q(industries="") | Q(industries__contains=f",{enterprise.industry},")) & \
        (Q(sizes="") | Q(sizes__contains=f",{enterprise.size},"))
    targeted = await (FeedItem.filter(kind="document", status="published", targeted=True).filter(fits_tags)
                      .order_by("-published_at", "-id").limit(SCAN))
    general = await (FeedItem.filter(kind="document", status="published", targeted=False,
                                     topic__in=BUSINESS_TOPICS).order_by("-published_at", "-id").limit(SCAN))
    chosen = [row for row in [*targeted, *general]
              if fits_district(ItemFacts.from_dict(row.facts), enterprise.district)]
    return [_card(row) for row in chosen[:limit]]


async def notices(enterprise: Enterprise, *, limit: int = NOTICES) -> list[dict[str, Any]]:
    """The newest published notices concerning the enterprise's district."""
    rows = await FeedItem.filter(kind="notice", status="published").order_by("-published_at", "-id").limit(SCAN)
    return [_card(r) for r in rows if fits_district(ItemFacts.from_dict(r.facts), enterprise.district)][:limit]


async def home(enterprise_id: int, user: CurrentUser) -> dict[str, Any]:
    """GET /enterprises/{id}/home (members and admins)."""
    enterprise, membership = await enterprise_for(enterprise_id, user)
    places = await geo_service.division_names([enterprise.district])
    return {
        "enterprise": view(enterprise, membership=membership, admin=user.role == "admin"),
        "district_name": places.get(enterprise.district),
        "policies": await matched_policies(enterprise),
        "notices": await notices(enterprise),
        "subscriptions": await list_subscriptions(Owner(enterprise_id=enterprise.id)),
    }
