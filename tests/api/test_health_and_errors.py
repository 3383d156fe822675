"""Health, readiness and the error body every client relies on (both backends)."""

from __future__ import annotations


async def test_healthz_and_readyz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_unknown_route_is_json_404(client):
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["details"] == {}
    assert error["message"]  # Chinese message for the user


async def test_wrong_method_is_json_405(client):
    response = await client.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_body_over_limit_is_json_413(client, app):
    limit = app.config.REQUEST_MAX_SIZE
    response = await client.post("/api/v1/auth/dev", content=b"{" + b" " * (limit + 10) + b"}",
                                 headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_malformed_json_is_400_and_bad_fields_are_422(client):
    broken = await client.post("/api/v1/auth/dev", content=b'{"openid": ', headers={"content-type": "application/json"})
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "malformed_json"
    bad = await client.post("/api/v1/auth/dev", json={"openid": "has spaces!", "extra": 1})
    assert bad.status_code == 422
    body = bad.json()["error"]
    assert body["code"] == "validation_error"
    fields = {f["field"] for f in body["details"]["fields"]}
    assert fields == {"openid", "extra"}
    assert all(f["in"] == "body" for f in body["details"]["fields"])


async def test_request_id_is_echoed_or_generated(client):
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    hostile = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"[:10]})
    assert hostile.headers["x-request-id"] != "bad id\nwit"


async def test_readyz_names_what_is_down(client):
    import redis.asyncio as redis_async

    from server import storage

    real = storage.current().redis
    storage.current().redis = redis_async.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        response = await client.get("/readyz")
    finally:
        await storage.current().redis.aclose()
        storage.current().redis = real
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "not_ready"
    assert error["details"]["down"] == ["redis"]
    assert error["details"]["checks"]["database"] == "ok"
    assert (await client.get("/healthz")).status_code == 200  # alive, just not ready
