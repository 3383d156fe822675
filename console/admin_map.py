"""地图与网点: the administrators' map of service points, and GeoJSON imports with their progress and report.

The map (console/static/map.js, Leaflet without online tiles) draws the divisions' outlines and the
points of the visible bounds from our own JSON (``/api/v1/map/clusters``); clicking a point opens its
form in the side panel. Every write goes through geo's services exactly as the admin API's do (the
same schemas, the same rules, WGS-84 throughout), and the operation log records it with the fields'
before and after (geo.service_edit notes them). An import is geo.service_import's background job; its
page polls the job's state, which is in the database, so any worker answers.
"""

from __future__ import annotations

import re
from typing import Any

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import json, redirect

from console import sessions
from console.pages import Redisplay, field, install_error_pages, page, parse, render
from geo import service, service_divisions, service_edit, service_import, service_query
from geo.categories import SEED_CATEGORIES
from geo.errors import invalid_field
from geo.hours import DAY_KEYS
from geo.schemas_edit import PoiFeature, PoiPatch
from server import config, errors

bp = Blueprint("console_admin_map", url_prefix="/console/admin/map")
install_error_pages(bp)
ADMIN = "admin"
Console = sessions.Console
DAY_NAMES = dict(zip(DAY_KEYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True))
STATUS_NAMES = {"open": "正常服务", "temporarily_closed": "暂停服务", "closed": "已关闭"}
ROOTS = [c for c in SEED_CATEGORIES if c.parent_code is None]
SUBCATEGORIES = [c for c in SEED_CATEGORIES if c.parent_code is not None]
SEARCH_LIMIT = 20
_PERIOD_SPLIT = re.compile(r"[\s,，、;；]+")


def _choices() -> dict[str, Any]:
    return {"roots": ROOTS, "subcategories": SUBCATEGORIES, "day_names": DAY_NAMES, "status_names": STATUS_NAMES}


@bp.get("/")
@page(ADMIN)
async def map_page(request: Request, *, console: Console) -> HTTPResponse:
    return render("admin/map.html", console=console, tab="map", roots=ROOTS)


@bp.get("/divisions.geojson")
@page(ADMIN)
async def divisions(request: Request, *, console: Console) -> HTTPResponse:
    return json(await service_divisions.outlines(), headers={"cache-control": "no-store"})


@bp.get("/search")
@page(ADMIN)
async def search(request: Request, *, console: Console) -> HTTPResponse:
    """Points by name (closed ones too), into the side panel: the keyboard's way to a point."""
    q = (request.args.get("q") or "").strip()[:64]
    found = await service.find_pois(name=q, limit=SEARCH_LIMIT) if q else []
    return render("admin/map_search.html", console=console, q=q, found=found, limit=SEARCH_LIMIT,
                  status_names=STATUS_NAMES)


# --- one point: its form in the side panel -------------------------------------------------------

def _panel(console: Console, *, poi: dict[str, Any] | None, form: dict[str, str], status: int = 200,
           **context: Any) -> HTTPResponse:
    return render("admin/map_panel.html", status=status, console=console, poi=poi, form=form, **_choices(), **context)


def _form_of(poi: dict[str, Any]) -> dict[str, str]:
    """The panel's fields filled from a POI Feature (WGS-84)."""
    props = poi["properties"]
    category = props["category"]
    hours = props["opening_hours"]
    weekly = (hours or {}).get("weekly", {})
    form = {"name": props["name"], "category": category.split(".", 1)[0],
            "subcategory": category if "." in category else "", "address": props["address"], "phone": props["phone"],
            "lon": repr(poi["geometry"]["coordinates"][0]), "lat": repr(poi["geometry"]["coordinates"][1]),
            "hours_unknown": "1" if hours is None else ""}
    for day in DAY_KEYS:
        form[f"hours_{day}"] = " ".join(f"{start}-{end}" for start, end in weekly.get(day, []))
    return form


def _posted(request: Request, *, location: bool = True) -> dict[str, str]:
    names = ("name", "category", "subcategory", "address", "phone", "hours_unknown", *(f"hours_{d}" for d in DAY_KEYS))
    return {name: field(request, name) for name in (*names, *(("lon", "lat") if location else ()))}


def _category(form: dict[str, str]) -> str:
    sub = form["subcategory"]
    if sub and not sub.startswith(form["category"] + "."):
        raise invalid_field("subcategory", "子分类不属于所选分类")
    return sub or form["category"]


def _hours(form: dict[str, str], *, exceptions: list[Any]) -> dict[str, Any] | None:
    """The weekly hours typed per day ("09:00-12:00 14:00-17:30"; empty: closed), dated exceptions kept."""
    if form["hours_unknown"]:
        return None
    weekly = {day: [piece.replace("～", "-").replace("~", "-").split("-", 1)
                    for piece in _PERIOD_SPLIT.split(form[f"hours_{day}"]) if piece]
              for day in DAY_KEYS}
    return {"weekly": {day: periods for day, periods in weekly.items() if periods}, "exceptions": exceptions}


def _properties(form: dict[str, str], *, exceptions: list[Any]) -> dict[str, Any]:
    return {"name": form["name"], "category": _category(form), "address": form["address"], "phone": form["phone"],
            "opening_hours": _hours(form, exceptions=exceptions)}


def _point(form: dict[str, str]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [form["lon"] or None, form["lat"] or None]}


