"""Every bad map request is a 422 naming the field, before any work is done (both backends)."""

from __future__ import annotations

import pytest

OK_POINT = {"lat": "22.55", "lon": "114.12", "radius": "1000"}


@pytest.mark.parametrize(("path", "params", "fields"), [
    ("/api/v1/map/pois", {**OK_POINT, "lat": "91"}, {"lat"}),
    ("/api/v1/map/pois", {**OK_POINT, "lon": "abc"}, {"lon"}),
    ("/api/v1/map/pois", {**OK_POINT, "lat": "91", "lon": "abc"}, {"lat", "lon"}),
    ("/api/v1/map/pois", {**OK_POINT, "radius": "0"}, {"radius"}),
    ("/api/v1/map/pois", {**OK_POINT, "radius": "20001"}, {"radius"}),
    ("/api/v1/map/pois", {"radius": "100"}, {"radius"}),
    ("/api/v1/map/pois", {"bbox": "114.1,22.5,114.2,22.6", "radius": "100"}, {"radius"}),
    ("/api/v1/map/pois", {"lat": "22.55", "radius": "100"}, {"lon"}),
    ("/api/v1/map/pois", {"bbox": "114.2,22.5,114.1,22.6"}, {"bbox"}),
    ("/api/v1/map/pois", {"bbox": "114.1,22.6,114.2,22.5"}, {"bbox"}),
    ("/api/v1/map/pois", {"bbox": "114.1,22.5,114.2"}, {"bbox"}),
    ("/api/v1/map/pois", {"bbox": "114.1,22.5,114.2,95"}, {"bbox"}),
    ("/api/v1/map/pois", {**OK_POINT, "bbox": "114.1,22.5,114.2,22.6"}, {"bbox"}),
    ("/api/v1/map/pois", {**OK_POINT, "category": "health,nonsense"}, {"category"}),
    ("/api/v1/map/pois", {**OK_POINT, "limit": "201"}, {"limit"}),
    ("/api/v1/map/pois", {**OK_POINT, "limit": "0"}, {"limit"}),
    ("/api/v1/map/pois", {**OK_POINT, "status": "gone"}, {"status.0"}),
    ("/api/v1/map/pois", {**OK_POINT, "coord": "utm"}, {"coord"}),
    ("/api/v1/map/pois", {**OK_POINT, "cursor": "not-a-cursor"}, {"cursor"}),
    ("/api/v1/map/pois", {**OK_POINT, "cursor": "WyJpIiw1XQ"}, {"cursor"}),  # an id cursor on a nearby query
    ("/api/v1/map/clusters", {"bbox": "114.1,22.5,114.2,22.6", "zoom": "21"}, {"zoom"}),
    ("/api/v1/map/clusters", {"zoom": "12"}, {"bbox"}),
    ("/api/v1/map/locate", {"lat": "-91", "lon": "114"}, {"lat"}),
    ("/api/v1/map/locate", {"lat": "22.55", "lon": "114.12", "category": "health.dentist"}, {"category"}),
    ("/api/v1/map/divisions", {"level": "province"}, {"level"}),
    ("/api/v1/map/coverage", {"category": "elderly", "division": "440303", "radius_m": "0"}, {"radius_m"}),
    ("/api/v1/map/coverage", {"category": "pets", "division": "440303"}, {"category"}),
    ("/api/v1/map/coverage", {"category": "elderly"}, {"division"}),
])
async def test_bad_query_is_422_with_the_field_named(client, path, params, fields):
    response = await client.get(path, params=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {f["field"] for f in error["details"]["fields"]} == fields
    assert all(f["in"] == "query" and f["message"] for f in error["details"]["fields"])


async def test_unknown_category_names_the_code(client):
    response = await client.get("/api/v1/map/pois", params={**OK_POINT, "category": "health.dentist"})
    assert "health.dentist" in response.json()["error"]["details"]["fields"][0]["message"]


async def test_limit_of_200_is_accepted(client):
    response = await client.get("/api/v1/map/pois", params={**OK_POINT, "limit": "200"})
    assert response.status_code == 200 and response.json()["features"] == []


async def test_unknown_poi_and_division_are_404(client):
    missing = await client.get("/api/v1/map/pois/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "poi_not_found"
    coverage = await client.get("/api/v1/map/coverage", params={"category": "elderly", "division": "999"})
    assert coverage.status_code == 404 and coverage.json()["error"]["code"] == "division_not_found"
