"""An enterprise's own subscriptions: members read them, the owner manages them.

Their matches reach every member who opted in to the enterprise's messages (see the fan-out).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bulletin.feeds import service_subscriptions as subscriptions
from bulletin.feeds.service_enterprises import enterprise_for, owned
from bulletin.feeds.service_subscriptions import Owner
from server.auth import CurrentUser


async def list_for(enterprise_id: int, user: CurrentUser) -> list[dict[str, Any]]:
    """GET /enterprises/{id}/subscriptions (members)."""
    await enterprise_for(enterprise_id, user)
    return await subscriptions.list_subscriptions(Owner(enterprise_id=enterprise_id))


async def create_for(enterprise_id: int, user: CurrentUser, *, criteria: Mapping[str, Any],
                     frequency: str) -> dict[str, Any]:
    """POST /enterprises/{id}/subscriptions (owner)."""
    await owned(enterprise_id, user)
    return await subscriptions.create_subscription(Owner(enterprise_id=enterprise_id), criteria=criteria,
                                                   frequency=frequency)


async def update_for(enterprise_id: int, subscription_id: int, user: CurrentUser, *,
                     criteria: Mapping[str, Any] | None, frequency: str | None) -> dict[str, Any]:
    """PATCH /enterprises/{id}/subscriptions/{sid} (owner)."""
    await owned(enterprise_id, user)
    return await subscriptions.update_subscription(subscription_id, Owner(enterprise_id=enterprise_id),
                                                   criteria=criteria, frequency=frequency)


async def delete_for(enterprise_id: int, subscription_id: int, user: CurrentUser) -> None:
    """DELETE /enterprises/{id}/subscriptions/{sid} (owner)."""
    await owned(enterprise_id, user)
    await subscriptions.delete_subscription(subscription_id, Owner(enterprise_id=enterprise_id))
