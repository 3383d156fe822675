"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

import os

from sanic import Blueprint, Request

from server import storage
from server.api import json_response

bp = Blueprint("health")


@bp.get("/healthz")
async def healthz(request: Request):
    """The process is alive (says which worker answered)."""
    return json_response({"status": "ok", "pid": os.getpid()})


@bp.get("/readyz")
async def readyz(request: Request):
    """The database and Redis are reachable: 200, or 503 naming what is down."""
    checks = await storage.readiness()
    down = sorted(name for name, state in checks.items() if state != "ok")
    if down:
        body = {"error": {"code": "not_ready", "message": "依赖服务不可用: " + ", ".join(down),
                          "details": {"checks": checks, "down": down}}}
        return json_response(body, status=503)
    return json_response({"status": "ready", "checks": checks})
