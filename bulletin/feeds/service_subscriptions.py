"""Subscriptions of a person or an enterprise: options, create, change, delete (at most 20 each).

A subscription points at the shared list of its canonical criteria (found or created in the
same transaction); creating or changing one queues a backfill so that recent matching items
show up in the feed at once. The limit of 20 is kept by a conditional UPDATE of a counter,
so concurrent requests cannot pass it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from bulletin import service_catalog
from bulletin.feeds import errors, repository, sql
from bulletin.feeds.model import (
    FREQUENCIES,
    MAX_KEYWORD_CHARS,
    MAX_SUBSCRIPTIONS,
    MAX_VALUES,
    RANK,
    VOCABULARIES,
    Criteria,
    CriteriaError,
    canonical_criteria,
    describe,
)
from bulletin.feeds.tables import Account, Enterprise, Membership, Subscription
from geo import service as geo_service
from server import clock, outbox, storage

BACKFILL_TOPIC = "feeds.backfill"


@dataclass(frozen=True)
class Owner:
    """Whose subscriptions: a person's own (user_id) or an enterprise's (enterprise_id)."""

    user_id: int | None = None
    enterprise_id: int | None = None

    def filters(self) -> dict[str, int | None]:
        return {"user_id": self.user_id, "enterprise_id": self.enterprise_id}


async def agency_names() -> dict[str, str]:
    """{agency code: name} from the gazette."""
    return {a["value"]: a["label"] for a in await service_catalog.agency_options()}


async def options() -> dict[str, Any]:
    """GET /subscriptions/options: the choices of each criterion with Chinese labels."""
    return {
        **{name: vocabulary.options() for name, vocabulary in VOCABULARIES.items()},
        "agencies": await service_catalog.agency_options(),
        "divisions": [{"value": d["code"], "label": d["name"], "level": d["level"], "parent": d["parent_code"]}
                      for d in await geo_service.list_divisions()],
        "keywords": [], "frequencies": FREQUENCIES.options(),
        "limits": {"subscriptions": MAX_SUBSCRIPTIONS, "values_per_criterion": MAX_VALUES,
                   "keyword_chars": MAX_KEYWORD_CHARS},
    }


async def canonical(raw: Mapping[str, Any]) -> Criteria:
    """Canonical criteria, or 422 naming the field (criteria.topics, ...)."""
    try:
        return canonical_criteria(raw, agencies=await service_catalog.agency_spellings())
    except CriteriaError as exc:
        field = {"field": f"criteria.{exc.field}", "in": "body", "code": exc.code, "message": exc.message}
        if exc.value is not None:
            field["value"] = exc.value
        raise errors.BadCriteria(exc.message, details={"fields": [field]}) from None


@dataclass(frozen=True)
class Labels:
    """Names shown for criteria values: agencies by code, and the map's divisions by code."""

    agencies: Mapping[str, str]
    divisions: Mapping[str, str]


async def labels(criteria: Iterable[Criteria]) -> Labels:
    codes = {code for c in criteria for code in c.divisions}
    return Labels(agencies=await agency_names(), divisions=await geo_service.division_names(codes))


def view(row: Subscription, criteria: Criteria, names: Labels) -> dict[str, Any]:
    """A subscription as the API shows it."""
    return {"id": row.id, "criteria": criteria.as_dict(), "frequency": row.frequency,
            "description": describe(criteria, agency_names=names.agencies, division_names=names.divisions),
            "division_names": {code: names.divisions[code] for code in criteria.divisions if code in names.divisions},
            "enterprise_id": row.enterprise_id, "created_at": row.created_at, "updated_at": row.updated_at}


async def list_subscriptions(owner: Owner) -> list[dict[str, Any]]:
    """The owner's subscriptions, oldest first."""
    rows = await Subscription.filter(**owner.filters()).order_by("id")
    criteria = await repository.list_criteria(r.list_id for r in rows)
    names = await labels(criteria[r.list_id] for r in rows)
    return [view(r, criteria[r.list_id], names) for r in rows]


