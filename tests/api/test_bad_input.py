"""Hostile input is refused at the edge with a clear 4xx, on both backends, never a 500.

A NUL character reached PostgreSQL (which cannot store one), integers wider than an id column
reached both databases, and a ``text/plain`` body was parsed as JSON. Every refusal names the
field, keeps pydantic's English code and says what is wrong in Chinese.
"""

from __future__ import annotations

import re

import pytest

from tests.api.feeds.test_feeds_enterprise_api import registration
from tests.integration.appointments.booking_support import make_hall
from tests.support.ids import make_credit_code

HUGE = "99999999999999999999"  # above 2^63
WIDE = "3000000000"  # fits 64 bits, not a PostgreSQL integer (every id column)
CJK = re.compile(r"[\u4e00-\u9fff]")


def refused(response, status: int = 422) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"} and CJK.search(error["message"])
    return error


def field_codes(response) -> dict[str, str]:
    error = refused(response)
    assert error["code"] == "validation_error"
    for field in error["details"]["fields"]:
        assert CJK.search(field["message"]), field
    return {f["field"]: f["code"] for f in error["details"]["fields"]}


async def test_a_nul_character_is_a_422_naming_the_field(client):
    resident = await client.login_dev()
    admin = await client.login_staff(role="admin")
    editor = await client.login_staff(role="editor")
    nul = "东门\x00街道"
    cases = [
        ("patch", "/api/v1/me", resident, {"nickname": nul}, "nickname"),
        ("post", "/api/v1/auth/staff", None, {"username": nul, "password": "secret-password"}, "username"),
        ("post", "/api/v1/auth/staff", None, {"username": "clerk", "password": nul}, "password"),
        ("post", "/api/v1/subscriptions", resident, {"criteria": {"keywords": [nul]}}, "criteria.keywords.0"),
        ("post", "/api/v1/enterprises", resident, registration(make_credit_code(), name=nul), "name"),
        ("post", "/api/v1/enterprises", resident,
         registration(make_credit_code(), contact={"name": nul, "phone": "13800138000"}), "contact.name"),
        ("post", "/api/v1/notices", editor, {"title": nul, "body": "正文"}, "title"),
        ("post", "/api/v1/admin/enterprises/1/reject", admin, {"reason": nul}, "reason"),
        ("post", "/api/v1/gazette/documents/1/withdraw", editor, {"reason": nul}, "reason"),
        ("post", "/api/v1/notices/1/withdraw", editor, {"reason": nul}, "reason"),
    ]
    for method, url, headers, body, field in cases:
        response = await client.request(method, url, headers=headers, json=body)
        assert field_codes(response) == {field: "string_contains_nul"}, url
    for url, field in (("/api/v1/gazette/suggest?q=%E4%B8%9C%00", "q"), ("/api/v1/gazette/documents?q=%00", "q"),
                       ("/api/v1/map/pois?q=a%00b", "q")):
        response = await client.get(url)
        assert field_codes(response) == {field: "string_contains_nul"}, url
        assert refused(response)["details"]["fields"][0]["in"] == "query"
    me = (await client.get("/api/v1/me", headers=resident)).json()
    assert "\x00" not in me["nickname"]  # nothing half-written


async def test_integers_wider_than_an_id_are_404_in_a_path_and_422_elsewhere(client):
    admin = await client.login_staff(role="admin")
    resident = await client.login_dev()
    for number in (HUGE, WIDE, "-" + HUGE):
        for url in (f"/d/{number}", f"/api/v1/gazette/documents/{number}", f"/api/v1/halls/{number}",
                    f"/api/v1/map/pois/{number}", f"/api/v1/gazette/documents/{number}/qr.png"):
            assert refused(await client.get(url), 404)["code"] == "not_found", url
        calendar = await client.get(f"/api/v1/admin/calendar/{number}", headers=admin)
        assert refused(calendar, 404)["code"] == "not_found"
        for url, field in ((f"/api/v1/gazette/documents?year={number}", "year.0"),
                           (f"/api/v1/notices?hall_id={number}", "hall_id")):
            assert field_codes(await client.get(url)) == {field: "less_than_equal" if number[0] != "-"
                                                          else "greater_than_equal"}, url
    unknown_hall = await client.post("/api/v1/notices", headers=admin,
                                     json={"title": "通知", "body": "正文", "hall_id": int(WIDE)})
    assert field_codes(unknown_hall) == {"hall_id": "less_than_equal"}
    feed_ids = await client.post("/api/v1/feed/read", headers=resident, json={"ids": [1, int(WIDE)]})
    assert field_codes(feed_ids) == {"ids.1": "less_than_equal"}

