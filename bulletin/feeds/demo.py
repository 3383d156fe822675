"""Demo subscriptions, an enterprise and a notice for `bianmin seed-demo` (idempotent, labelled demo data).

Two residents: a parent following 教育 and their community, a retiree following 养老 and 医保
(keywords, since neither is a 主题分类 of its own); a verified enterprise in 批发和零售业
(section F). The demo gazette's documents are brought into the feeds by running the feeds'
outbox handlers once here, as the worker would (the gazette demo imports without messages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bulletin.feeds import service_enterprise_review, service_enterprises, service_notices
from bulletin.feeds.jobs import register
from bulletin.feeds.service_subscriptions import Owner, create_subscription, list_subscriptions
from bulletin.feeds.tables import Enterprise, Notice
from server import clock, pii
from server.auth import CurrentUser
from server.outbox import Dispatcher
from server.tables import User
from server.worker import Jobs

MARK = "【演示数据】"
COMMUNITY = "440303003001"  # a community of 东门街道 in the demo district
RESIDENTS: tuple[tuple[str, str, tuple[tuple[dict[str, list[str]], str], ...]], ...] = (
    ("dev-demo-parent", "演示家长", (({"topics": ["education"]}, "immediate"),
                                     ({"divisions": [COMMUNITY]}, "weekly"))),
    ("dev-demo-retiree", "演示长者", (({"keywords": ["养老"]}, "immediate"),
                                      ({"keywords": ["医保"]}, "daily"))),
)
ENTERPRISE = {"name": "深圳市罗湖区演示商贸有限公司（演示）", "industry": "F", "size": "small", "district": "440303",
              "contact": {"name": "王演示", "phone": "13800000000"}}
CREDIT_BODY = "91440303MA5FYH8K2"  # 9 market regulation, 1 enterprise, 440303 罗湖区
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NOTICE = {"title": "东门街道便民服务中心本周六延时服务（演示）", "topic": "general_affairs", "divisions": ["440303003"],
          "body": f"本周六 9:00-17:00 东门街道便民服务中心提供社保、医保业务延时服务。{MARK}", "notify": False}


def demo_credit_code() -> str:
    """A well-formed 统一社会信用代码 for the demo enterprise (GB 32100 check character)."""
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(CREDIT_BODY))
    return pii.normalize_credit_code(CREDIT_BODY + CREDIT_ALPHABET[(31 - total % 31) % 31])


async def _resident(openid: str, nickname: str) -> User:
    now = clock.now()
    user, _ = await User.get_or_create(openid=openid, defaults={
        "role": "resident", "nickname": nickname, "created_at": now, "updated_at": now})
    return user


async def _subscribe(owner: Owner, wanted: tuple[tuple[Mapping[str, list[str]], str], ...]) -> int:
    have = [s["criteria"] for s in await list_subscriptions(owner)]
    added = 0
    for criteria, frequency in wanted:
        if not any(all(h[k] == list(v) for k, v in criteria.items()) and sum(map(len, h.values())) ==
                   sum(map(len, criteria.values())) for h in have):
            await create_subscription(owner, criteria=criteria, frequency=frequency)
            added += 1
    return added


async def _enterprise(owner: User) -> Enterprise:
    code = demo_credit_code()
    enterprise = await Enterprise.filter(credit_code=code).order_by("-id").first()
    if enterprise is None or enterprise.status in ("rejected", "expired"):
        await service_enterprises.register(owner.id, {**ENTERPRISE, "credit_code": code})
        enterprise = await Enterprise.filter(credit_code=code).order_by("-id").first()
    if enterprise.status == "pending":
        await service_enterprise_review.verify(enterprise.id, admin_id=0)
    return await Enterprise.get(id=enterprise.id)


async def _notice() -> None:
    if await Notice.filter(title=NOTICE["title"]).exists():
        return
    editor = await User.get_or_none(username="demo-editor")
    author = CurrentUser(id=editor.id if editor else 0, role="editor")
    await service_notices.create_notice(NOTICE, user=author)


async def _run_feed_handlers() -> int:
    jobs = Jobs()
    register(jobs)
    dispatcher = Dispatcher(jobs.handlers, worker_id="seed-demo")
    handled = 0
    while batch := await dispatcher.run_once():
        handled += batch
    return handled


async def seed() -> None:
    """Create (or bring up to date) the demo subscriptions, enterprise and notice; fill the feeds."""
    added = 0
    for openid, nickname, subscriptions in RESIDENTS:
        resident = await _resident(openid, nickname)
        added += await _subscribe(Owner(user_id=resident.id), subscriptions)
    merchant = await _resident("dev-demo-merchant", "演示商户")
    enterprise = await _enterprise(merchant)
    await _notice()
    handled = await _run_feed_handlers()
    summary: dict[str, Any] = {"subscriptions added": added, "enterprise": enterprise.name,
                               "feed events handled": handled}
    print("  feeds: " + ", ".join(f"{k} {v}" for k, v in summary.items()) + "  [demo data]")
