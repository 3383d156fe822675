"""The demo district for ``bianmin seed-demo``: 罗湖区 with its 10 streets, 40 communities and ~400 POIs.

Generated deterministically (a seeded RNG, Voronoi tiles clipped to the outline, so streets tile
the district and communities tile their street) and loaded through the same importers as real
data, matched by ``demo:`` source ids and codes: seeding twice changes nothing. Every POI carries
the tag ``demo``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import Any

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

from geo import demo_data as data
from geo import importer, service_divisions

SEED = 440303
Shape = Polygon | MultiPolygon


def _tiles(seeds: list[tuple[float, float]], area: Shape) -> list[Shape]:
    """Voronoi cells of the seeds clipped to ``area``, in seed order: they tile the area."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=area, ordered=True)
    return [orient_all(cell.intersection(area)) for cell in cells.geoms]


def orient_all(shape: Any) -> Shape:
    """Polygonal parts only, exterior rings counter-clockwise (RFC 7946)."""
    parts = [orient(p, sign=1.0) for p in shapely.get_parts(shape) if isinstance(p, Polygon) and p.area > 0]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _point_in(area: Shape, rng: random.Random) -> tuple[float, float]:
    west, south, east, north = area.bounds
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(area, lon, lat):
            return round(lon, 6), round(lat, 6)


def _spread_points(area: Shape, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """``count`` random points in the area, kept apart so no community is a sliver."""
    gap = 0.35 * math.sqrt(area.area / count)
    points: list[tuple[float, float]] = []
    while len(points) < count:
        candidate = _point_in(area, rng)
        if all(math.dist(candidate, p) >= gap for p in points) or rng.random() < 0.01:
            points.append(candidate)
    return points


def divisions(rng: random.Random) -> list[dict[str, Any]]:
    """District, street and community features (GeoJSON) of the demo district."""
    code, name = data.DISTRICT
    outline = orient_all(Polygon(data.OUTLINE))
    found = [_division(code, name, "district", None, outline)]
    streets = _tiles([seed for _, seed, _, _ in data.STREETS], outline)
    for number, ((street, _, communities, _), area) in enumerate(zip(data.STREETS, streets), start=1):
        street_code = f"{code}{number:03d}"
        found.append(_division(street_code, f"{street}街道", "street", code, area))
        cells = _tiles(_spread_points(area, len(communities), rng), area)
        for k, (community, cell) in enumerate(zip(communities, cells), start=1):
            found.append(_division(f"{street_code}{k:03d}", f"{community}社区", "community", street_code, cell))
    return found


def _division(code: str, name: str, level: str, parent: str | None, area: Shape) -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(area),
            "properties": {"code": code, "name": name, "level": level, "parent_code": parent}}


def _phone(rng: random.Random) -> str:
    return f"0755-2{rng.randrange(10**6, 10**7)}"


def _address(street: str, roads: tuple[str, ...], rng: random.Random) -> str:
    return f"深圳市罗湖区{street}街道{rng.choice(roads)}{rng.randrange(1, 3000)}号"


def _poi(source: str, name: str, category: str, point: tuple[float, float], address: str, phone: str,
         *, accessible: bool) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": {"name": name, "category": category, "address": address, "phone": phone,
                           "opening_hours": data.HOURS[category], "status": "open", "tags": ["demo"],
                           "accessibility": {"wheelchair": accessible}, "source_id": f"demo:{source}"}}


def _places(features: list[dict[str, Any]]) -> Iterator[tuple[str, Shape, tuple[str, ...]]]:
    """(community name, community area, roads of its street) for every community, in order."""
    areas = {f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in features}
    for number, (_, _, communities, roads) in enumerate(data.STREETS, start=1):
        for k, community in enumerate(communities, start=1):
            yield community, areas[f"{data.DISTRICT[0]}{number:03d}{k:03d}"], roads


def pois(division_features: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """About 400 service points across the four top categories, placed inside the communities."""
    places = list(_places(division_features))
    street_of = {community: street for street, _, communities, _ in data.STREETS for community in communities}
    out = [_poi("hall.district", data.DISTRICT_HALL[0], "hall.district", data.DISTRICT_HALL[2],
                data.DISTRICT_HALL[1], "0755-25666345", accessible=True)]

    def add(kind: str, category: str, name: str, place: tuple[str, Shape, tuple[str, ...]] | None = None) -> None:
        community, area, roads = place or rng.choice(places)
        street = street_of[community]
        out.append(_poi(f"{kind}:{len(out)}", name, category, _point_in(area, rng), _address(street, roads, rng),
                        _phone(rng), accessible=category.startswith(("hall", "health.hospital")) or rng.random() < 0.6))

    for street, _, _, _ in data.STREETS:
        add("street-hall", "hall.street", f"{street}街道便民服务中心",
            next(p for p in places if street_of[p[0]] == street))
    for place in places:
        community = place[0]
        add("workstation", "hall.community", f"{community}社区工作站", place)
        add("health-centre", "health.community", f"罗湖区{community}社区健康服务中心", place)
    for name in data.HOSPITALS:
        add("hospital", "health.hospital", name)
    for i in range(40):
        add("clinic", "health.clinic", f"{rng.choice(data.SURNAMES)}氏{rng.choice(data.CLINIC_KINDS)}")
    for i in range(50):
        place = rng.choice(places)
        add("pharmacy", "health.pharmacy", f"{rng.choice(data.PHARMACY_BRANDS)}（{rng.choice(place[2])}店）", place)
    _add_education(add, places, rng)
    _add_elderly(add, places, rng)
    return out


def _add_education(add: Any, places: list[tuple[str, Shape, tuple[str, ...]]], rng: random.Random) -> None:
    for i, place in enumerate(places):
        add("kindergarten", "education.kindergarten", f"罗湖区{place[0]}幼儿园", place)
    for word in data.GOOD_WORDS + data.GOOD_WORDS[:8]:
        add("kindergarten", "education.kindergarten", f"深圳市罗湖区{word}幼儿园")
    for word in data.SCHOOL_WORDS + tuple(place[0] for place in places[:15]):
        add("primary", "education.primary", f"罗湖区{word}小学")
    for name in data.SECONDARY:
        add("secondary", "education.secondary", name)
    for name in data.OTHER_EDUCATION:
        add("education-other", "education.other", name)


def _add_elderly(add: Any, places: list[tuple[str, Shape, tuple[str, ...]]], rng: random.Random) -> None:
    for name in data.NURSING_HOMES:
        add("nursing", "elderly.nursing_home", name)
    for place in places[::2]:
        add("day-care", "elderly.day_care", f"{place[0]}社区日间照料中心", place)
    for place in places[:30]:
        add("canteen", "elderly.canteen", f"{place[0]}社区长者饭堂", place)
    for place in places[5:30]:
        add("activity", "elderly.activity", f"{place[0]}社区老年活动中心", place)


def generate() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(division features, POI features) of the demo district; the same on every call."""
    rng = random.Random(SEED)
    found = divisions(rng)
    return found, pois(found, rng)


async def seed() -> None:
    """Load the demo district (idempotent: a second run reports everything unchanged)."""
    division_features, poi_features = generate()
    loaded = await service_divisions.import_divisions(division_features)
    report = await importer.import_features(poi_features)
    print(f"  demo map: {len(division_features)} divisions ({loaded.created} new, {loaded.updated} updated), "
          f"{len(poi_features)} service points ({report.created} new, {report.updated} updated) [demo data]")
