"""Every refusal a client can provoke at the edge reads in Chinese and keeps a stable English code.

Walks the kinds of pydantic error a JSON body or a query string can reach (missing, extra, wrong
type, too long, enum, dates, numbers, nested objects, malformed JSON, NUL, non-finite numbers)
through real endpoints of the gazette, feeds, the map and booking, and reads every message the
answer carries, the per-field ones in ``details`` included.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.wording import CODE, not_chinese

DOCUMENT = {"title": "关于开展安全生产检查的通知", "agency": "lhyjglj", "doc_type": "notice"}
# (role, method, url, request keywords, the field codes the answer must name)
CASES: list[tuple[str, str, str, dict[str, Any], dict[str, str]]] = [
    ("editor", "post", "/api/v1/gazette/documents", {"json": {}}, {"title": "missing", "agency": "missing"}),
    ("editor", "post", "/api/v1/gazette/documents", {"json": {
        **DOCUMENT, "surprise": 1, "title": 5, "summary": "长" * 2001, "kind": "memo", "doc_type": "nosuch",
        "written_on": "2024-13-01", "issue_id": "abc", "issue_order": 1.5, "divisions": "440303",
        "industries": [1], "sizes": {"a": 1}}},
     {"surprise": "extra_forbidden", "title": "string_type", "summary": "string_too_long", "kind": "literal_error",
      "doc_type": "value_error", "written_on": "date_from_datetime_parsing", "issue_id": "int_parsing",
      "issue_order": "int_from_float", "divisions": "list_type", "industries.0": "string_type",
      "sizes": "list_type"}),
    ("editor", "post", "/api/v1/gazette/documents", {"json": {**DOCUMENT, "title": "", "issue_order": -1,
                                                              "divisions": ["4403"] * 101}},
     {"title": "string_too_short", "issue_order": "greater_than_equal", "divisions": "too_long"}),
    ("editor", "post", "/api/v1/gazette/documents", {"json": [DOCUMENT]}, {"body": "model_type"}),
    ("editor", "post", "/api/v1/gazette/documents", {"json": {**DOCUMENT, "written_on": "2024-06-02",
                                                              "published_on": "2024-06-01"}},
     {"body": "value_error"}),
    ("editor", "post", "/api/v1/gazette/documents", {"json": {**DOCUMENT, "title": "通知\x00"}},
     {"title": "string_contains_nul"}),
    ("editor", "post", "/api/v1/gazette/agencies", {"json": {"code": "Bad Code", "name": "某"}},
     {"code": "string_pattern_mismatch", "name": "string_too_short"}),
    ("editor", "post", "/api/v1/gazette/issues", {"json": {
        "year": 1900, "number": 1000, "total_number": 1, "title": "2024年第5期", "published_on": "2024-02-30",
        "sections": [None]}},
     {"year": "greater_than_equal", "number": "less_than_equal", "published_on": "date_from_datetime_parsing",
      "sections.0": "string_type"}),
    ("resident", "put", "/api/v1/gazette/documents/1/position", {"json": {"position": "far"}},
     {"position": "float_parsing"}),
    ("anonymous", "get", "/api/v1/map/pois", {"params": {"lat": "nan", "lon": "inf", "radius": "1000"}},
     {"lat": "finite_number", "lon": "finite_number"}),
    ("anonymous", "get", "/api/v1/gazette/documents", {"params": {
        "limit": "many", "sort": "random", "published_from": "昨天", "year": "今年", "kind": "memo", "topic": "nosuch",
        "q": "字" * 201}},
     {"limit": "int_parsing", "sort": "literal_error", "published_from": "date_from_datetime_parsing",
      "year.0": "int_parsing", "kind.0": "literal_error", "topic.0": "value_error", "q": "string_too_long"}),
    ("anonymous", "get", "/api/v1/gazette/suggest", {"params": {}}, {"q": "missing"}),
    ("resident", "post", "/api/v1/subscriptions", {"json": {"criteria": {"nope": []}, "frequency": "hourly"}},
     {"criteria.nope": "extra_forbidden", "frequency": "literal_error"}),
    ("resident", "post", "/api/v1/subscriptions", {"json": {"criteria": "教育"}}, {"criteria": "model_type"}),
    ("resident", "post", "/api/v1/subscriptions", {"json": {"criteria": {"keywords": ["词" * 65, ""]}}},
     {"criteria.keywords.0": "string_too_long", "criteria.keywords.1": "string_too_short"}),
    ("resident", "post", "/api/v1/feed/read", {"json": {"ids": []}}, {"ids": "too_short"}),
    ("resident", "post", "/api/v1/feed/read", {"json": {"ids": [3_000_000_000]}}, {"ids.0": "less_than_equal"}),
    ("resident", "get", "/api/v1/feed", {"params": {"limit": "51"}}, {"limit": "less_than_equal"}),
    ("anonymous", "get", "/api/v1/map/pois", {"params": {
        "lat": "22.54", "lon": "114.12", "category": "nosuch", "open_now": "maybe", "coord": "mars"}},
     {"category": "value_error", "open_now": "bool_parsing", "coord": "literal_error"}),
    ("anonymous", "get", "/api/v1/map/clusters", {"params": {"bbox": "114,22,113,23", "zoom": "1.5"}},
     {"bbox": "value_error", "zoom": "int_parsing"}),
]


def _check_wording(error: dict[str, Any]) -> dict[str, str]:
    assert set(error) == {"code", "message", "details"}
    assert CODE.fullmatch(error["code"]), error["code"]
    assert not_chinese(error["message"]) is None, not_chinese(error["message"])
    fields = error["details"].get("fields", [])
    for field in fields:
        assert CODE.fullmatch(field["code"]), field
        assert not_chinese(field["message"]) is None, (field, not_chinese(field["message"]))
    return {f["field"]: f["code"] for f in fields}


@pytest.mark.parametrize(("role", "method", "url", "request_kw", "codes"), CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)])
async def test_every_refusal_reads_in_chinese_with_its_english_code(client, role, method, url, request_kw, codes):
    headers: dict[str, str] = {}
    if role == "resident":
        headers = await client.login_dev()
    elif role == "editor":
        headers = await client.login_staff(role="editor")
    answer = await getattr(client, method)(url, headers=headers, **request_kw)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert _check_wording(error) == codes


async def test_a_body_that_is_not_json_reads_in_chinese(client):
    editor = await client.login_staff(role="editor")
    answer = await client.post("/api/v1/gazette/documents", content='{"title": "通知",'.encode(),
                               headers={**editor, "content-type": "application/json"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "malformed_json" and _check_wording(error) == {}
