"""An editor's publication in a real browser: a document with a hostile <script>, the live preview, the
audience named before publishing, and the published page and search free of it."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import Site, follow, log_in, shoot

TITLE = "关于开展长者助餐服务补贴申领的通知"
BODY = ("# 长者助餐补贴\n\n辖区 60 周岁以上长者可申领助餐补贴。\n\n"
        "<script>window.hacked = 1</script><img src=x onerror=\"window.hacked = 2\">")


def test_an_editor_publishes_a_document_and_it_is_sanitised_everywhere(page, site: Site):
    log_in(page, site, "editor-a")
    follow(page, "text=政府公报")
    follow(page, "text=新建文件")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=doc_type]", label="通知")
    page.select_option("select[name=topic]", label="民政扶贫救灾")
    page.select_option("select[name=disclosure]", label="服务")
    page.fill("input[name=doc_number]", "罗民[2026]8号")
    page.fill("textarea[name=body]", BODY)
    expect(page.locator("#preview h1, #preview h2, #preview h3").first).to_contain_text("长者助餐补贴")
    assert page.locator("#preview script").count() == 0
    assert page.locator("#preview img[onerror]").count() == 0
    shoot(page, site, "editor")
    follow(page, "button:text-is('保存')")
    assert "罗民〔2026〕8号" in page.content()
    audience = page.locator("#audience").inner_text()
    assert re.search(r"发布后将进入 \d+ 位订阅者的主页", audience)

    page.fill("input[hx-get='/console/editor/pick/services']", "社保卡")
    choice = page.locator("#pick-services button[data-add-id]").first
    expect(choice).to_contain_text("社保卡补办")
    choice.click()
    choice.click()  # a second click adds nothing
    picked = page.locator("#f-services").input_value()
    assert re.fullmatch(r"\d+", picked), picked
    follow(page, "button:text-is('保存关联')")
    assert page.locator("#f-services").input_value() == picked

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    follow(page, "button:text-is('发布')")
    assert asked and asked[0].startswith("发布后将通知")  # the confirmation names the audience
    assert "已发布" in page.locator(".ok").inner_text()
    follow(page, "#reading-page")
    assert "60 周岁以上长者" in page.content()
    assert page.evaluate("window.hacked === undefined")
    assert "<script>window.hacked" not in page.content()
    shoot(page, site, "reading-page")

    found = page.goto(f"{site.url}/api/v1/gazette/documents?q=长者助餐").text()
    items = json.loads(found)["items"]
    assert [i["title"] for i in items if i["title"] == TITLE] and "hacked" not in found
