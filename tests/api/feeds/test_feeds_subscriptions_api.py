"""Subscriptions through HTTP on both backends: options, CRUD, 422 naming the field, the limit of 20."""

from __future__ import annotations

import asyncio

import pytest

from bulletin.feeds.tables import Subscription
from geo.service_divisions import import_divisions
from tests.integration.geo.geo_support import ORIGIN, division, square

CRITERIA_KEYS = ["topics", "agencies", "doc_types", "disclosures", "keywords", "divisions", "industries", "sizes"]


async def test_options_list_every_choice_with_chinese_labels(client):
    response = await client.get("/api/v1/subscriptions/options")
    assert response.status_code == 200
    options = response.json()
    assert {"value": "education", "label": "教育"} in options["topics"]
    assert {"value": "F", "label": "批发和零售业"} in options["industries"]
    assert {"value": "micro", "label": "微型"} in options["sizes"]
    assert {"value": "service", "label": "服务"} in options["disclosures"]
    assert {"value": "notice", "label": "通知"} in options["doc_types"]
    assert {"value": "lhjyj", "label": "罗湖区教育局"} in options["agencies"]
    assert [f["value"] for f in options["frequencies"]] == ["immediate", "daily", "weekly", "feed"]
    assert options["limits"]["subscriptions"] == 20


async def test_options_offer_the_maps_divisions_so_one_can_follow_another_place(client):
    await import_divisions([
        division("440303", "罗湖区", "district", square(ORIGIN, 3000)),
        division("440303003", "东门街道", "street", square(ORIGIN, 1000), parent="440303"),
        division("440303003001", "湖贝社区", "community", square(ORIGIN, 500), parent="440303003"),
    ])
    options = (await client.get("/api/v1/subscriptions/options")).json()
    assert options["divisions"] == [
        {"value": "440303", "label": "罗湖区", "level": "district", "parent": None},
        {"value": "440303003", "label": "东门街道", "level": "street", "parent": "440303"},
        {"value": "440303003001", "label": "湖贝社区", "level": "community", "parent": "440303003"}]
    me = await client.login_dev()
    by_name = await client.post("/api/v1/subscriptions", headers=me, json={
        "criteria": {"agencies": ["罗湖区教育局"]}, "frequency": "feed"})  # a name, as topics take labels
    assert by_name.json()["criteria"]["agencies"] == ["lhjyj"]
    followed = await client.post("/api/v1/subscriptions", headers=me, json={
        "criteria": {"divisions": [options["divisions"][2]["value"]]}, "frequency": "feed"})
    assert followed.json()["description"] == "区域：湖贝社区"


async def test_create_list_change_and_delete(client):
    me = await client.login_dev()
    created = await client.post("/api/v1/subscriptions", headers=me, json={
        "criteria": {"topics": ["教育"], "divisions": ["440303003001"]}, "frequency": "daily"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["criteria"] == {**{k: [] for k in CRITERIA_KEYS}, "topics": ["education"],
                                "divisions": ["440303003001"]}
    assert body["frequency"] == "daily" and body["description"] == "主题：教育；区域：440303003001"
    listed = (await client.get("/api/v1/subscriptions", headers=me)).json()
    assert [s["id"] for s in listed] == [body["id"]]
    path = f"/api/v1/subscriptions/{body['id']}"
    changed = await client.patch(path, headers=me, json={"frequency": "weekly", "criteria": {"keywords": ["医保"]}})
    assert changed.status_code == 200
    assert (changed.json()["frequency"], changed.json()["criteria"]["keywords"], changed.json()["criteria"]["topics"]) \
        == ("weekly", ["医保"], [])
    stranger = await client.login_dev()
    assert (await client.patch(path, headers=stranger, json={"frequency": "feed"})).status_code == 404
    assert (await client.delete(path, headers=stranger)).json()["error"]["code"] == "subscription_not_found"
    assert (await client.delete(path, headers=me)).status_code == 204
    assert (await client.get("/api/v1/subscriptions", headers=me)).json() == []
    assert (await client.get("/api/v1/subscriptions")).status_code == 401


async def test_divisions_the_map_knows_are_named(client):
    # The map's divisions (12-digit padded or short codes) name a subscription's places; others stay codes.
    await import_divisions([
        division("440303000000", "罗湖区", "district", square(ORIGIN, 3000)),
        division("440303003", "东门街道", "street", square(ORIGIN, 1000), parent="440303"),
    ])
    me = await client.login_dev()
    created = (await client.post("/api/v1/subscriptions", headers=me, json={
        "criteria": {"divisions": ["440303", "440303003", "440303003001"]}, "frequency": "feed"})).json()
    assert created["description"] == "区域：罗湖区、东门街道、440303003001"
    assert created["division_names"] == {"440303": "罗湖区", "440303003": "东门街道"}
    listed = (await client.get("/api/v1/subscriptions", headers=me)).json()
    assert listed[0]["division_names"] == created["division_names"]


@pytest.mark.parametrize(("criteria", "field", "code"), [
    ({"topics": ["天文"]}, "criteria.topics", "unknown_topic"),
    ({"agencies": ["lhxxx"]}, "criteria.agencies", "unknown_agency"),
    ({"doc_types": ["memo"]}, "criteria.doc_types", "unknown_doc_type"),
    ({"disclosures": ["公开"]}, "criteria.disclosures", "unknown_disclosure"),
    ({"industries": ["Z"]}, "criteria.industries", "unknown_industry"),
    ({"sizes": ["巨型"]}, "criteria.sizes", "unknown_size"),
    ({"divisions": ["4403031"]}, "criteria.divisions", "invalid_division"),
    ({"keywords": ["！！"]}, "criteria.keywords", "invalid_keyword"),
])
async def test_bad_criteria_are_422_naming_the_field(client, criteria, field, code):
    me = await client.login_dev()
    response = await client.post("/api/v1/subscriptions", headers=me, json={"criteria": criteria})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_criteria"
    assert [(f["field"], f["code"]) for f in error["details"]["fields"]] == [(field, code)]
    assert await Subscription.all().count() == 0


async def test_unknown_criterion_and_frequency_are_422(client):
    me = await client.login_dev()
    response = await client.post("/api/v1/subscriptions", headers=me,
                                 json={"criteria": {"colours": ["red"]}, "frequency": "hourly"})
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["details"]["fields"]}
    assert fields == {"criteria.colours", "frequency"}


async def test_at_most_twenty_subscriptions(client):
    me = await client.login_dev()
    for n in range(20):
        response = await client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"keywords": [f"词{n}"]}})
        assert response.status_code == 201
    refused = await client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"keywords": ["第二十一"]}})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "too_many_subscriptions"
    first = (await client.get("/api/v1/subscriptions", headers=me)).json()[0]
    await client.delete(f"/api/v1/subscriptions/{first['id']}", headers=me)
    again = await client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"keywords": ["第二十一"]}})
    assert again.status_code == 201


async def test_the_limit_holds_under_concurrent_requests(client, db):
    if not db.is_postgres:
        pytest.skip("SQLite serialises transactions; races only show on PostgreSQL")
    me = await client.login_dev()
    responses = await asyncio.gather(*(
        client.post("/api/v1/subscriptions", headers=me, json={"criteria": {"keywords": ["养老"]}})
        for _ in range(30)))
    assert sorted(r.status_code for r in responses) == [201] * 20 + [409] * 10
    assert await Subscription.all().count() == 20
