"""WeChat subscribe messages: consent (grants), the outbox topic that sends them, the shared rate.

WeChat lets a mini-program message a user only with consent per template: a one-time template
allows one message per "accept" the user gave in wx.requestSubscribeMessage; a long-term
template (政务民生 services) allows messages until the user turns it off. We record what the
mini-program reports, spend one grant per message, never send without one, and stop at a
refusal (43101). Domains never call WeChat directly: they ``enqueue_push`` in the same
transaction as their change, and the worker sends at a rate shared by every worker.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any, Literal

from redis.exceptions import RedisError
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from server import clock, config, outbox, ratelimit, storage, wechat
from server.config import Template
from server.tables import OutboxMessage, PushGrant, PushLog, User

log = logging.getLogger("bianmin.notify")
TOPIC = "push"
Choice = Literal["accept", "reject", "ban"]
REFUSED = 43101
PERMANENT_ERRORS = {40003, 40037, 47003, 41030, REFUSED}
DAILY_QUOTA, MINUTE_QUOTA = 45009, 45011
REDIS_WAIT = timedelta(seconds=30)  # a message waits this long for Redis (the send rate, the access token)
QUOTA_RECHECK = timedelta(hours=1)  # an operator may reset the daily quota (clear_quota) before midnight


def templates() -> list[dict[str, str]]:
    """Configured templates: [{id, kind, purpose}] for the mini-program to request."""
    return [{"id": t.id, "kind": t.kind, "purpose": t.purpose} for t in config.current().wechat_templates.values()]


async def record_grants(user_id: int, results: dict[str, Choice]) -> list[dict[str, Any]]:
    """Store what wx.requestSubscribeMessage returned; unknown template ids are ignored."""
    known = {t.id: t for t in config.current().wechat_templates.values()}
    now = clock.now()
    for template_id, choice in results.items():
        template = known.get(template_id)
        if template is None:
            continue
        grant, _ = await PushGrant.get_or_create(
            user_id=user_id, template_id=template_id,
            defaults={"kind": template.kind, "status": choice, "remaining": 0, "updated_at": now})
        grant.kind, grant.status, grant.updated_at = template.kind, choice, now
        if choice == "accept" and template.kind == "one_time":
            grant.remaining += 1
        elif choice != "accept":
            grant.remaining = 0
        await grant.save()
    return await grants(user_id)


async def grants(user_id: int) -> list[dict[str, Any]]:
    rows = await PushGrant.filter(user_id=user_id).order_by("template_id")
    return [{"template_id": g.template_id, "kind": g.kind, "status": g.status, "remaining": g.remaining} for g in rows]


async def enqueue_push(*, user_id: int, purpose: str, data: dict[str, Any], page: str | None = None,
                       due_at: datetime | None = None, group: str | None = None, dedup_key: str | None = None,
                       using_db: BaseDBAsyncClient | None = None) -> None:
    """Queue a subscribe message to ``user_id`` for ``purpose`` (in the caller's transaction)."""
    payload = {"user_id": user_id, "purpose": purpose, "data": data, "page": page}
    await outbox.enqueue(TOPIC, payload, due_at=due_at, group=group, dedup_key=dedup_key, using_db=using_db)


async def _spend(user_id: int, template_id: str, kind: str, *, using_db: BaseDBAsyncClient) -> bool:
    """Take one grant (atomically); long-term grants are not used up."""
    grants = PushGrant.filter(user_id=user_id, template_id=template_id, status="accept").using_db(using_db)
    if kind == "long_term":
        return await grants.exists()
    return await grants.filter(remaining__gt=0).update(remaining=F("remaining") - 1) == 1


async def _reserve(message: OutboxMessage, *, user_id: int, purpose: str, template: Template) -> bool:
    """Take one grant for this message, once: a retry of the same message (after a crash or a
    transient failure) reuses its reservation instead of needing, or spending, another grant."""
    if await PushLog.filter(outbox_id=message.id, outcome="reserved").exists():
        return True
    async with storage.transaction() as conn:
        if not await _spend(user_id, template.id, template.kind, using_db=conn):
            return False
        await PushLog.create(user_id=user_id, purpose=purpose, template_id=template.id, outcome="reserved",
                             outbox_id=message.id, created_at=clock.now(), using_db=conn)
    return True


async def _refund(user_id: int, template_id: str, kind: str) -> None:
    if kind == "one_time":
        await PushGrant.filter(user_id=user_id, template_id=template_id).update(remaining=F("remaining") + 1)


async def _log(message: OutboxMessage, *, user_id: int, purpose: str, template_id: str, outcome: str) -> None:
    """Record the final outcome of a message (replacing its reservation, if any)."""
    if not await PushLog.filter(outbox_id=message.id).update(outcome=outcome):
        await PushLog.bulk_create([PushLog(user_id=user_id, purpose=purpose, template_id=template_id,
                                           outcome=outcome, outbox_id=message.id, created_at=clock.now())],
                                  ignore_conflicts=True)


async def send_push(message: OutboxMessage) -> None:
    """Outbox handler: send one subscribe message if the user has a grant for it."""
    p = message.payload
    user_id, purpose = int(p["user_id"]), str(p["purpose"])
    template = config.current().wechat_templates.get(purpose)
    if template is None:
        return await _log(message, user_id=user_id, purpose=purpose, template_id="", outcome="no_template")
    log_as = {"user_id": user_id, "purpose": purpose, "template_id": template.id}
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None or not user.openid or user.openid.startswith("dev-"):
        return await _log(message, **log_as, outcome="no_openid")
    if not await _reserve(message, user_id=user_id, purpose=purpose, template=template):
        return await _log(message, **log_as, outcome="no_grant")
    try:
        await ratelimit.Throttle("wechat-send", per_second=config.current().push_rate).acquire()
    except RedisError as exc:  # the shared send rate cannot be counted: wait for Redis without using an attempt
        raise outbox.Retry("Redis unavailable", delay=REDIS_WAIT, counts=False) from exc
    try:
        await wechat.client().send_subscribe_message(openid=user.openid, template_id=template.id,
                                                     data=p["data"], page=p.get("page"))
    except wechat.WeChatError as exc:
        if exc.errcode == REFUSED:
            await PushGrant.filter(user_id=user_id, template_id=template.id).update(status="reject", remaining=0)
            return await _log(message, **log_as, outcome="refused")
        if exc.errcode in (DAILY_QUOTA, MINUTE_QUOTA):
            raise outbox.Retry(f"WeChat {exc.errcode}", delay=_quota_wait(exc.errcode), counts=False) from exc
        if exc.errcode in PERMANENT_ERRORS:
            await _refund(user_id, template.id, template.kind)
            await _log(message, **log_as, outcome="failed")
            raise outbox.Permanent(f"WeChat {exc.errcode}: {exc.errmsg}") from exc
        raise outbox.Retry(f"WeChat {exc.errcode}") from exc  # the reservation waits for the retry
    except wechat.TokenStoreUnavailable as exc:
        raise outbox.Retry("Redis unavailable", delay=REDIS_WAIT, counts=False) from exc
    except wechat.WeChatUnavailable as exc:
        raise outbox.Retry("WeChat unreachable") from exc
    await _log(message, **log_as, outcome="sent")


def _quota_wait(errcode: int) -> timedelta:
    """How long a message waits for WeChat's quota: the next minute, or until the daily quota resets
    at local midnight (looking again at least hourly)."""
    if errcode == MINUTE_QUOTA:
        return timedelta(minutes=1)
    local = clock.local_now()
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0, 0, 5), tzinfo=local.tzinfo)
    return min(midnight - local, QUOTA_RECHECK)


def thing(value: str, limit: int = 20) -> str:
    """WeChat's "thing" fields take at most 20 characters."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def when(value: datetime) -> str:
    """WeChat's "time" fields: local time such as 2026年12月01日 09:00."""
    local = value.astimezone(config.current().tz)
    return local.strftime("%Y年%m月%d日 %H:%M")


async def erase(user_id: int, *, using_db: BaseDBAsyncClient | None = None) -> None:
    """PIPL: forget a deleted account's consents (its pending messages then find no grant and no openid)."""
    await PushGrant.filter(user_id=user_id).using_db(using_db).delete()
