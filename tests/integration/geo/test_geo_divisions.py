"""Division import: outlines repaired and wound as RFC 7946 asks, bad ones rejected alone (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from shapely.geometry import shape

from geo import service_divisions, snapshot_cache
from geo.tables import Division

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"


async def test_divisions_import_repairs_winding_and_rejects_bad_features(db):
    features = json.loads((DATA / "boundaries.geojson").read_text())["features"]
    report = await service_divisions.import_divisions(features)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert [(r["index"], r["field"]) for r in report.as_dict()["rejected"]] == [
        (4, "parent_code"), (5, "geometry"), (6, "level")]

    district = await Division.get(code="440303")
    outline = shape(orjson.loads(district.geometry))
    assert outline.exterior.is_ccw  # the file's clockwise ring was turned round
    assert (district.min_lon, district.min_lat, district.max_lon, district.max_lat) == (114.10, 22.53, 114.20, 22.61)
    bowtie = shape(orjson.loads((await Division.get(code="440303003001")).geometry))
    assert bowtie.is_valid and bowtie.geom_type == "MultiPolygon" and len(bowtie.geoms) == 2
    assert abs(bowtie.area - 0.0002) < 1e-12  # two triangles of 0.02 x 0.01 / 2 each

    snap = await snapshot_cache.current()
    assert [d.code for d in snap.divisions.containing(114.103, 22.54)] == ["440303003001", "440303003", "440303"]
    assert [d.code for d in snap.divisions.containing(114.17, 22.59)] == ["440303002", "440303"]
    assert [d.code for d in snap.divisions.containing(114.15, 22.55)] == ["440303002", "440303003", "440303"]

    again = await service_divisions.import_divisions(features)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    features[1]["properties"]["name"] = "东门街道办"
    renamed = await service_divisions.import_divisions(features)
    assert (renamed.created, renamed.updated, renamed.unchanged) == (0, 1, 3)
