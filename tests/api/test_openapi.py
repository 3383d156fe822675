"""The API document: every endpoint with its schemas, and /docs working without internet."""

from __future__ import annotations

import json
import re


async def test_every_api_route_is_documented_with_schemas(client, app):
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.0")
    routes = {("/" + re.sub(r"<(\w+)(?::[^>]+)?>", r"{\1}", r.path), m.lower())
              for r in app.router.routes if r.path.startswith("api/") for m in r.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes <= documented
    schemas = document["components"]["schemas"]
    for path, method in routes:
        op = document["paths"][path][method]
        assert op["summary"], f"{method} {path} has no summary"
        if "requestBody" in op:
            ref = op["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
            assert ref.rsplit("/", 1)[-1] in schemas
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    login = document["paths"]["/api/v1/auth/wechat"]["post"]
    assert set(login["responses"]) >= {"200", "401", "422", "429", "503"}
    me = document["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearer": []}] and "401" in me["responses"]


async def test_every_reference_resolves(client):
    document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs and refs <= set(schemas), f"dangling: {sorted(refs - set(schemas))}"


async def test_docs_are_served_without_a_cdn(client):
    page = await client.get("/docs")
    assert page.status_code == 200
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page.text)
    assert external == []
    for asset in re.findall(r'(?:src|href)="(/docs/static/[^"]+)"', page.text):
        response = await client.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000, asset