async def test_a_body_that_is_not_declared_json_is_415(client):
    body = b'{"openid": "o-415"}'
    for content_type in ("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                         "multipart/form-data; boundary=x", None):
        headers = {"content-type": content_type} if content_type else {}
        response = await client.post("/api/v1/auth/dev", content=body, headers=headers)
        error = refused(response, 415)
        assert (error["code"], error["details"]) == ("unsupported_media_type", {"expected": "application/json"})
    for content_type in ("application/json", "application/json; charset=utf-8", "application/merge-patch+json"):
        accepted = await client.post("/api/v1/auth/dev", content=body, headers={"content-type": content_type})
        assert accepted.status_code == 200, (content_type, accepted.text)
    empty = await client.post("/api/v1/auth/logout", headers={**(await client.login_dev()), "content-type": "text/plain"})
    assert empty.status_code == 204  # no body: nothing to refuse


@pytest.mark.parametrize(("body", "field", "code", "message"), [
    ({}, "openid", "missing", "缺少必填字段"),
    ({"openid": "o1", "surprise": 1}, "surprise", "extra_forbidden", "不允许的字段"),
    ({"openid": ""}, "openid", "string_too_short", "长度不能少于 1 个字符"),
    ({"openid": "o" * 65}, "openid", "string_too_long", "长度不能超过 64 个字符"),
    ({"openid": "has space"}, "openid", "string_pattern_mismatch", "格式不正确"),
    ({"openid": 5}, "openid", "string_type", "应为字符串"),
])
async def test_validation_messages_are_chinese_with_the_english_code(client, body, field, code, message):
    response = await client.post("/api/v1/auth/dev", json=body)
    error = refused(response)
    assert error["details"]["fields"] == [{"field": field, "in": "body", "code": code, "message": message}]


async def test_query_messages_are_chinese_too(client):
    response = await client.get("/api/v1/map/pois", params={"lat": "abc", "lon": "200", "coord": "mars"})
    fields = {f["field"]: (f["code"], f["message"]) for f in refused(response)["details"]["fields"]}
    assert fields == {"lat": ("float_parsing", "应为数字"), "lon": ("less_than_equal", "应小于或等于 180"),
                      "coord": ("literal_error", "应为以下取值之一：'wgs84'、'gcj02'、'bd09'")}
    non_finite = await client.get("/api/v1/map/pois", params={"lat": "nan", "lon": "inf", "radius": "1000"})
    assert {f["code"] for f in refused(non_finite)["details"]["fields"]} == {"finite_number"}


async def test_the_api_document_states_the_integer_bounds_the_edge_enforces(client):
    document = (await client.get("/openapi.json")).json()
    path_id = document["paths"]["/api/v1/halls/{hall_id}"]["get"]["parameters"][0]
    assert path_id["schema"] == {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
    query = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/notices"]["get"]["parameters"]}
    assert query["hall_id"]["maximum"] == 2**31 - 1
    posted = document["paths"]["/api/v1/notices"]["post"]["responses"]
    assert {"400", "415", "422"} <= set(posted)


async def test_an_explicit_null_for_a_required_field_is_a_422_not_a_500(client):
    """Found by the fuzzer: PATCH {"name": null} wrote NULL into a NOT NULL column."""
    world = await make_hall("黄贝街道便民服务中心")
    admin = await client.login_staff(role="admin")
    for url, body in ((f"/api/v1/admin/halls/{world.hall_id}", {"name": None, "poi_id": None}),
                      (f"/api/v1/admin/services/{world.service_id}", {"name": None}),
                      (f"/api/v1/admin/services/{world.service_id}", {"is_active": None})):
        response = await client.patch(url, headers=admin, json=body)
        codes = field_codes(response)
        assert set(codes.values()) == {"value_error"} and "poi_id" not in codes, url
    unlinked = await client.patch(f"/api/v1/admin/halls/{world.hall_id}", headers=admin, json={"poi_id": None})
    assert unlinked.status_code == 200 and unlinked.json()["name"] == "黄贝街道便民服务中心"


async def test_the_rules_own_messages_are_chinese_too(client):
    admin = await client.login_staff(role="admin")
    staff = await client.login_staff(role="staff")
    year = await client.get("/api/v1/admin/calendar/1999", headers=admin)
    assert field_codes(year) == {"year": "invalid"}
    assert refused(year)["details"]["fields"][0]["message"] == "须在 2000 到 2100 年之间"
    both = await client.post("/api/v1/staff/checkin", headers=staff, json={"token": "t", "code": "c"})
    assert field_codes(both) == {"body": "value_error"}
    world = await make_hall()
    rule = await client.patch(f"/api/v1/admin/halls/{world.hall_id}", headers=admin, json={"rules": {"nosuch": 1}})
    assert refused(rule)["details"]["fields"][0]["message"] == "未知的规则"
