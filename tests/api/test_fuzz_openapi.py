"""Property-based fuzzing of every operation in ``/openapi.json`` with schemathesis, on both backends.

Each operation gets examples that fit its schema and examples that break it, sent as each role
it admits (the demo district's accounts; every other example names rows that exist). Every
answer must be below 500, carry a status and content type the document declares, match its
declared schema, and, for errors, be ``{"error": {"code", "message", "details"}}`` with Chinese
messages. Generation is derandomized (the same examples on every run), bounded (``EXAMPLES``)
and done once for both backends (three of each kind per operation: CI time is bounded), so the whole fuzz stays around a minute of CPU.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.tables import User
from tests.api.fuzz_support import World, build_world, persona_for, request_of
from tests.support.wording import CODE, not_chinese

EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 3, schemathesis.GenerationMode.NEGATIVE: 3}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PARAM = re.compile(r"<(\w+)(?::[^>]+)?>")
_generated: dict[tuple[str, str], list[Any]] = {}  # (operation, mode) -> examples, shared by both backends


def examples(operation: Any, mode: schemathesis.GenerationMode) -> list[Any]:
    """The operation's examples in this mode: the same ones on every run."""
    key = (operation.label, mode.value)
    if key in _generated:
        return _generated[key]
    found: list[Any] = []

    @settings(max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(mode))
    def collect(case: Any) -> None:
        found.append(case)

    try:
        collect()
    except Unsatisfiable:  # nothing to break: an operation without parameters or body has no negative examples
        pass
    _generated[key] = found
    return found


def error_format(response: httpx.Response) -> str | None:
    """What is wrong with an error answer's body, if anything."""
    if response.status_code < 400 or not response.headers.get("content-type", "").startswith("application/json"):
        return None
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(error) != {"code", "message", "details"}:
        return "not {error: {code, message, details}}"
    if not (isinstance(error["code"], str) and isinstance(error["details"], dict)):
        return "code or details of the wrong type"
    if not CODE.fullmatch(error["code"]):
        return f"code is not a stable English word: {error['code']!r}"
    if (wrong := not_chinese(error["message"])) is not None:
        return f"message not in Chinese: {wrong}"
    for field in error["details"].get("fields", []) if error["code"] == "validation_error" else []:
        if (wrong := not_chinese(str(field.get("message", "")))) is not None:
            return f"field message not in Chinese: {field!r} ({wrong})"
    return None


def roles_by_operation(app: Any) -> dict[tuple[str, str], tuple[str, ...] | None]:
    """(METHOD, /path/{param}) -> the roles its @endpoint admits (None: public)."""
    found = {}
    for route in app.router.routes:
        spec = getattr(route.handler, "__bianmin_endpoint__", None)
        path = "/" + PARAM.sub(lambda m: "{" + m.group(1) + "}", route.path)
        for method in route.methods:
            found[(method, path)] = spec.roles if spec else None
    return found


async def fuzz(client: Any, world: World, operation: Any, roles: tuple[str, ...] | None) -> list[str]:
    """Every failure of one operation's examples, described."""
    failures = []
    method = operation.method.upper()
    for mode in EXAMPLES:
        for index, case in enumerate(examples(operation, mode)):
            world.fill(case.path_parameters or {}, index=index)
            headers = await world.headers(persona_for(method, operation.path, roles, index))
            try:
                response = await client.request(**request_of(case.as_transport_kwargs(base_url=""), headers))
            except (UnicodeEncodeError, httpx.InvalidURL, httpx.LocalProtocolError):
                continue  # no client could send it: a header that is not Latin-1, a broken URL
            label = f"{method} {operation.path} [{mode.value} #{index}] -> {response.status_code}"
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - schemathesis' FailureGroup
                failures.append(f"{label}: {exc}")
                continue
            problem = error_format(response)
            if problem:
                failures.append(f"{label}: {problem}: {response.text[:300]}")
    return failures


async def test_every_operation_survives_fuzzing(client, app):
    world = await build_world()
    document = (await client.get("/openapi.json")).json()
    roles = roles_by_operation(app)
    failures: list[str] = []
    operations = [result.ok() for result in schemathesis.openapi.from_dict(document).get_all_operations()]
    assert len(operations) > 100
    for operation in operations:
        failures += await fuzz(client, world, operation, roles.get((operation.method.upper(), operation.path)))
    # The personas were never disabled or reset by the admin's account endpoints (a throwaway was).
    assert await User.filter(id__in=[u.id for u in world.users.values()], is_active=True,
                             must_change_password=False).count() == len(world.users)
    summary = "\n".join(failure.split(":", 1)[0] for failure in failures)
    assert not failures, f"{len(failures)} failures:\n{summary}\n\n" + "\n\n".join(f[:2000] for f in failures[:20])
