"""``/openapi.json`` and ``/docs``: the API document and Swagger UI, served without any CDN."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import swagger_ui_bundle
from sanic import Blueprint, Request, html

from server import openapi
from server.api import json_response

bp = Blueprint("docs")
bp.static("/docs/static", str(Path(swagger_ui_bundle.swagger_ui_path)), name="swagger_static")

SCRIPT = """
window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout",
  validatorUrl: null});
"""
# Swagger UI: our own scripts and this page's one inline script (by its hash), the styles and data: icons
# it injects, "try it out" calls to this server; never framed.
POLICY = ("default-src 'none'; script-src 'self' 'sha256-"
          + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
          + "'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>bianmin 便民 API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/static/swagger-ui-standalone-preset.js"></script>
<script>""" + SCRIPT + """</script></body></html>"""


@bp.get("/openapi.json")
async def openapi_document(request: Request):
    document = getattr(request.app.ctx, "openapi", None)
    if document is None:
        document = request.app.ctx.openapi = openapi.build(request.app)
    return json_response(document)


@bp.get("/docs")
async def docs_page(request: Request):
    return html(PAGE, headers={"content-security-policy": POLICY})
