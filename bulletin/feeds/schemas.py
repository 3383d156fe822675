"""Request models of subscriptions, feeds, notices and enterprises (parsed at the edge).

Criteria values are checked against the vocabularies in the service (bulletin.feeds.model),
so that a bad one is answered with a code naming the criterion (unknown_topic, ...).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from bulletin.feeds.model import MAX_VALUES
from bulletin.schemas import IndustryCode, SizeCode, TopicCode
from server.schemas import Strict

Frequency = Literal["immediate", "daily", "weekly", "feed"]
Value = Annotated[str, Field(min_length=1, max_length=64)]
Values = Annotated[list[Value], Field(default_factory=list, max_length=MAX_VALUES)]


class CriteriaIn(Strict):
    """Each criterion a list (empty or absent: anything); AND across criteria, OR within one."""

    topics: Values = Field(description="主题分类 codes (or labels)")
    agencies: Values = Field(description="发布机构 codes")
    doc_types: Values = Field(description="文种 codes (or labels)")
    disclosures: Values = Field(description="五公开 codes (or labels)")
    keywords: Values = Field(description="Chinese terms, matched on title, summary and body; 1-20 characters each")
    divisions: Values = Field(description="区划代码 of a district, street or community (e.g. 440303003001)")
    industries: Values = Field(description="GB/T 4754 sections A-T")
    sizes: Values = Field(description="large | medium | small | micro (or 大型, 中型, 小型, 微型)")


class SubscriptionIn(Strict):
    criteria: CriteriaIn = Field(default_factory=CriteriaIn)
    frequency: Frequency = Field(default="immediate",
                                 description="immediate (push) | daily (08:30 digest) | weekly (Monday) | feed")


class SubscriptionPatch(Strict):
    criteria: CriteriaIn | None = None
    frequency: Frequency | None = None


class FeedQuery(BaseModel):
    cursor: str | None = Field(default=None, max_length=512, description="next_cursor of the previous page")
    limit: int = Field(default=20, ge=1, le=50)


class ReadIn(Strict):
    ids: list[int] = Field(min_length=1, max_length=200, description="feed item ids")


class NoticeIn(Strict):
    title: str = Field(min_length=1, max_length=60)
    body: str = Field(min_length=1, max_length=2000, description="plain text")
    hall_id: int | None = Field(default=None, description="the hall it concerns (required for hall staff)")
    topic: TopicCode | None = None
    agency: str | None = Field(default=None, max_length=64, description="issuing agency code or name")
    divisions: list[Value] = Field(default_factory=list, max_length=50, description="区划代码 it concerns")
    industries: list[IndustryCode] = Field(default_factory=list)
    sizes: list[SizeCode] = Field(default_factory=list)
    notify: bool = Field(default=True, description="false: into feeds only, no WeChat message")


class WithdrawIn(Strict):
    reason: str = Field(min_length=1, max_length=200)


class NoticeListQuery(BaseModel):
    hall_id: int | None = None
    cursor: str | None = Field(default=None, max_length=512)
    limit: int = Field(default=20, ge=1, le=50)


class ContactIn(Strict):
    name: str = Field(min_length=1, max_length=32, description="联系人姓名 (stored encrypted)")
    phone: str = Field(min_length=5, max_length=20, description="联系人手机 (stored encrypted)")


class EnterpriseIn(Strict):
    name: str = Field(min_length=2, max_length=100)
    credit_code: str = Field(min_length=1, max_length=32, description="统一社会信用代码 (18 characters)")
    industry: IndustryCode = Field(description="GB/T 4754 section A-T")
    size: SizeCode
    district: str = Field(min_length=2, max_length=12, description="区划代码 of its registered place")
    contact: ContactIn


class EnterprisePatch(Strict):
    name: str | None = Field(default=None, min_length=2, max_length=100)
    industry: IndustryCode | None = None
    size: SizeCode | None = None
    district: str | None = Field(default=None, min_length=2, max_length=12)
    contact: ContactIn | None = None


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=200)


class JoinIn(Strict):
    code: str = Field(min_length=6, max_length=16, description="the invitation code the owner shared")
    notify: bool = Field(default=False, description="opt in to the enterprise's messages now")


class NotifyIn(Strict):
    notify: bool


class AdminEnterpriseQuery(BaseModel):
    status: Literal["pending", "verified", "rejected", "expired"] | None = None
    awaiting: bool = Field(default=False, description="what awaits an admin: pending registrations and "
                                                        "verified enterprises' profile changes")
