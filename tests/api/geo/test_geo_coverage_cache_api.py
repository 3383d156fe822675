"""/map/coverage is computed once per (division, category, 250 m radius step, data version) in a worker,
however the radius varies and however many ask at once; a POI edit invalidates it (both backends)."""

from __future__ import annotations

import asyncio

import pytest

from geo import coverage as coverage_rules
from tests.api.geo.test_geo_area_api import load_divisions
from tests.integration.geo.geo_support import ORIGIN, add_pois, feature, offset


@pytest.fixture
def computed(monkeypatch) -> list[float]:
    """The radii coverage was really computed for (the real computation, counted)."""
    calls: list[float] = []
    real = coverage_rules.coverage

    def counted(division, points, *, radius_m):
        calls.append(radius_m)
        return real(division, points, radius_m=radius_m)

    monkeypatch.setattr(coverage_rules, "coverage", counted)
    return calls


async def ask(client, radius_m: float) -> dict:
    response = await client.get("/api/v1/map/coverage",
                                params={"division": "440303003", "category": "elderly", "radius_m": radius_m})
    assert response.status_code == 200, response.text
    return response.json()


async def test_nearby_radii_share_one_computation_until_a_poi_changes(client, computed):
    await load_divisions()
    await add_pois(feature("长者饭堂", ORIGIN, "elderly.canteen"))
    first = await ask(client, 1000)
    nearby = await ask(client, 1090.5)
    assert nearby == first and nearby["radius_m"] == 1000
    assert computed == [1000]
    assert (await ask(client, 1130))["radius_m"] == 1250
    assert (await ask(client, 3))["radius_m"] == coverage_rules.RADIUS_STEP_M
    assert computed == [1000, 1250, 250]
    together = await asyncio.gather(*(ask(client, 1500 + i) for i in range(6)))
    assert computed == [1000, 1250, 250, 1500]
    assert len({body["coverage_ratio"] for body in together}) == 1

    await add_pois(feature("另一间饭堂", offset(ORIGIN, 800, 800), "elderly.canteen"))
    after = await ask(client, 1000)
    assert computed[-1] == 1000 and len(computed) == 5
    assert after["coverage_ratio"] > first["coverage_ratio"]
