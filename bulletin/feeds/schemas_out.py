"""Response models of subscriptions, feeds, notices and enterprises (for validation and OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class Option(BaseModel):
    value: str
    label: str


class DivisionOption(Option):
    level: Literal["district", "street", "community"]
    parent: str | None = Field(description="the value of the division containing it (a picker's tree)")


class Limits(BaseModel):
    subscriptions: int
    values_per_criterion: int
    keyword_chars: int


class OptionsOut(BaseModel):
    topics: list[Option]
    agencies: list[Option]
    doc_types: list[Option]
    disclosures: list[Option]
    industries: list[Option]
    sizes: list[Option]
    divisions: list[DivisionOption] = Field(
        description="the map's divisions (区划代码), districts, then streets, then communities; other codes are "
                    "accepted too")
    keywords: list[Option] = Field(description="free text")
    frequencies: list[Option]
    limits: Limits


class CriteriaOut(BaseModel):
    topics: list[str]
    agencies: list[str]
    doc_types: list[str]
    disclosures: list[str]
    keywords: list[str]
    divisions: list[str]
    industries: list[str]
    sizes: list[str]


class SubscriptionOut(BaseModel):
    id: int
    criteria: CriteriaOut
    frequency: Literal["immediate", "daily", "weekly", "feed"]
    description: str = Field(description="the criteria in Chinese, e.g. 主题：教育；区域：东门街道")
    division_names: dict[str, str] = Field(
        description="names of the criteria's divisions the map knows, by code (others show as their code)")
    enterprise_id: int | None
    created_at: datetime
    updated_at: datetime


class MatchOut(BaseModel):
    subscription_id: int
    criteria: CriteriaOut
    enterprise_id: int | None = Field(description="set when the subscription is an enterprise's")


class FeedItemOut(BaseModel):
    id: int = Field(description="feed item id (for /feed/read)")
    kind: Literal["document", "notice", "booking"]
    title: str
    summary: str
    source: str = Field(description="issuing agency or hall")
    published_at: datetime
    read: bool
    ref_id: int = Field(description="the gazette document, notice or booking id")
    page: str = Field(description="mini-program page that opens it")
    matched_by: list[MatchOut]


class FeedPage(BaseModel):
    items: list[FeedItemOut]
    next_cursor: str | None


class UnreadOut(BaseModel):
    unread: int


class ReadOut(BaseModel):
    marked: int
    unread: int


class NoticeOut(BaseModel):
    id: int
    title: str
    body: str | None = Field(description="null once withdrawn")
    hall_id: int | None
    source: str
    topic: Option | None
    agency: str | None
    divisions: list[str]
    industries: list[str]
    sizes: list[str]
    status: Literal["published", "withdrawn"]
    published_at: datetime
    withdrawn_at: datetime | None
    withdrawn_reason: str | None


class NoticePage(BaseModel):
    items: list[NoticeOut]
    next_cursor: str | None


class Contact(BaseModel):
    name: str | None = Field(description="masked: 张*")
    phone: str | None = Field(description="masked: 138****5678")


class MembershipOut(BaseModel):
    role: Literal["owner", "member"]
    notify: bool


class ProfileChanges(BaseModel):
    name: str | None = None
    industry: str | None = None
    size: str | None = None
    district: str | None = None


class EnterpriseOut(BaseModel):
    id: int
    name: str
    credit_code: str = Field(description="in full for owners and admins, masked for members")
    industry: Option
    size: Option
    district: str
    contact: Contact
    status: Literal["pending", "verified", "rejected", "expired"]
    reject_reason: str | None
    created_at: datetime
    reviewed_at: datetime | None
    expires_at: datetime | None = Field(description="a pending registration lapses then (14 days)")
    pending_changes: ProfileChanges | None = Field(
        description="a verified enterprise's new name, industry, size or district, waiting for an admin; "
                    "the profile above stays as verified until then")
    changes_requested_at: datetime | None
    membership: MembershipOut | None


class Claim(BaseModel):
    id: int
    name: str
    status: Literal["pending", "verified"]
    owner_id: int | None
    created_at: datetime


class EnterpriseReview(EnterpriseOut):
    competing_claims: list[Claim] = Field(description="other live registrations of the same credit code")


class InvitationOut(BaseModel):
    code: str
    expires_at: datetime
    enterprise_id: int


class MemberOut(BaseModel):
    user_id: int
    role: Literal["owner", "member"]
    notify: bool
    joined_at: datetime


class CardOut(BaseModel):
    id: int
    kind: Literal["document", "notice"]
    ref_id: int
    title: str
    summary: str
    source: str
    published_at: datetime
    page: str
    targeted: bool = Field(description="惠企政策: tagged for enterprises")


class HomeOut(BaseModel):
    enterprise: EnterpriseOut
    district_name: str | None = Field(description="the name of the enterprise's district, when the map knows it")
    policies: list[CardOut]
    notices: list[CardOut]
    subscriptions: list[SubscriptionOut]
