"""问一问's admin pages through HTTP (both backends): departments with their members and heads, letter
columns, 人民建议 campaigns (open, close, adopted suggestions), the letters WeChat's check holds or
rejected, and the reason a department gave when it returned a letter, in the dispatcher's inbox."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

from questions import service_letter_jobs
from questions.tables import Campaign, Column, Department, DepartmentMember
from server import storage, wechat
from server.tables import OperationLog, User
from tests.api.console import test_console_questions as letters
from tests.api.console.conftest import Browser, make_user
from tests.api.console.test_console_admin_logs import as_admin
from tests.api.console.test_console_questions import LETTER, MONDAY, as_user, write

desk = letters.desk  # the departments, dispatcher and answerers of the letters' console tests

ADMIN = "/console/questions/admin"


async def _logged(prefix: str) -> list[tuple[str, str]]:
    return list(await OperationLog.filter(action__startswith=prefix).order_by("id").values_list("action", "result"))


async def test_an_admin_sets_up_a_department_with_its_members_and_head(browser: Browser, client, desk):
    await as_admin(browser)
    page = await browser.get(f"{ADMIN}/departments")
    assert page.status_code == 200 and "区城管局" in page.text and "3 个工作日" in page.text
    refused = await browser.submit(f"{ADMIN}/departments", {"code": "Bad Code", "name": "区水务局", "reply_days": "0"})
    assert refused.status_code == 422
    assert 'data-code="validation_error"' in refused.text and 'value="区水务局"' in refused.text  # the form again
    taken = await browser.submit(f"{ADMIN}/departments", {"code": "cgj", "name": "另一个城管局", "reply_days": "5"})
    assert taken.status_code == 409 and 'value="另一个城管局"' in taken.text
    assert await Department.filter(name__in=("区水务局", "另一个城管局")).count() == 0  # nothing half-written

    made = await browser.submit(f"{ADMIN}/departments", {"code": "swj", "name": "区水务局", "reply_days": "4",
                                                         "categories": "environment， city", "divisions": ""})
    assert made.status_code == 303
    path = made.headers["location"].split("?")[0]
    dept = await Department.get(code="swj")
    assert (dept.reply_days, dept.categories, dept.divisions) == (4, ["environment", "city"], [])
    bad = await browser.submit(path, {"name": "", "reply_days": "4", "is_active": "1"})
    assert bad.status_code == 422 and "区水务局" in bad.text
    assert (await Department.get(id=dept.id)).name == "区水务局"
    renamed = await browser.submit(path, {"name": "区水务局（河长办）", "reply_days": "6", "categories": "environment",
                                          "divisions": "440303"})  # is_active unticked: hidden
    assert renamed.status_code == 303
    dept = await Department.get(id=dept.id)
    assert (dept.name, dept.reply_days, dept.categories, dept.divisions, dept.is_active) == \
        ("区水务局（河长办）", 6, ["environment"], ["440303"], False)

    answerer = await User.get(username=desk.city_answerer[0])
    second = await User.get(username=(await make_user("answerer"))[0])
    page = await browser.get(path)
    assert f'id="account-{answerer.id}"' in page.text and f'id="account-{second.id}"' in page.text
    saved = await browser.submit(f"{path}/members", {"member": [str(answerer.id), str(second.id)],
                                                     "head": str(second.id)}, token_from=path)
    assert saved.status_code == 303
    members = await DepartmentMember.filter(department_id=dept.id).order_by("user_id").values_list("user_id", "is_head")
    assert members == sorted([(answerer.id, False), (second.id, True)])
    await client.login_dev(openid="o-resident-admin-test")
    resident = await User.filter(role="resident").order_by("-id").first()
    unknown = await browser.submit(f"{path}/members", {"member": str(resident.id)}, token_from=path)
    assert unknown.status_code == 422 and "不是答复人员" in unknown.text
    assert await DepartmentMember.filter(department_id=dept.id).count() == 2  # the members are kept

    logged = await _logged("console.questions_admin.")
    assert ("console.questions_admin.create_department", "validation_error") in logged
    assert ("console.questions_admin.create_department", "department_exists") in logged
    assert ("console.questions_admin.update_department", "ok") in logged
    assert ("console.questions_admin.set_members", "ok") in logged


async def test_an_admin_adds_renames_and_hides_a_column(browser: Browser, client, db):
    await as_admin(browser)
    page = await browser.get(f"{ADMIN}/columns")
    assert 'id="column-mayor"' in page.text and 'id="column-proposal"' in page.text
    refused = await browser.submit(f"{ADMIN}/columns", {"code": "youth", "name": "", "kind": "letter"})
    assert refused.status_code == 422 and 'value="youth"' in refused.text
    assert not await Column.exists(code="youth")
    made = await browser.submit(f"{ADMIN}/columns", {"code": "youth", "name": "青年之声", "description": "青年来信",
                                                     "kind": "letter"})
    assert made.status_code == 303
    assert "youth" in [c["code"] for c in (await client.get("/api/v1/questions/columns")).json()]
    hidden = await browser.submit(f"{ADMIN}/columns/youth", {"name": "青年之声", "description": "青年来信"},
                                  token_from=f"{ADMIN}/columns")
    assert hidden.status_code == 303 and "停用" in (await browser.get(hidden.headers["location"])).text
    assert "youth" not in [c["code"] for c in (await client.get("/api/v1/questions/columns")).json()]
    assert (await browser.submit(f"{ADMIN}/columns/nosuch", {"name": "无"},
                                 token_from=f"{ADMIN}/columns")).status_code == 404
    assert ("console.questions_admin.update_column", "ok") in await _logged("console.questions_admin.")


async def test_an_admin_opens_and_closes_a_campaign_and_sees_what_was_adopted(browser: Browser, client, desk):
    await as_admin(browser)
    today = MONDAY.date()
    backwards = await browser.submit(f"{ADMIN}/campaigns", {"title": "口岸交通", "starts_on": str(today),
                                                            "ends_on": str(today - timedelta(days=1))})
    assert backwards.status_code == 422 and 'value="口岸交通"' in backwards.text
    assert await Campaign.all().count() == 0
    opened = await browser.submit(f"{ADMIN}/campaigns", {"title": "口岸交通", "description": "征集建议",
                                                         "starts_on": str(today), "ends_on": str(today + timedelta(30))})
    assert opened.status_code == 303
    path = opened.headers["location"].split("?")[0]
    campaign_id = int(path.rsplit("/", 1)[1])
    letter_id = await write(client, column="proposal", campaign_id=campaign_id, title="建议增设公交接驳线")
    await as_user(browser, desk.dispatcher)
    assert (await browser.get(path)).status_code == 403  # campaigns are the admins'
    letter = f"/console/questions/letters/{letter_id}"
    await browser.submit(f"{letter}/adopt", {"note": "已纳入线网优化"}, token_from=letter)

    await as_admin(browser)
    shown = await browser.get(path)
    assert re.search(rf'<tr id="adopted-{letter_id}">.*?已纳入线网优化', shown.text, re.DOTALL)
    assert 'name="title" value="口岸交通"' in shown.text  # the edit form starts from what is saved
    edit = {"title": "口岸交通接驳", "description": "征集建议", "starts_on": str(today)}
    backwards = await browser.submit(path, {**edit, "ends_on": str(today - timedelta(days=3))}, token_from=path)
    assert backwards.status_code == 422 and 'value="口岸交通接驳"' in backwards.text and "结束日期不能早于开始日期" in backwards.text
    assert (await Campaign.get(id=campaign_id)).title == "口岸交通"
    edited = await browser.submit(path, {**edit, "ends_on": str(today + timedelta(days=60))}, token_from=path)
    assert edited.status_code == 303 and "已保存征集" in (await browser.get(edited.headers["location"])).text
    saved = await Campaign.get(id=campaign_id)
    assert (saved.title, saved.ends_on) == ("口岸交通接驳", today + timedelta(days=60))
    closed = await browser.submit(f"{path}/close", {}, token_from=path)
    assert closed.status_code == 303
    assert "已结束" in (await browser.get(f"{ADMIN}/campaigns")).text
    late = await client.post("/api/v1/questions/letters", json={**LETTER, "column": "proposal",
                                                                 "campaign_id": campaign_id},
                             headers=await client.login_dev())
    assert late.status_code == 409 and late.json()["error"]["code"] == "campaign_closed"
    again = await browser.submit(f"{path}/close", {}, token_from=f"{ADMIN}/campaigns")
    assert again.status_code == 409
    logged = await _logged("console.questions_admin.")
    assert ("console.questions_admin.open_campaign", "ok") in logged
    assert ("console.questions_admin.close_campaign", "ok") in logged
    assert ("console.questions_admin.update_campaign", "ok") in logged
    entry = await OperationLog.filter(action="console.questions_admin.close_campaign", result="ok").first()
    assert entry.after == {"ends_on": str(today - timedelta(days=1)), "starts_on": str(today - timedelta(days=1))}


async def test_held_and_rejected_letters_are_listed_masked_for_dispatchers(browser: Browser, client, db, desk):
    dead = dataclasses.replace(db.settings, wechat_api_base="http://127.0.0.1:9")
    wechat.install(wechat.WeChat(settings=dead, storage=storage.current()))
    try:
        held = await write(client, title="楼下赌博 13900001111 请查")
        kept = await write(client, title="小区电梯坏了")
    finally:
        wechat.install(wechat.WeChat(settings=db.settings, storage=storage.current()))
    await as_user(browser, desk.dispatcher)
    page = await browser.get(f"{ADMIN}/withheld")
    assert f'id="letter-{held}"' in page.text and f'id="letter-{kept}"' in page.text
    assert "13900001111" not in page.text and "139****1111" in page.text  # masked in the title
    assert "13812345678" not in page.text and "138****5678" in page.text
    assert LETTER["body"] not in page.text
    assert await service_letter_jobs.check_held() == 2
    rejected = await browser.get(f"{ADMIN}/withheld", params={"status": "rejected"})
    assert f'id="letter-{held}"' in rejected.text and f'id="letter-{kept}"' not in rejected.text
    assert "未通过审核" in rejected.text
    assert f'id="letter-{held}"' not in (await browser.get(f"{ADMIN}/withheld")).text

    await as_user(browser, desk.city_answerer)
    assert (await browser.get(f"{ADMIN}/withheld")).status_code == 403
    assert (await browser.get(f"{ADMIN}/departments")).status_code == 403
    await as_user(browser, desk.dispatcher)  # editors dispatch but do not configure
    for path in ("departments", "columns", "campaigns"):
        assert (await browser.get(f"{ADMIN}/{path}")).status_code == 403, path
    token = await browser.form_token(f"{ADMIN}/withheld")
    refused = await browser.post(f"{ADMIN}/departments", data={"csrf": token, "code": "x1", "name": "越权"})
    assert refused.status_code == 403 and not await Department.exists(code="x1")
    assert ("console.questions_admin.create_department", "forbidden") in await _logged("console.questions_admin.")


async def test_the_inbox_shows_why_a_department_returned_a_letter(browser: Browser, client, desk):
    letter_id = await write(client)
    await as_user(browser, desk.dispatcher)
    await browser.submit(f"/console/questions/letters/{letter_id}/assign", {"department_id": str(desk.city)},
                         token_from="/console/questions/inbox")
    await as_user(browser, desk.city_answerer)
    path = f"/console/questions/letters/{letter_id}"
    returned = await browser.submit(f"{path}/return", {"reason": "属于街道办职责"}, token_from=path)
    assert returned.status_code == 303
    await as_user(browser, desk.dispatcher)
    row = re.search(rf'<tr id="letter-{letter_id}">.*?</tr>', (await browser.get("/console/questions/inbox")).text,
                    re.DOTALL).group(0)
    assert "区城管局退回：属于街道办职责" in row
    await browser.submit(f"/console/questions/letters/{letter_id}/assign", {"department_id": str(desk.housing)},
                         token_from="/console/questions/inbox")
    await as_user(browser, desk.housing_answerer)
    await browser.submit(f"{path}/reply", {"reply": "已处理。"}, token_from=path)
    fresh = await write(client, title="新来信")
    await as_user(browser, desk.dispatcher)
    inbox = (await browser.get("/console/questions/inbox")).text
    assert f'id="letter-{fresh}"' in inbox and "退回：" not in inbox  # a new letter carries no reason
