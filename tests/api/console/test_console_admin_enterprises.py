"""The administrators' enterprise verification page through HTTP (both backends): competing claims on one
统一社会信用代码, approve (the rival registration is superseded), reject with a reason, CSRF and role."""

from __future__ import annotations

import secrets

from bulletin.feeds import service_enterprises
from bulletin.feeds.tables import Enterprise
from server import accounts
from tests.api.console.conftest import Browser, make_user
from tests.api.console.test_console_admin_logs import as_admin
from tests.api.feeds.test_feeds_enterprise_api import registration
from tests.support.ids import make_credit_code


async def claim(code: str, name: str) -> int:
    owner = await accounts.resident_account(f"openid-{secrets.token_hex(6)}")
    return (await service_enterprises.register(owner, registration(code, name=name)))["id"]


async def test_an_admin_sees_competing_claims_and_approves_one(browser: Browser, db):
    code = make_credit_code()
    squatter, real = await claim(code, "抢注商贸公司"), await claim(code, "深圳市罗湖区真实商贸有限公司")
    await as_admin(browser)
    listing = await browser.get("/console/admin/enterprises")
    assert listing.status_code == 200 and code in listing.text
    assert listing.text.count("该代码还有 1 个登记") == 2
    no_token = await browser.post(f"/console/admin/enterprises/{real}/verify", data={})
    assert no_token.status_code == 403 and await Enterprise.get(id=real).values_list("status", flat=True) == "pending"
    approved = await browser.submit(f"/console/admin/enterprises/{real}/verify", {},
                                    token_from="/console/admin/enterprises")
    assert approved.status_code == 303 and "已通过" in (await browser.get(approved.headers["location"])).text
    statuses = dict(await Enterprise.filter(id__in=[squatter, real]).values_list("id", "status"))
    assert statuses == {real: "verified", squatter: "rejected"}
    again = await browser.submit(f"/console/admin/enterprises/{squatter}/verify", {},
                                 token_from="/console/admin/enterprises")
    assert again.status_code == 409


async def test_a_rejection_needs_a_reason_the_owner_then_sees(browser: Browser, db):
    doubtful = await claim(make_credit_code(), "可疑公司")
    await as_admin(browser)
    blank = await browser.submit(f"/console/admin/enterprises/{doubtful}/reject", {"reason": " "},
                                 token_from="/console/admin/enterprises")
    assert blank.status_code == 422
    rejected = await browser.submit(f"/console/admin/enterprises/{doubtful}/reject", {"reason": "营业执照不清晰"},
                                    token_from="/console/admin/enterprises")
    assert rejected.status_code == 303
    row = await Enterprise.get(id=doubtful)
    assert (row.status, row.reject_reason) == ("rejected", "营业执照不清晰")
    assert "可疑公司" not in (await browser.get("/console/admin/enterprises")).text


async def test_only_admins_review_enterprises(browser: Browser, db):
    waiting = await claim(make_credit_code(), "某公司")
    assert (await browser.log_in(*await make_user("editor"))).status_code == 303
    assert (await browser.get("/console/admin/enterprises")).status_code == 403
    token = await browser.form_token("/console/password")
    assert (await browser.post(f"/console/admin/enterprises/{waiting}/verify", data={"csrf": token})).status_code == 403
    assert (await Enterprise.get(id=waiting)).status == "pending"
