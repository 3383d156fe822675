"""Search and suggestions through HTTP: parameters, errors, caching across publications, OpenAPI."""

from __future__ import annotations

from datetime import date

from bulletin import service_editing
from tests.integration.bulletin.gazette_support import draft, published


async def test_filters_take_repeated_or_comma_separated_values(client):
    await published("教育局文件", agency="lhjyj", topic="education", body="学位申请", published_on=date(2024, 3, 1))
    await published("卫健局文件", agency="lhwjj", topic="health_sports", body="学位申请", published_on=date(2023, 3, 1))
    await published("民政局文件", agency="lhmzj", topic="civil_affairs_relief", body="学位申请")
    repeated = await client.get("/api/v1/gazette/documents?q=学位&agency=lhjyj&agency=lhwjj")
    commas = await client.get("/api/v1/gazette/documents", params={"q": "学位", "agency": "lhjyj,lhwjj"})
    assert repeated.status_code == commas.status_code == 200
    assert {i["title"] for i in repeated.json()["items"]} == {"教育局文件", "卫健局文件"}
    assert repeated.json()["items"] == commas.json()["items"]
    by_label = await client.get("/api/v1/gazette/documents", params={"topic": "教育"})  # a Chinese label works too
    assert [i["title"] for i in by_label.json()["items"]] == ["教育局文件"]
    agency_label = await client.get("/api/v1/gazette/documents", params={"agency": "罗湖区教育局,lhwjj"})
    assert agency_label.status_code == 200, agency_label.text
    assert [i["title"] for i in agency_label.json()["items"]] == ["教育局文件", "卫健局文件"]
    dated = await client.get("/api/v1/gazette/documents",
                             params={"published_from": "2023-01-01", "published_to": "2023-12-31"})
    assert [i["title"] for i in dated.json()["items"]] == ["卫健局文件"]


async def test_the_district_government_is_named_by_its_name_in_search_and_subscriptions(client):
    """The issue's own example: agency=罗湖区人民政府 answered 422 although labels were documented."""
    await published("区政府文件", agency="lhqzf", doc_type="opinion", body="营商环境")
    await published("教育局文件", agency="lhjyj", body="营商环境")
    found = await client.get("/api/v1/gazette/documents", params={"agency": "罗湖区人民政府"})
    assert found.status_code == 200, found.text
    assert [i["title"] for i in found.json()["items"]] == ["区政府文件"]
    assert found.json()["items"] == (await client.get("/api/v1/gazette/documents",
                                                      params={"agency": "lhqzf"})).json()["items"]
    me = await client.login_dev()
    followed = await client.post("/api/v1/subscriptions", headers=me, json={
        "criteria": {"agencies": ["罗湖区人民政府"], "doc_types": ["意见"]}, "frequency": "feed"})
    assert followed.status_code == 201, followed.text
    assert followed.json()["criteria"]["agencies"] == ["lhqzf"] and followed.json()["criteria"]["doc_types"] == ["opinion"]
    unknown = await client.get("/api/v1/gazette/documents", params={"agency": "罗湖区不存在局"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_agency"


async def test_bad_parameters_are_422_naming_the_parameter(client):
    cases = [({"topic": "astrology"}, "validation_error", "topic.0"), ({"limit": "500"}, "validation_error", "limit"),
             ({"sort": "random"}, "validation_error", "sort"), ({"agency": "nosuch"}, "unknown_agency", "agency"),
             ({"cursor": "!!"}, "invalid_cursor", "cursor"), ({"q": "x" * 201}, "validation_error", "q")]
    for params, code, field in cases:
        answer = await client.get("/api/v1/gazette/documents", params=params)
        assert answer.status_code == 422, params
        error = answer.json()["error"]
        assert error["code"] == code
        assert [f["field"] for f in error["details"]["fields"]] == [field]


async def test_a_cached_answer_never_outlives_a_publication_or_withdrawal(client):
    first = await published("关于发放高龄津贴的通知", body="高龄津贴")
    before = (await client.get("/api/v1/gazette/documents", params={"q": "高龄津贴"})).json()
    assert before["total"] == 1
    second = await draft("关于高龄津贴标准调整的通知", body="高龄津贴")
    assert (await client.get("/api/v1/gazette/documents", params={"q": "高龄津贴"})).json() == before
    await service_editing.publish_document(second)
    after = (await client.get("/api/v1/gazette/documents", params={"q": "高龄津贴"})).json()
    assert after["total"] == 2
    await service_editing.withdraw_document(first, reason="已被新文件替代")
    final = (await client.get("/api/v1/gazette/documents", params={"q": "高龄津贴"})).json()
    assert [i["id"] for i in final["items"]] == [second]


async def test_suggestions_complete_terms_and_titles(client):
    await published("罗湖区优化营商环境若干措施")
    await published("营商服务热线的公告")
    await published("关于养老服务的通知")
    answer = (await client.get("/api/v1/gazette/suggest", params={"q": "营商"})).json()
    assert "营商环境" in answer["terms"] and "优化营商环境" not in answer["terms"]
    assert {t["title"] for t in answer["titles"]} == {"罗湖区优化营商环境若干措施", "营商服务热线的公告"}
    prefix = (await client.get("/api/v1/gazette/suggest", params={"q": "罗湖区优化"})).json()
    assert [t["title"] for t in prefix["titles"]] == ["罗湖区优化营商环境若干措施"]
    assert (await client.get("/api/v1/gazette/suggest")).status_code == 422


async def test_openapi_describes_the_gazette_endpoints_with_their_parameters(client):
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path in ("/api/v1/gazette/documents", "/api/v1/gazette/documents/{document_id}", "/api/v1/gazette/suggest",
                 "/api/v1/gazette/issues/{issue_id}", "/api/v1/me/favorites", "/d/{document_id}",
                 "/gazette/feed.xml", "/api/v1/gazette/documents/{document_id}/wxacode.png"):
        assert path in paths, path
    search = {p["name"] for p in paths["/api/v1/gazette/documents"]["get"]["parameters"]}
    assert {"q", "agency", "topic", "doc_type", "disclosure", "year", "sort", "limit", "cursor"} <= search
    assert "post" in paths["/api/v1/gazette/documents"]
