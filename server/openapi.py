"""Build the OpenAPI 3.0 document from the routes and their ``@endpoint`` declarations.

Schemas come from the same pydantic models that parse requests and check responses, so
the document cannot drift from the code. Pydantic emits JSON Schema 2020-12; the bundled
Swagger UI reads OpenAPI 3.0, so nullable unions and numeric exclusive bounds are rewritten.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sanic import Sanic

from server import errors
from server.api import EndpointSpec
from server.validation import INT_MAX, INT_MIN

PARAM = re.compile(r"<(\w+)(?::([^>]+))?>")
REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}}},
}


NULL = {"nullable": True}  # what {"type": "null"} becomes


def to_openapi30(schema: Any) -> Any:
    """Rewrite JSON Schema 2020-12 constructs that OpenAPI 3.0 does not know."""
    if isinstance(schema, list):
        return [to_openapi30(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: to_openapi30(v) for k, v in schema.items() if k not in ("$defs",)}
    for key in ("anyOf", "oneOf"):
        options = out.get(key)
        if isinstance(options, list) and NULL in options:  # {"type": "null"}, rewritten below already
            rest = [o for o in options if o != NULL]
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


def bound_integers(schema: Any) -> Any:
    """Request integers without bounds of their own get the edge's (server/validation.py), as enforced."""
    if isinstance(schema, list):
        return [bound_integers(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: bound_integers(v) for k, v in schema.items()}
    if out.get("type") == "integer":
        out.setdefault("minimum", INT_MIN)
        out.setdefault("maximum", INT_MAX)
    return out


class Components:
    """Schemas shared through $ref, collected from every request and response type."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def schema_for(self, tp: Any, mode: str) -> dict[str, Any]:
        """The inline schema of ``tp``; every model it names goes into the components."""
        raw = TypeAdapter(tp).json_schema(ref_template=REF, mode=mode)
        if mode == "validation":
            raw = bound_integers(raw)
        for name, definition in raw.pop("$defs", {}).items():
            self._add(name, to_openapi30(definition))
        if "$ref" not in raw and isinstance(tp, type) and issubclass(tp, BaseModel) and "properties" in raw:
            self._add(raw.get("title", tp.__name__), to_openapi30(raw))
            return {"$ref": REF.format(model=raw.get("title", tp.__name__))}
        return to_openapi30(raw)

    def _add(self, name: str, schema: dict[str, Any]) -> None:
        known = self.schemas.get(name)
        if known is not None and known != schema:
            raise ValueError(f"two different schemas are both named {name!r}: rename one of the models")
        self.schemas[name] = schema


def _parameters(path: str, spec: EndpointSpec | None) -> list[dict[str, Any]]:
    params = []
    for name, kind in PARAM.findall(path):
        schema = ({"type": "integer", "minimum": INT_MIN, "maximum": INT_MAX} if kind in ("int", "number")
                  else {"type": "string"})
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if spec and spec.query:
        query_schema = to_openapi30(bound_integers(spec.query.model_json_schema(ref_template=REF)))
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required,
                           "description": prop.pop("description", ""), "schema": prop})
    return params


def _operation(spec: EndpointSpec | None, path: str, components: Components) -> dict[str, Any]:
    if spec is None:
        return {"summary": "", "parameters": _parameters(path, None), "responses": {"200": {"description": "OK"}}}
    op: dict[str, Any] = {"summary": spec.summary, "tags": list(spec.tags), "parameters": _parameters(path, spec)}
    if spec.description:
        op["description"] = spec.description
    if spec.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": components.schema_for(spec.body, "validation")}}}
    ok: dict[str, Any] = {"description": "OK"}
    if spec.status != 204:
        schema = components.schema_for(spec.response, "serialization") if spec.response is not None else {}
        ok["content"] = {spec.content_type: {"schema": schema}}
        ok["content"].update({other: {"schema": {"type": "string"}} for other in spec.also_serves})
    responses = {str(spec.status): ok}
    error_codes: dict[int, list[str]] = {}
    raised = list(spec.errors) + ([errors.ValidationFailed] if spec.query or spec.body else [])
    if spec.body is not None:
        raised += [errors.MalformedJSON, errors.UnsupportedMediaType]
    if PARAM.search(path):  # an id no row has, or one wider than an id column (no route matches)
        raised += [errors.NotFound]
    if spec.roles is not None:
        op["security"] = [{"bearer": []}]
        raised += [errors.Unauthorized] + ([errors.Forbidden] if spec.roles != ("user",) else [])
    for err in raised:
        error_codes.setdefault(err.status, []).append(err.code)
    for status, codes in sorted(error_codes.items()):
        content: dict[str, Any] = {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}
        if status == 404 and spec.content_type == "text/html":
            content["text/html"] = {"schema": {"type": "string"}}  # a page for people; JSON when no route matched
        responses[str(status)] = {"description": ", ".join(sorted(set(codes))), "content": content}
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
    components = Components()
    components.schemas["Error"] = ERROR_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for route, spec in routes:
        path = "/" + PARAM.sub(lambda m: "{" + m.group(1) + "}", route.path)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(spec, route.path, components)
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": version,
                 "description": "便民: service map, hall booking, government gazette, personal feeds. "
                                "Errors are {\"error\": {\"code\", \"message\", \"details\"}}."},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(components.schemas.items())),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