async def _current(poi_id: int) -> dict[str, Any]:
    return await service_query.poi_detail(poi_id, coord="wgs84")


@bp.get("/pois/new")
@page(ADMIN)
async def new_poi(request: Request, *, console: Console) -> HTTPResponse:
    form = {"category": ROOTS[0].code, "lon": request.args.get("lon", ""), "lat": request.args.get("lat", "")}
    return _panel(console, poi=None, form=form)


@bp.post("/pois")
@page(ADMIN)
async def create_poi(request: Request, *, console: Console) -> HTTPResponse:
    form = _posted(request)
    try:
        feature = parse(PoiFeature, {"type": "Feature", "geometry": _point(form),
                                     "properties": _properties(form, exceptions=[])})
        created = await service_edit.create_poi(feature, coord="wgs84")
    except errors.DomainError as error:  # the panel again, with what was typed and why it was refused
        raise Redisplay(error, "admin/map_panel.html", poi=None, form=form, **_choices()) from None
    return _panel(console, poi=created, form=_form_of(created), saved=created, ok="已新增网点")


@bp.get("/pois/<poi_id:int>")
@page(ADMIN)
async def poi_panel(request: Request, poi_id: int, *, console: Console) -> HTTPResponse:
    poi = await _current(poi_id)
    return _panel(console, poi=poi, form=_form_of(poi))


@bp.post("/pois/<poi_id:int>")
@page(ADMIN)
async def update_poi(request: Request, poi_id: int, *, console: Console) -> HTTPResponse:
    poi = await _current(poi_id)
    form = {**_form_of(poi), **_posted(request, location=False)}
    exceptions = (poi["properties"]["opening_hours"] or {}).get("exceptions", [])
    return await _patch(console, poi, form, {"type": "Feature", "properties": _properties(form, exceptions=exceptions)},
                        ok="已保存")


@bp.post("/pois/<poi_id:int>/move")
@page(ADMIN)
async def move_poi(request: Request, poi_id: int, *, console: Console) -> HTTPResponse:
    poi = await _current(poi_id)
    form = {**_form_of(poi), "lon": field(request, "lon"), "lat": field(request, "lat")}
    return await _patch(console, poi, form, {"type": "Feature", "geometry": _point(form)}, ok="位置已更新")


async def _patch(console: Console, poi: dict[str, Any], form: dict[str, str], body: dict[str, Any], *,
                 ok: str) -> HTTPResponse:
    try:
        saved = await service_edit.update_poi(poi["id"], parse(PoiPatch, body), coord="wgs84")
    except errors.DomainError as error:
        raise Redisplay(error, "admin/map_panel.html", poi=poi, form=form, **_choices()) from None
    return _panel(console, poi=saved, form=_form_of(saved), saved=saved, ok=ok)


@bp.post("/pois/<poi_id:int>/close")
@page(ADMIN)
async def close_poi(request: Request, poi_id: int, *, console: Console) -> HTTPResponse:
    closed = await service_edit.close_poi(poi_id, coord="wgs84")
    return _panel(console, poi=closed, form=_form_of(closed), saved=closed, ok="网点已关闭（保留记录，不再对居民显示）")


# --- imports -------------------------------------------------------------------------------------

def _limit_mb() -> int:
    return config.current().max_body_bytes // (1024 * 1024)


@bp.get("/import")
@page(ADMIN)
async def import_page(request: Request, *, console: Console) -> HTTPResponse:
    return render("admin/map_import.html", console=console, tab="import", jobs=await service_import.recent_jobs(),
                  limit_mb=_limit_mb())


@bp.post("/import")
@page(ADMIN)
async def start_import(request: Request, *, console: Console) -> HTTPResponse:
    upload = request.files.get("file") if request.files else None
    coord = field(request, "coord", "wgs84")
    try:
        if upload is None or not upload.body:
            raise invalid_field("file", "请选择要导入的 GeoJSON 文件")
        if coord not in ("wgs84", "gcj02", "bd09"):
            raise invalid_field("coord", "坐标系须为 wgs84、gcj02 或 bd09")
        features = service_import.read_collection(upload.body)
    except errors.DomainError as error:
        raise Redisplay(error, "admin/map_import.html", tab="import", jobs=await service_import.recent_jobs(),
                        limit_mb=_limit_mb()) from None
    job_id = await service_import.start_import(features, filename=upload.name or "", coord=coord, actor=console.user)
    return redirect(f"/console/admin/map/import/{job_id}", status=303)


async def _job_context(request: Request, job_id: int) -> dict[str, Any]:
    job = await service_import.job_state(job_id)
    rejected_only = request.args.get("rejected") == "1"
    lines = await service_import.job_report(job_id, rejected_only=rejected_only) if job["status"] == "done" else []
    return {"job": job, "lines": lines, "rejected_only": rejected_only, "shown_max": service_import.REPORT_LINES}


@bp.get("/import/<job_id:int>")
@page(ADMIN)
async def import_job(request: Request, job_id: int, *, console: Console) -> HTTPResponse:
    return render("admin/map_import_job.html", console=console, tab="import", **await _job_context(request, job_id))


@bp.get("/import/<job_id:int>/progress")
@page(ADMIN)
async def import_progress(request: Request, job_id: int, *, console: Console) -> HTTPResponse:
    """The fragment the job page polls every second while the job runs (then the report)."""
    return render("admin/map_progress.html", console=console, **await _job_context(request, job_id))

