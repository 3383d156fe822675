"""Browsers on other origins (geojson.io reading the open data, a city's web map) may read every answer."""

from __future__ import annotations

ORIGIN = {"Origin": "https://geojson.io"}


async def test_answers_and_errors_carry_the_wildcard_origin(client):
    for path in ("/api/v1/map/categories", "/api/v1/map/pois.geojson", "/api/v1/nothing-here", "/healthz"):
        response = await client.get(path, headers=ORIGIN)
        assert response.headers["access-control-allow-origin"] == "*", path
    bad = await client.get("/api/v1/map/pois", params={"lat": 91, "lon": 0, "radius": 10}, headers=ORIGIN)
    assert bad.status_code == 422 and bad.headers["access-control-allow-origin"] == "*"


async def test_a_preflight_allows_the_routes_methods_and_our_request_headers(client):
    response = await client.options("/api/v1/map/pois", headers={
        **ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST"} <= methods
    allowed = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "x-request-id"} <= allowed
    assert int(response.headers["access-control-max-age"]) > 0
