"""地图与网点 through HTTP on both backends: a GeoJSON import's progress and per-feature report, the states
the progress fragment shows, adding, editing, moving, closing and finding a point (with before/after in the
operation log), CSRF, the admin role, bad files, and an import while Redis is down."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

import httpx

from geo import service_import
from geo.tables import ImportItem, ImportJob, Poi
from server import clock, config
from server.tables import OperationLog
from tests.api.console.conftest import Browser, make_user
from tests.api.console.test_console_admin_logs import as_admin
from tests.support.outage import redis_down

MIXED = Path(__file__).resolve().parents[2] / "data" / "geo" / "import_mixed.geojson"  # 10 features, 6 bad
IMPORT = "/console/admin/map/import"
ROW = re.compile(r'<tr class="result-(\w+)"><td>(\d+)</td><td>([^<]*)</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>')


async def upload(browser: Browser, data: bytes, *, name: str = "pois.geojson") -> httpx.Response:
    token = await browser.form_token(IMPORT)
    return await browser.post(IMPORT, data={"csrf": token, "coord": "wgs84"},
                              files={"file": (name, data, "application/geo+json")})


async def finished(browser: Browser, job_page: str) -> str:
    """Poll the progress fragment as the page does until the job has ended; its last answer."""
    for _ in range(400):
        fragment = await browser.get(job_page + "/progress", headers={"HX-Request": "true"})
        assert fragment.status_code == 200, fragment.text
        if 'hx-trigger="every 1s"' not in fragment.text:
            return fragment.text
        await asyncio.sleep(0.05)  # the job runs on this event loop: let it
    raise AssertionError("the import did not finish")


async def test_an_import_reports_every_feature_and_a_second_run_changes_nothing(browser: Browser, db):
    await as_admin(browser)
    started = await upload(browser, MIXED.read_bytes(), name="mixed.geojson")
    assert started.status_code == 303
    job_page = started.headers["location"]
    assert re.fullmatch(r"/console/admin/map/import/\d+", job_page)
    report = await finished(browser, job_page)
    assert 'data-status="done"' in report
    assert re.search(r'id="count-created">4<', report) and re.search(r'id="count-rejected">6<', report)
    rows = {int(index): (result, name, reason) for result, index, name, reason in ROW.findall(report)}
    assert len(rows) == 10
    assert rows[0][:2] == ("created", "罗湖区湖贝社区健康服务中心")
    assert rows[4][:2] == ("rejected", "宠物医院") and "properties.category" in rows[4][2]
    assert rows[3][0] == "rejected" and "坐标须为 [经度, 纬度]" in rows[3][2]
    assert rows[8][0] == "rejected" and "与第 2 个要素重复" in rows[8][2]
    only_rejected = (await browser.get(job_page + "?rejected=1")).text
    assert sorted(int(i) for _, i, _, _ in ROW.findall(only_rejected)) == [1, 3, 4, 5, 7, 8]
    assert await Poi.all().count() == 4

    again = await finished(browser, (await upload(browser, MIXED.read_bytes())).headers["location"])
    assert re.search(r'id="count-unchanged">4<', again) and re.search(r'id="count-created">0<', again)
    assert await Poi.all().count() == 4
    listing = (await browser.get(IMPORT)).text
    assert listing.count("mixed.geojson") == 1 and listing.count("pois.geojson") == 1
    logged = await OperationLog.filter(action="geo.import_finished").order_by("id").values_list("after", flat=True)
    assert logged[0] == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 6}
    first_id = int(job_page.rsplit("/", 1)[1])
    started_entry = await OperationLog.filter(action="console.admin_map.start_import").order_by("id").first()
    assert started_entry.target == f"import_job_id={first_id}" and started_entry.after["file"] == ["mixed.geojson"]

    clock.advance(timedelta(days=91))  # reports are kept 90 days (the daily job forgets older ones)
    recent = await ImportJob.create(user_id=1, status="done", created_at=clock.now(), updated_at=clock.now())
    assert await service_import.purge_old_jobs() == 2
    assert await ImportJob.all().values_list("id", flat=True) == [recent.id] and await ImportItem.all().count() == 0


async def test_the_progress_fragment_polls_while_a_job_runs_and_says_when_its_process_stopped(browser: Browser, db):
    await as_admin(browser)
    now = clock.now()
    running = await ImportJob.create(user_id=1, filename="big.geojson", status="running", total=4000, created=2000,
                                     rejected=600, created_at=now, updated_at=now)
    fragment = (await browser.get(f"{IMPORT}/{running.id}/progress")).text
    assert 'data-status="running"' in fragment and 'hx-trigger="every 1s"' in fragment
    assert 'max="4000" value="2600"' in fragment and "65%" in fragment
    failed = await ImportJob.create(user_id=1, filename="x.geojson", status="failed", total=10, error="导入出错",
                                    created_at=now, updated_at=now, finished_at=now)
    fragment = (await browser.get(f"{IMPORT}/{failed.id}/progress")).text
    assert 'data-status="failed"' in fragment and "导入出错" in fragment and "hx-trigger" not in fragment
    clock.advance(timedelta(minutes=3))  # the running job's worker has not written for three minutes
    fragment = (await browser.get(f"{IMPORT}/{running.id}/progress")).text
    assert 'data-status="stalled"' in fragment and "已中断" in fragment and "hx-trigger" not in fragment
    assert (await browser.get(f"{IMPORT}/999999")).status_code == 404


async def test_bad_files_are_refused_with_the_reason_and_start_nothing(browser: Browser, db):
    await as_admin(browser)
    for data, reason in ((b"not json", "不是有效的 JSON"), (b'{"type": "Feature"}', "不是 GeoJSON FeatureCollection"),
                         (b'{"type": "FeatureCollection", "features": []}', "没有要素")):
        refused = await upload(browser, data)
        assert refused.status_code == 422 and reason in refused.text, refused.text
    too_big = await upload(browser, b" " * (config.current().max_body_bytes + 1))
    assert too_big.status_code == 413 and "请求体过大" in too_big.text
    assert await ImportJob.all().count() == 0


def panel_form(**changes: str) -> dict[str, str]:
    form = {"name": "湖贝社区长者饭堂", "category": "elderly", "subcategory": "elderly.canteen",
            "address": "深圳市罗湖区湖贝路12号", "phone": "0755-82000000", "lon": "114.1232", "lat": "22.5531",
            "hours_mon": "09:00-12:00 14:00-17:30", "hours_tue": "09:00-12:00"}
    return {**form, **changes}


async def test_an_admin_adds_edits_moves_and_closes_a_point_and_the_log_has_before_and_after(browser: Browser, db):
    await as_admin(browser)
    token = await browser.form_token("/console/admin/map/pois/new?lon=114.1&lat=22.55")
    htmx = {"HX-Request": "true"}
    created = await browser.post("/console/admin/map/pois", data={"csrf": token, **panel_form()}, headers=htmx)
    assert created.status_code == 200 and "已新增网点" in created.text
    poi = await Poi.get(name="湖贝社区长者饭堂")
    assert (poi.category, poi.opening_hours["weekly"]["mon"]) == ("elderly.canteen", [["09:00", "12:00"], ["14:00", "17:30"]])
    base = f"/console/admin/map/pois/{poi.id}"
    assert "湖贝路12号" in (await browser.get(base)).text

    wrong_sub = await browser.post(base, data={"csrf": token, **panel_form(category="health")}, headers=htmx)
    assert wrong_sub.status_code == 422 and "子分类不属于所选分类" in wrong_sub.text
    bad_hours = await browser.post(base, data={"csrf": token, **panel_form(hours_mon="9点到12点")}, headers=htmx)
    assert bad_hours.status_code == 422 and "opening_hours.weekly.mon" in bad_hours.text
    assert 'value="9点到12点"' in bad_hours.text  # the panel keeps what was typed

    edited = await browser.post(base, data={"csrf": token, **panel_form(name="湖贝长者饭堂", subcategory="")},
                                headers=htmx)
    assert edited.status_code == 200 and "已保存" in edited.text
    moved = await browser.post(f"{base}/move", data={"csrf": token, "lon": "114.125", "lat": "22.556"}, headers=htmx)
    assert moved.status_code == 200 and "位置已更新" in moved.text and 'id="poi-saved"' in moved.text
    outside = await browser.post(f"{base}/move", data={"csrf": token, "lon": "22.556", "lat": "114.125"}, headers=htmx)
    assert outside.status_code == 422
    closed = await browser.post(f"{base}/close", data={"csrf": token}, headers=htmx)
    assert closed.status_code == 200 and "已关闭" in closed.text
    poi = await Poi.get(id=poi.id)
    assert (poi.name, poi.category, poi.lon, poi.lat, poi.status) == ("湖贝长者饭堂", "elderly", 114.125, 22.556, "closed")

    found = (await browser.get("/console/admin/map/search", params={"q": "长者饭堂"})).text
    assert f'hx-get="/console/admin/map/pois/{poi.id}"' in found and "湖贝长者饭堂" in found and "已关闭" in found
    assert "没有名称含" in (await browser.get("/console/admin/map/search", params={"q": "图书馆"})).text

    entries = {e.action: e for e in await OperationLog.filter(target=f"poi_id={poi.id}", result="ok")}
    edit = entries["console.admin_map.update_poi"]
    assert edit.before == {"name": "湖贝社区长者饭堂", "category": "elderly.canteen"}
    assert edit.after["name"] == "湖贝长者饭堂" and edit.after["category"] == "elderly"
    move = entries["console.admin_map.move_poi"]
    assert (move.before, move.after) == ({"lon": 114.1232, "lat": 22.5531}, {"lon": 114.125, "lat": 22.556})
    close = entries["console.admin_map.close_poi"]
    assert (close.before, close.after) == ({"status": "open"}, {"status": "closed"})
    assert entries["console.admin_map.create_poi"].after["name"] == "湖贝社区长者饭堂"


async def test_writes_need_the_forms_csrf_token(browser: Browser, db):
    await as_admin(browser)
    poi = await Poi.create(name="翠竹社区长者饭堂", category="elderly.canteen", lon=114.13, lat=22.56,
                           created_at=clock.now(), updated_at=clock.now())
    for path, data in ((f"/console/admin/map/pois/{poi.id}/move", {"lon": "114.2", "lat": "22.6"}),
                       (f"/console/admin/map/pois/{poi.id}/close", {}), ("/console/admin/map/pois", panel_form())):
        assert (await browser.post(path, data=data)).status_code == 403
    no_token = await browser.post(IMPORT, data={"coord": "wgs84"}, files={"file": ("a.geojson", MIXED.read_bytes())})
    assert no_token.status_code == 403
    assert (await Poi.get(id=poi.id)).status == "open" and await Poi.all().count() == 1
    assert await ImportJob.all().count() == 0


async def test_clerks_and_editors_cannot_open_the_map_pages(browser: Browser, db):
    poi = await Poi.create(name="翠竹社区长者饭堂", category="elderly.canteen", lon=114.13, lat=22.56,
                           created_at=clock.now(), updated_at=clock.now())
    for role in ("staff", "editor"):
        assert (await browser.log_in(*await make_user(role))).status_code == 303
        for path in ("/console/admin/map/", IMPORT, "/console/admin/map/divisions.geojson", "/console/admin/map/search",
                     f"/console/admin/map/pois/{poi.id}"):
            assert (await browser.get(path)).status_code == 403, path
        token = await browser.form_token("/console/password")
        closing = await browser.post(f"/console/admin/map/pois/{poi.id}/close", data={"csrf": token})
        assert closing.status_code == 403
        assert "地图与网点" not in (await browser.get("/console/")).text
        browser.cookies.clear()
    assert (await Poi.get(id=poi.id)).status == "open"


async def test_the_map_page_its_divisions_and_an_import_work_while_redis_is_down(browser: Browser, db):
    await as_admin(browser)
    async with redis_down():
        page = await browser.get("/console/admin/map/")
        assert page.status_code == 200 and 'id="map"' in page.text
        outlines = await browser.get("/console/admin/map/divisions.geojson")
        assert outlines.status_code == 200 and outlines.json()["type"] == "FeatureCollection"
        started = await upload(browser, MIXED.read_bytes())
        assert started.status_code == 303
        report = await finished(browser, started.headers["location"])
    assert 'data-status="done"' in report and re.search(r'id="count-created">4<', report)
