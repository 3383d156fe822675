"""问一问 in a real browser: the dispatcher assigns the demo's housing letter to the suggested bureau, the
bureau's answerer finds a 一号答 answer, inserts it into the reply and sends it, and the statistics
page counts the reply."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Site, follow, log_in, shoot

TITLE = "公租房轮候进度怎么查？"


def test_a_letter_is_assigned_and_answered_with_the_knowledge_base(page, site: Site):
    log_in(page, site, "editor-a")
    follow(page, "text=群众来信")  # a dispatcher starts at 来信分办
    row = page.locator("#inbox tr", has_text=TITLE)
    expect(row.locator("select[name=department_id] option:checked")).to_contain_text("罗湖区住房和建设局")
    shoot(page, site, "questions-inbox")
    with page.expect_navigation():
        row.locator("button:text-is('分办')").click()
    expect(page.locator(".ok")).to_contain_text(f"已分办：{TITLE} → 罗湖区住房和建设局")
    page.context.clear_cookies()

    log_in(page, site, "answerer-a")
    follow(page, "text=群众来信")  # a department's answerer starts at 部门待办
    expect(page.locator("#queue")).to_contain_text("剩 5 个工作日")
    follow(page, f"text={TITLE}")
    expect(page.locator("#phone")).to_have_text(re.compile(r"^138\*{4}8000$"))
    page.fill("#lookup-q", "公租房")
    hit = page.locator("#lookup li", has_text="公租房申请条件是什么")
    hit.locator("button:text-is('查看全文')").click()
    hit.locator("button:text-is('插入答复')").click()
    page.locator("#reply").press("Control+End")
    page.keyboard.type("\n您的轮候进度可在住房保障系统查询。")
    expect(page.locator("#reply")).to_have_value(re.compile(r"^本区户籍.*符合标准.*\n您的轮候进度", re.DOTALL))
    shoot(page, site, "questions-reply")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "button:text-is('提交答复')")
    expect(page.locator(".ok")).to_contain_text("已答复")
    expect(page.locator("#timeline")).to_contain_text("答复　罗湖区住房和建设局：本区户籍")

    follow(page, ".subnav >> text=统计")
    row = page.locator("#letter-stats tr", has_text="网上咨询").filter(has_text="住房保障")
    expect(row.locator("td").nth(4)).to_have_text("1")  # replied
    expect(page.locator(".chart svg").first).to_be_visible()
    shoot(page, site, "questions-stats")


def test_an_admin_finds_a_member_account_by_typing(page, site: Site):
    """A district has hundreds of answerer accounts: the members table of a department narrows as the admin types,
    and the ticks of rows hidden meanwhile are kept."""
    log_in(page, site, "admin-a")
    page.goto(f"{site.url}/console/questions/admin/departments")
    follow(page, "text=管理 罗湖区住房和建设局")
    rows = page.locator("#member-accounts tbody tr")
    everyone = rows.count()
    assert everyone >= 3
    expect(page.locator("#member-accounts tr", has_text="answerer-a").locator("input[name=member]")).to_be_checked()
    page.fill("#member-filter", "answerer-a")
    expect(page.locator("#member-accounts tbody tr:visible")).to_have_count(1)
    expect(page.locator("#member-accounts tbody tr:visible")).to_contain_text("answerer-a")
    page.fill("#member-filter", "编辑")  # by role, as the table shows it
    expect(page.locator("#member-accounts tbody tr:visible", has_text="answerer-a")).to_have_count(0)
    assert page.locator("#member-accounts tbody tr:visible").count() >= 1
    page.fill("#member-filter", "")
    expect(page.locator("#member-accounts tbody tr:visible")).to_have_count(everyone)
    expect(page.locator("#member-accounts tr", has_text="answerer-a").locator("input[name=member]")).to_be_checked()
