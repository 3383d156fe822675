"""An administrator's map in a real browser: the divisions and points drawn without online tiles, a GeoJSON
import with one bad feature whose progress the page polls until the per-feature report shows, then one of
the imported points found by name and moved by a click on the map."""

from __future__ import annotations

import json

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import Site, follow, shoot
from tests.browser.serve import ADMIN_TOTP

FEATURES = [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.1181, 22.5483]},
     "properties": {"name": "东门社区党群服务中心", "category": "hall.community", "source_id": "browser:dm-1",
                    "address": "深圳市罗湖区东门中路1号"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.1302, 22.5571]},
     "properties": {"name": "翠竹街道长者饭堂", "category": "elderly.canteen", "source_id": "browser:cz-1"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.12, 22.55]},
     "properties": {"name": "宠物美容店", "category": "pets.grooming", "source_id": "browser:pet"}},
]


def log_in_admin(page, site: Site) -> None:
    page.goto(f"{site.url}/console/login")
    page.fill("input[name=username]", "admin-a")
    page.fill("input[name=password]", site.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/console/second-factor")
    page.fill("input[name=code]", pyotp.TOTP(ADMIN_TOTP).at(site.move_clock(1)))  # a step no other test used
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{site.url}/console/"


def test_an_admin_sees_the_map_and_imports_a_file_with_a_bad_feature(page, site: Site, tmp_path):
    log_in_admin(page, site)
    follow(page, "nav.menu >> text=地图与网点")
    expect(page.locator("#map[data-loaded]")).to_have_count(1)  # the points of the view came from our JSON
    expect(page.locator(".division-label").first).to_be_visible()  # division names, no tiles needed
    assert page.locator(".leaflet-tile").count() == 0
    assert page.locator("#map-legend li").count() > 3
    shoot(page, site, "admin-map")

    upload = tmp_path / "pois.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": FEATURES}, ensure_ascii=False), "utf-8")
    follow(page, "nav.subnav >> text=导入 GeoJSON")
    page.set_input_files("input[name=file]", str(upload))
    follow(page, "button:text-is('开始导入')")
    expect(page.locator("#import-progress[data-status=done]")).to_have_count(1)  # polled by htmx until it ended
    assert page.locator("#count-created").inner_text() == "2"
    assert page.locator("#count-rejected").inner_text() == "1"
    bad = page.locator("#import-report tr.result-rejected")
    expect(bad).to_have_count(1)
    assert "宠物美容店" in bad.inner_text() and "properties.category" in bad.inner_text()
    assert page.locator("#import-bar").get_attribute("value") == "3"
    shoot(page, site, "admin-map-import")

    # The imported point, found by name with the keyboard, moved by a click on the map.
    follow(page, "text=回到地图")
    page.fill("input[name=q]", "翠竹街道长者饭堂")
    page.keyboard.press("Enter")
    found = page.locator(".search-results button", has_text="翠竹街道长者饭堂").first
    expect(found).to_be_visible()  # the results have been swapped in: focus the button that stays
    page.wait_for_load_state("networkidle")
    found.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#poi-panel h2")).to_have_text("翠竹街道长者饭堂")
    before = page.locator("#poi-move input[name=lon]").input_value()
    page.click("#poi-panel [data-map-pick]")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    expect(page.locator("#poi-panel .ok")).to_have_text("位置已更新")
    assert page.locator("#poi-move input[name=lon]").input_value() != before
