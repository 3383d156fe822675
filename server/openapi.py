"""Build the OpenAPI 3.0 document from the routes and their ``@endpoint`` declarations.

Schemas come from the same pydantic models that parse requests and check responses, so
the document cannot drift from the code. Pydantic emits JSON Schema 2020-12; the bundled
Swagger UI reads OpenAPI 3.0, so nullable unions and numeric exclusive bounds are rewritten.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema
from sanic import Sanic

from server import errors
from server.api import EndpointSpec

PARAM = re.compile(r"<(\w+)(?::([^>]+))?>")
REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}}},
}


def to_openapi30(schema: Any) -> Any:
    """Rewrite JSON Schema 2020-12 constructs that OpenAPI 3.0 does not know."""
    if isinstance(schema, list):
        return [to_openapi30(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: to_openapi30(v) for k, v in schema.items() if k not in ("$defs",)}
    for key in ("anyOf", "oneOf"):
        options = out.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            out.pop(key)
            if len(rest) == 1 and "$ref" not in rest[0]:
                out.update(rest[0])
            else:
                out["allOf" if len(rest) == 1 else key] = rest
            out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), (int, float)) and not isinstance(out.get(bound), bool):
            out[plain] = out.pop(bound)
            out[bound] = True
    if "prefixItems" in out:
        items = out.pop("prefixItems")
        out.setdefault("minItems", len(items))
        out.setdefault("maxItems", len(items))
        out["items"] = items[0] if len({str(i) for i in items}) == 1 else {}
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}]
    if out.get("type") == "null":
        out = {"nullable": True}
    return out


def _models(specs: list[EndpointSpec]) -> list[tuple[Any, str]]:
    wanted: list[tuple[Any, str]] = []
    for spec in specs:
        for model, mode in ((spec.body, "validation"), (spec.response, "serialization")):
            if isinstance(model, type) and issubclass(model, BaseModel) and (model, mode) not in wanted:
                wanted.append((model, mode))
    return wanted


def _schema_for(tp: Any, refs: dict[tuple[Any, str], dict[str, Any]], mode: str) -> dict[str, Any]:
    if (tp, mode) in refs:
        return refs[(tp, mode)]
    return to_openapi30(TypeAdapter(tp).json_schema(ref_template=REF, mode=mode))


def _parameters(path: str, spec: EndpointSpec | None) -> list[dict[str, Any]]:
    params = []
    for name, kind in PARAM.findall(path):
        schema = {"type": "integer"} if kind in ("int", "number") else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if spec and spec.query:
        query_schema = to_openapi30(spec.query.model_json_schema(ref_template=REF))
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required,
                           "description": prop.pop("description", ""), "schema": prop})
    return params


def _operation(spec: EndpointSpec | None, path: str, refs: dict[tuple[Any, str], dict[str, Any]]) -> dict[str, Any]:
    if spec is None:
        return {"summary": "", "parameters": _parameters(path, None), "responses": {"200": {"description": "OK"}}}
    op: dict[str, Any] = {"summary": spec.summary, "tags": list(spec.tags), "parameters": _parameters(path, spec)}
    if spec.description:
        op["description"] = spec.description
    if spec.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": _schema_for(spec.body, refs, "validation")}}}
    ok: dict[str, Any] = {"description": "OK"}
    if spec.status != 204:
        schema = _schema_for(spec.response, refs, "serialization") if spec.response is not None else {}
        ok["content"] = {spec.content_type: {"schema": schema}}
    responses = {str(spec.status): ok}
    error_codes: dict[int, list[str]] = {}
    raised = list(spec.errors) + ([errors.ValidationFailed] if spec.query or spec.body else [])
    if spec.roles is not None:
        op["security"] = [{"bearer": []}]
        raised += [errors.Unauthorized] + ([errors.Forbidden] if spec.roles != ("user",) else [])
    for err in raised:
        error_codes.setdefault(err.status, []).append(err.code)
    for status, codes in sorted(error_codes.items()):
        responses[str(status)] = {"description": ", ".join(sorted(set(codes))),
                                  "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}}
    op["responses"] = responses
    return op


def build(app: Sanic, *, title: str = "bianmin 便民 API", version: str = "1") -> dict[str, Any]:
    """The OpenAPI document for every route of ``app``."""
    routes = []
    for route in app.router.routes:
        handler = route.handler
        spec: EndpointSpec | None = getattr(handler, "__bianmin_endpoint__", None)
        if spec is None and not route.path.startswith("api/"):
            continue
        routes.append((route, spec))
    specs = [s for _, s in routes if s is not None]
    key_map, defs = models_json_schema(_models(specs), ref_template=REF)
    refs = {key: to_openapi30(schema) for key, schema in key_map.items()}
    components = {name: to_openapi30(schema) for name, schema in defs.get("$defs", {}).items()}
    components["Error"] = ERROR_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for route, spec in routes:
        path = "/" + PARAM.sub(lambda m: "{" + m.group(1) + "}", route.path)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(spec, route.path, refs)
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": version,
                 "description": "便民: service map, hall booking, government gazette, personal feeds. "
                                "Errors are {\"error\": {\"code\", \"message\", \"details\"}}."},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
