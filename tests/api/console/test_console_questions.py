"""问一问 in the console through HTTP (both backends): the dispatcher's inbox and assigning, a department's
queue with deadlines in working days, the reply editor with its 一号答 lookup, publishing with the
resident's consent into a 一号答 entry, the knowledge-base editor, and the statistics on a known set."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from questions import service_departments, service_entries
from server import clock
from server.auth import CurrentUser
from server.tables import OperationLog, User
from tests.api.console.conftest import Browser, make_user
from tests.api.console.test_console_admin_logs import as_admin

MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LETTER = {"column": "mayor", "title": "东门路口路灯坏了", "body": "东门步行街北口的路灯已经坏了一周，晚上很黑，请尽快修复。",
          "category": "city", "phone": "13812345678", "publish_consent": True}


@dataclass
class Desk:
    city: int  # 区城管局, 3 working days, answers category city
    housing: int  # 区住建局
    dispatcher: tuple[str, str]
    city_answerer: tuple[str, str]
    housing_answerer: tuple[str, str]


async def _member(department_id: int) -> tuple[str, str]:
    username, password = await make_user("answerer")
    user_id = (await User.get(username=username)).id
    await service_departments.set_members(department_id, [(user_id, True)])
    return username, password


@pytest.fixture
async def desk(db) -> Desk:
    clock.freeze(MONDAY)
    city = await service_departments.create_department({"code": "cgj", "name": "区城管局", "reply_days": 3,
                                                        "categories": ["city"]})
    housing = await service_departments.create_department({"code": "zjj", "name": "区住建局", "reply_days": 5,
                                                           "categories": ["housing"]})
    return Desk(city=city["id"], housing=housing["id"], dispatcher=await make_user("editor"),
                city_answerer=await _member(city["id"]), housing_answerer=await _member(housing["id"]))


async def write(client, **changes) -> int:
    answer = await client.post("/api/v1/questions/letters", json={**LETTER, **changes},
                               headers=await client.login_dev())
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def as_user(browser: Browser, account: tuple[str, str]) -> None:
    browser.cookies.clear()
    assert (await browser.log_in(*account)).status_code == 303


async def published_entry(question: str, answer: str) -> int:
    editor = CurrentUser(id=1, role="editor", halls=())
    made = await service_entries.create_entry({"question": question, "answer": answer, "category": "city"},
                                              user=editor)
    await service_entries.publish_entry(made["id"], user=editor)
    return made["id"]


async def test_a_letter_is_assigned_looked_up_and_replied_by_its_department_only(browser: Browser, client, desk):
    letter_id = await write(client)
    entry_id = await published_entry("路灯不亮找谁报修？", "可拨打城管热线报修路灯，**24 小时**内处理。")
    await as_user(browser, desk.dispatcher)
    assert (await browser.get("/console/questions/")).headers["location"] == "/console/questions/inbox"
    inbox = await browser.get("/console/questions/inbox")
    row = re.search(rf'<tr id="letter-{letter_id}">.*?</tr>', inbox.text, re.DOTALL).group(0)
    assert LETTER["title"] in row and "区城管局" in row
    assert re.search(rf'<option value="{desk.city}" selected>', row)  # the suggestion is preselected
    refused = await browser.post(f"/console/questions/letters/{letter_id}/assign",
                                 data={"department_id": str(desk.city)})
    assert refused.status_code == 403  # no CSRF token
    assigned = await browser.submit(f"/console/questions/letters/{letter_id}/assign",
                                    {"department_id": str(desk.city)}, token_from="/console/questions/inbox")
    assert assigned.status_code == 303
    assert "2026-12-10 前答复" in (await browser.get(assigned.headers["location"])).text
    assert LETTER["title"] not in (await browser.get("/console/questions/inbox")).text

    await as_user(browser, desk.housing_answerer)
    assert LETTER["title"] not in (await browser.get("/console/questions/queue")).text
    assert (await browser.get(f"/console/questions/letters/{letter_id}")).status_code == 404
    assert (await browser.get("/console/questions/inbox")).status_code == 403  # answerers do not dispatch
    token = await browser.form_token("/console/questions/queue")
    other = await browser.post(f"/console/questions/letters/{letter_id}/reply", data={"csrf": token, "reply": "越权"})
    assert other.status_code == 404

    await as_user(browser, desk.city_answerer)
    assert (await browser.get("/console/questions/")).headers["location"] == "/console/questions/queue"
    queue = await browser.get("/console/questions/queue")
    assert LETTER["title"] in queue.text and "2026-12-10（剩 3 个工作日）" in queue.text
    page = await browser.get(f"/console/questions/letters/{letter_id}")
    assert "138****5678" in page.text and "13812345678" not in page.text
    found = await browser.get("/console/questions/lookup", params={"q": "路灯"})
    assert f'id="hit-{entry_id}"' in found.text and "<em>路灯</em>" in found.text
    full = await browser.get(f"/console/questions/lookup/{entry_id}")
    assert 'data-insert="#reply"' in full.text and "24 小时内处理" in full.text and "<strong>24 小时</strong>" in full.text
    replied = await browser.submit(f"/console/questions/letters/{letter_id}/reply",
                                   {"reply": "已安排维修。可拨打城管热线报修路灯，24 小时内处理。"},
                                   token_from=f"/console/questions/letters/{letter_id}")
    assert replied.status_code == 303
    shown = await browser.get(replied.headers["location"])
    assert "已答复" in shown.text and re.search(r"答复　区城管局：已安排维修", shown.text)
    written = await OperationLog.filter(action__startswith="console.questions.").order_by("id").values_list(
        "action", "result")
    assert ("console.questions.assign", "ok") in written and ("console.questions.reply", "ok") in written
    assert ("console.questions.reply", "letter_not_found") in written  # the other department's attempt


async def test_transfer_return_and_overdue_in_red(browser: Browser, client, desk):
    resident = await client.login_dev()
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    photo = (await client.post("/api/v1/questions/photos", files={"file": ("a.png", png)}, headers=resident)).json()
    first = (await client.post("/api/v1/questions/letters", json={**LETTER, "photos": [photo["id"]]},
                               headers=resident)).json()["id"]
    second = await write(client, title="小区路面塌陷")
    await as_user(browser, desk.dispatcher)
    for letter_id in (first, second):
        await browser.submit(f"/console/questions/letters/{letter_id}/assign", {"department_id": str(desk.city)},
                             token_from="/console/questions/inbox")
    await as_user(browser, desk.city_answerer)
    path = f"/console/questions/letters/{first}"
    assert f'<img src="/console/questions/photos/{photo["id"]}"' in (await browser.get(path)).text
    shown = await browser.get(f"/console/questions/photos/{photo['id']}")
    assert shown.status_code == 200 and shown.content == png
    moved = await browser.submit(f"{path}/transfer", {"department_id": str(desk.housing), "reason": "属住建职责"},
                                 token_from=path)
    assert moved.status_code == 303
    assert (await browser.get(f"/console/questions/photos/{photo['id']}")).status_code == 404  # no longer ours
    returned = await browser.submit(f"/console/questions/letters/{second}/return", {"reason": "无法确定职责"},
                                    token_from=f"/console/questions/letters/{second}")
    assert returned.status_code == 303
    again = await browser.submit(f"/console/questions/letters/{second}/return", {"reason": "再次退回"},
                                 token_from="/console/questions/queue")
    assert again.status_code == 404  # no longer this department's letter

    clock.advance(timedelta(days=8))  # past the housing bureau's five working days
    await as_user(browser, desk.housing_answerer)  # the transferred letter and its photo are theirs now
    assert (await browser.get(f"/console/questions/photos/{photo['id']}")).status_code == 200
    queue = await browser.get("/console/questions/queue")
    assert re.search(rf'<tr id="letter-{first}" class="overdue">', queue.text) and "（已超期）" in queue.text
    await as_user(browser, desk.dispatcher)
    inbox = await browser.get("/console/questions/inbox")
    assert f'id="letter-{second}"' in inbox.text
    timeline = (await browser.get(f"/console/questions/letters/{second}")).text
    assert "退回分办　区城管局：无法确定职责" in timeline


async def test_a_reply_is_published_with_consent_and_becomes_an_entry_in_one_step(browser: Browser, client, desk):
    consented, private = await write(client), await write(client, publish_consent=False, title="邻居噪音")
    await as_user(browser, desk.dispatcher)
    for letter_id in (consented, private):
        await browser.submit(f"/console/questions/letters/{letter_id}/assign", {"department_id": str(desk.city)},
                             token_from="/console/questions/inbox")
        await browser.submit(f"/console/questions/letters/{letter_id}/reply", {"reply": "已修复，感谢反映。"},
                             token_from=f"/console/questions/letters/{letter_id}")
    refused = await browser.submit(f"/console/questions/letters/{private}/publish", {"to_entry": "1"},
                                   token_from=f"/console/questions/letters/{private}")
    assert refused.status_code == 409 and "不能公开" in refused.text
    done = await browser.submit(f"/console/questions/letters/{consented}/publish",
                                {"title": "东门路灯损坏（电话 13812345678）", "to_entry": "1", "category": "city"},
                                token_from=f"/console/questions/letters/{consented}")
    assert done.status_code == 303 and "/console/questions/entries/" in done.headers["location"]
    entry = await browser.get(done.headers["location"])
    assert "已发布" in entry.text and f"来信 <a href=\"/console/questions/letters/{consented}\"" in entry.text
    assert "13812345678" not in entry.text
    found = (await client.get("/api/v1/questions/answers", params={"q": "路灯"})).json()["items"]
    assert len(found) == 1 and "138****5678" in found[0]["question"]

    await as_user(browser, desk.city_answerer)  # answerers reply; publishing is the dispatcher's
    token = await browser.form_token(f"/console/questions/letters/{consented}")
    assert (await browser.post(f"/console/questions/letters/{consented}/publish",
                               data={"csrf": token})).status_code == 403


async def test_a_suggestion_to_a_campaign_is_adopted_with_a_public_note(browser: Browser, client, desk):
    from questions import service_columns

    campaign = await service_columns.open_campaign(title="罗湖口岸周边交通改善", description="征集建议",
                                                   starts_on=MONDAY.date(), ends_on=MONDAY.date() + timedelta(30))
    letter_id = await write(client, column="proposal", campaign_id=campaign["id"], title="建议增设公交接驳线")
    await as_user(browser, desk.dispatcher)
    path = f"/console/questions/letters/{letter_id}"
    adopted = await browser.submit(f"{path}/adopt", {"note": "已纳入 2027 年公交线网优化"}, token_from=path)
    assert adopted.status_code == 303 and "已采纳：已纳入 2027 年公交线网优化" in (await browser.get(path)).text
    public = (await client.get(f"/api/v1/questions/campaigns/{campaign['id']}/adopted")).json()
    assert [s["adoption_note"] for s in public] == ["已纳入 2027 年公交线网优化"]


HOSTILE = "## 办理材料\n\n身份证原件。<script>alert(1)</script><img src=x onerror=alert(2)>"


async def test_the_knowledge_base_editor(browser: Browser, client, desk):
    await as_user(browser, desk.city_answerer)
    new = "/console/questions/entries/new"
    preview = await browser.submit("/console/questions/preview", {"answer": HOSTILE}, token_from=new)
    assert "<h2" in preview.text and "身份证原件" in preview.text
    assert "<script" not in preview.text and "onerror" not in preview.text
    outside = await browser.submit("/console/questions/entries", {"question": "公租房怎么申请？", "answer": "见住建局网站",
                                                                  "category": "housing",
                                                                  "department_id": str(desk.housing)},
                                   token_from=new)
    assert outside.status_code == 403  # not this answerer's department
    made = await browser.submit("/console/questions/entries", {"question": "占道经营怎么投诉？", "answer": HOSTILE,
                                                               "category": "city", "department_id": str(desk.city),
                                                               "services": "", "valid_until": ""}, token_from=new)
    assert made.status_code == 303
    path = made.headers["location"].split("?")[0]
    assert "草稿" in (await browser.get(path)).text
    assert (await client.get("/api/v1/questions/answers", params={"q": "占道经营"})).json()["items"] == []
    assert (await browser.submit(f"{path}/publish", {}, token_from=path)).status_code == 303
    public = (await client.get("/api/v1/questions/answers", params={"q": "占道经营"})).json()["items"]
    assert len(public) == 1 and "<script" not in str(public)
    listing = await browser.get("/console/questions/entries", params={"q": "占道经营"})
    assert "占道经营" in listing.text and "找到 1 条已发布条目" in listing.text
    edited = await browser.submit(path, {"question": "占道经营如何投诉？", "answer": "拨打 12345。", "category": "city",
                                         "department_id": str(desk.city)}, token_from=path)
    assert edited.status_code == 303
    assert (await browser.submit(f"{path}/retire", {}, token_from=path)).status_code == 303
    assert (await client.get("/api/v1/questions/answers", params={"q": "占道经营"})).json()["items"] == []

    await as_user(browser, desk.housing_answerer)
    assert (await browser.get(path)).status_code == 403  # another department's entry
    token = await browser.form_token("/console/questions/categories")
    assert (await browser.post("/console/questions/categories", data={"csrf": token, "code": "noise",
                                                                      "label": "噪声"})).status_code == 403

    browser.cookies.clear()
    await as_admin(browser)
    url = "/console/questions/categories"
    assert (await browser.submit(url, {"code": "noise", "label": "噪声扰民"})).status_code == 303
    hidden = await browser.submit(f"{url}/noise", {"label": "噪声污染"}, token_from=url)  # unticked: hidden
    assert hidden.status_code == 303
    assert re.search(r"<td>noise</td><td>噪声污染</td><td>否</td>", (await browser.get(url)).text)
    assert "噪声污染" not in (await browser.get("/console/questions/entries/new")).text
    written = await OperationLog.filter(action__startswith="console.questions_kb.").values_list("action", flat=True)
    assert {"console.questions_kb.create_entry", "console.questions_kb.publish_entry",
            "console.questions_kb.update_entry", "console.questions_kb.retire_entry",
            "console.questions_kb.create_category", "console.questions_kb.update_category"} <= set(written)


async def test_statistics_match_a_known_set(browser: Browser, client, desk):
    letters = [await write(client) for _ in range(3)] + [await write(client, column="consult", category="housing")]
    await as_user(browser, desk.dispatcher)
    for letter_id, dept in zip(letters, (desk.city, desk.city, desk.city, desk.housing), strict=True):
        await browser.submit(f"/console/questions/letters/{letter_id}/assign", {"department_id": str(dept)},
                             token_from="/console/questions/inbox")
    reply = {"reply": "已处理。"}
    await browser.submit(f"/console/questions/letters/{letters[0]}/reply", reply,
                         token_from=f"/console/questions/letters/{letters[0]}")
    clock.advance(timedelta(days=5))  # past the city bureau's three working days
    await as_user(browser, desk.dispatcher)
    await browser.submit(f"/console/questions/letters/{letters[1]}/reply", reply,
                         token_from=f"/console/questions/letters/{letters[1]}")
    page = await browser.get("/console/questions/stats", params={"from": "2026-12", "to": "2026-12"})
    assert page.status_code == 200

    def tile(name: str) -> str:
        return re.search(rf'id="{name}">([^<]*)<', page.text).group(1)

    assert (tile("total-letters"), tile("total-replied"), tile("on-time-rate")) == ("4", "2", "50.0%")
    assert tile("satisfaction-rate") == "—" and tile("direct-rate") == "0.0%"
    assert re.search(r"<td>2026-12</td><td>区长信箱</td><td>城市管理</td><td>3</td><td>2</td><td>1</td><td>50.0%</td>",
                     page.text)
    assert re.search(r"<td>2026-12</td><td>网上咨询</td><td>住房保障</td><td>1</td><td>0</td>", page.text)
    assert page.text.count('class="chart"') == 4
    exported = await browser.get("/console/questions/stats/letters.csv", params={"from": "2026-12", "to": "2026-12"})
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("月份,栏目,分类,来信数") and "2026-12,区长信箱,城市管理,3,2,1,50.0%,0,0,,0" in lines
    direct = await browser.get("/console/questions/stats/direct-answers.csv", params={"from": "2026-12",
                                                                                      "to": "2026-12"})
    assert "2026-12,城市管理,3,0,0.0%" in direct.content.decode("utf-8-sig").splitlines()
    assert (await browser.get("/console/questions/stats", params={"from": "2026-13"})).status_code == 422
