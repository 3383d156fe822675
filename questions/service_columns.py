"""Letter columns (书记信箱, 区长信箱, ...; admins configure them) and 人民建议 campaigns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from questions import errors
from questions.tables import Campaign, Column
from server import audit, clock

CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")


def column_view(column: Column) -> dict[str, Any]:
    return {"code": column.code, "name": column.name, "description": column.description, "kind": column.kind,
            "is_active": column.is_active}


async def list_columns(*, include_inactive: bool = False) -> list[dict[str, Any]]:
    """GET /questions/columns: the columns residents may write to, in display order."""
    rows = Column.all() if include_inactive else Column.filter(is_active=True)
    return [column_view(c) for c in await rows.order_by("position", "id")]


async def names() -> dict[int, str]:
    return dict(await Column.all().values_list("id", "name"))


async def active_column(code: str) -> Column:
    """The active column with this code, else 422 unknown_column."""
    column = await Column.get_or_none(code=code, is_active=True) if CODE.fullmatch(code) else None
    if column is None:
        raise errors.UnknownColumn(details={"fields": [{"field": "column", "in": "body", "code": "unknown_column",
                                                       "message": f"没有信箱栏目 {code}"}]})
    return column


async def create_column(fields: Mapping[str, Any]) -> dict[str, Any]:
    """POST /questions/columns (admins)."""
    last = await Column.all().order_by("-position").first()
    try:
        column = await Column.create(**fields, position=(last.position + 1) if last else 0)
    except IntegrityError:
        raise errors.ColumnExists(details={"code": fields.get("code")}) from None
    return column_view(column)


async def update_column(code: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /questions/columns/{code} (admins): rename, describe, hide."""
    column = await Column.get_or_none(code=code) if CODE.fullmatch(code) else None
    if column is None:
        raise errors.ColumnNotFound(details={"code": code})
    for name, value in changes.items():
        setattr(column, name, value)
    await column.save()
    return column_view(column)


def campaign_view(campaign: Campaign) -> dict[str, Any]:
    today = clock.today()
    return {"id": campaign.id, "title": campaign.title, "description": campaign.description,
            "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
            "open": campaign.starts_on <= today <= campaign.ends_on}


async def open_campaign(*, title: str, description: str, starts_on: date, ends_on: date) -> dict[str, Any]:
    """POST /questions/campaigns (admins): a 人民建议 campaign with its dates."""
    campaign = await Campaign.create(title=title, description=description, starts_on=starts_on, ends_on=ends_on,
                                     created_at=clock.now())
    return campaign_view(campaign)


async def list_campaigns() -> list[dict[str, Any]]:
    """GET /questions/campaigns: newest first."""
    return [campaign_view(c) for c in await Campaign.all().order_by("-starts_on", "-id")]


async def update_campaign(campaign_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /questions/campaigns/{id} (admins): correct the title, the description or the dates of a campaign,
    open or not (a typo is found after the launch; a campaign is extended). The dates must stay in order;
    suggestions already sent stay in the campaign."""
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None:
        raise errors.CampaignNotFound(details={"campaign_id": campaign_id})
    starts_on, ends_on = changes.get("starts_on", campaign.starts_on), changes.get("ends_on", campaign.ends_on)
    if ends_on < starts_on:
        raise errors.ValidationFailed.field("ends_on", "结束日期不能早于开始日期")
    before = audit.fields(campaign, tuple(changes))
    for name, value in changes.items():
        setattr(campaign, name, value)
    if changes:
        await campaign.save(update_fields=list(changes))
    audit.changed(target=f"campaign_id={campaign.id}", before=before, after=audit.fields(campaign, before))
    return campaign_view(campaign)


async def close_campaign(campaign_id: int) -> dict[str, Any]:
    """Close a 人民建议 campaign (admins): it takes no suggestion from today on (it ended yesterday; one
    not started yet starts and ends yesterday). Adopted suggestions stay shown."""
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None:
        raise errors.CampaignNotFound(details={"campaign_id": campaign_id})
    yesterday = clock.today() - timedelta(days=1)
    if campaign.ends_on <= yesterday:
        raise errors.CampaignClosed(details={"ends_on": campaign.ends_on.isoformat()})
    before = audit.fields(campaign, ("starts_on", "ends_on"))
    campaign.starts_on, campaign.ends_on = min(campaign.starts_on, yesterday), yesterday
    await campaign.save(update_fields=["starts_on", "ends_on"])
    audit.changed(target=f"campaign_id={campaign.id}", before=before, after=audit.fields(campaign, before))
    return campaign_view(campaign)


async def open_campaign_or_error(campaign_id: int) -> Campaign:
    """The campaign, which must be taking suggestions today (404 / 409 campaign_closed)."""
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None:
        raise errors.CampaignNotFound(details={"campaign_id": campaign_id})
    if not campaign.starts_on <= clock.today() <= campaign.ends_on:
        raise errors.CampaignClosed(details={"starts_on": campaign.starts_on.isoformat(),
                                             "ends_on": campaign.ends_on.isoformat()})
    return campaign