async def _own(subscription_id: int, owner: Owner, conn: BaseDBAsyncClient | None = None) -> Subscription:
    row = await Subscription.filter(id=subscription_id, **owner.filters()).using_db(conn).first()
    if row is None:
        raise errors.SubscriptionNotFound(details={"subscription_id": subscription_id})
    return row


async def _take_place(owner: Owner, conn: BaseDBAsyncClient) -> None:
    if owner.user_id is not None:
        await Account.bulk_create([Account(user_id=owner.user_id)], ignore_conflicts=True, using_db=conn)
        query = Account.filter(user_id=owner.user_id, subscription_count__lt=MAX_SUBSCRIPTIONS)
    else:
        query = Enterprise.filter(id=owner.enterprise_id, subscription_count__lt=MAX_SUBSCRIPTIONS)
    if not await query.using_db(conn).update(subscription_count=F("subscription_count") + 1):
        raise errors.TooManySubscriptions(details={"limit": MAX_SUBSCRIPTIONS})


async def _give_back(owner: Owner, conn: BaseDBAsyncClient) -> None:
    query = Account.filter(user_id=owner.user_id) if owner.user_id is not None \
        else Enterprise.filter(id=owner.enterprise_id)
    await query.filter(subscription_count__gt=0).using_db(conn).update(subscription_count=F("subscription_count") - 1)


async def create_subscription(owner: Owner, *, criteria: Mapping[str, Any], frequency: str) -> dict[str, Any]:
    """POST /subscriptions: subscribe (409 past 20); recent matching items are backfilled."""
    canonical_form = await canonical(criteria)
    now = clock.now()
    async with storage.transaction() as conn:
        await _take_place(owner, conn)
        list_id = await repository.find_or_create_list(canonical_form, conn=conn)
        row = await Subscription.create(**owner.filters(), list_id=list_id, frequency=frequency,
                                        rank=RANK[frequency], created_at=now, updated_at=now, using_db=conn)
        await outbox.enqueue(BACKFILL_TOPIC, {"subscription_id": row.id}, using_db=conn)
    return view(row, canonical_form, await labels([canonical_form]))


async def update_subscription(subscription_id: int, owner: Owner, *, criteria: Mapping[str, Any] | None,
                              frequency: str | None) -> dict[str, Any]:
    """PATCH /subscriptions/{id}: new criteria (the feed follows them) or a new frequency."""
    canonical_form = await canonical(criteria) if criteria is not None else None
    async with storage.transaction() as conn:
        row = await _own(subscription_id, owner, conn)
        moved = False
        if canonical_form is not None:
            list_id = await repository.find_or_create_list(canonical_form, conn=conn)
            moved, row.list_id = list_id != row.list_id, list_id
        if frequency is not None:
            row.frequency, row.rank = frequency, RANK[frequency]
        row.updated_at = clock.now()
        await row.save(using_db=conn)
        if moved:
            await prune_feeds(owner, conn=conn)
            await outbox.enqueue(BACKFILL_TOPIC, {"subscription_id": row.id}, using_db=conn)
    criteria_now = (await repository.list_criteria([row.list_id]))[row.list_id]
    return view(row, criteria_now, await labels([criteria_now]))


async def delete_subscription(subscription_id: int, owner: Owner) -> None:
    """DELETE /subscriptions/{id}: items no other subscription matches leave the feed."""
    async with storage.transaction() as conn:
        row = await _own(subscription_id, owner, conn)
        await Subscription.filter(id=row.id).using_db(conn).delete()
        await _give_back(owner, conn)
        await prune_feeds(owner, conn=conn)


async def prune_feeds(owner: Owner, *, conn: BaseDBAsyncClient) -> None:
    """Remove feed entries that none of the reader's subscriptions match any more."""
    if owner.user_id is not None:
        readers = [owner.user_id]
    else:
        readers = await Membership.filter(enterprise_id=owner.enterprise_id, notify=True).using_db(conn) \
            .values_list("user_id", flat=True)
    for user_id in readers:
        await repository.execute(sql.prune_entries(dialect=repository.dialect(conn), user_id=user_id), conn)
