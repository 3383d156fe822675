"""The demo district: streets tile the district, ~400 labelled POIs inside it, seeding is idempotent (both backends)."""

from __future__ import annotations

from collections import Counter

import orjson
import shapely
from shapely.geometry import shape

from geo import demo, service
from geo.tables import Division, Poi

STREETS = {"桂园街道", "黄贝街道", "东门街道", "翠竹街道", "南湖街道", "笋岗街道", "东湖街道", "莲塘街道", "东晓街道",
           "清水河街道"}


async def test_demo_district_is_plausible_and_seeding_twice_changes_nothing(db, capsys):
    await demo.seed()
    assert "[demo data]" in capsys.readouterr().out
    rows = await Division.all()
    by_level = Counter(row.level for row in rows)
    assert by_level["district"] == 1 and by_level["street"] == 10 and by_level["community"] >= 20
    district = shape(orjson.loads(next(r for r in rows if r.level == "district").geometry))
    assert 114.0 < district.centroid.x < 114.3 and 22.5 < district.centroid.y < 22.7
    streets = [shape(orjson.loads(r.geometry)) for r in rows if r.level == "street"]
    assert {r.name for r in rows if r.level == "street"} == STREETS
    # The streets tile the district: they cover it and overlap nowhere.
    assert abs(shapely.union_all(streets).area - district.area) < 1e-9 * district.area + 1e-12
    assert abs(sum(s.area for s in streets) - district.area) < 1e-6 * district.area

    pois = await Poi.all()
    assert 350 <= len(pois) <= 450
    assert {p.category.split(".")[0] for p in pois} == {"education", "health", "elderly", "hall"}
    assert all(p.source_id.startswith("demo:") and "demo" in p.tags for p in pois)
    assert all(shapely.contains_xy(district, p.lon, p.lat) for p in pois)
    names = {p.name for p in pois}
    assert {"罗湖区行政服务大厅", "东门街道便民服务中心", "黄贝街道便民服务中心"} <= names
    hall = next(p for p in pois if p.name == "罗湖区行政服务大厅")
    assert hall.opening_hours["weekly"]["mon"] == [["09:00", "12:00"], ["14:00", "18:00"]]  # lunch break
    assert all(p.phone.startswith("0755-") and p.address.startswith("深圳市罗湖区") for p in pois)

    await demo.seed()
    assert "(0 new, 0 updated)" in capsys.readouterr().out.split("divisions")[1]
    assert await Poi.all().count() == len(pois) and await Division.all().count() == len(rows)


async def test_other_domains_find_a_hall_and_link_it(db):
    await demo.seed()
    [found] = await service.find_pois(name="东门街道便民服务中心")
    assert found["category"] == "hall.street" and found["hall_id"] is None
    await service.link_hall(found["id"], 3)
    linked = await service.get_poi(found["id"])
    assert linked["hall_id"] == 3 and linked["bookable"] is True and linked["lon"] == found["lon"]
    assert len(await service.find_pois(category="hall.street")) == 10
    assert {p["category"] for p in await service.find_pois(name="健康服务中心", category="health")} == {"health.community"}
    assert await service.get_poi(10**9) is None
