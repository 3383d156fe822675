"""Chinese full-text search on both engines: words of every length, 文号, ranking, facets, highlights."""

from __future__ import annotations

from datetime import date

import pytest

from bulletin import errors, service_editing
from bulletin.facet_counts import Filters
from bulletin.service_search import SearchParams, search_documents
from tests.integration.bulletin.gazette_support import draft, published


async def _search(q: str = "", **filters) -> dict:
    page = {name: filters.pop(name) for name in ("sort", "limit", "cursor") if name in filters}
    return await search_documents(SearchParams(q=q, filters=Filters(**filters), **page), use_cache=False)


def _titles(result: dict) -> list[str]:
    return [item["title"] for item in result["items"]]


async def test_one_two_and_four_character_words_find_every_document_containing_them(db):
    await published("关于调整个人所得税起征点的通知", body="按规定申报。")
    await published("城乡居民医保缴费公告", body="参加城乡居民医保的人员请按时缴费。")
    await published("罗湖区优化营商环境若干措施", body="持续优化营商环境，激发市场活力。")
    await published("营商服务与环境整治", body="改善营商、环境卫生。")  # 营商 and 环境, never 营商环境
    assert _titles(await _search("税")) == ["关于调整个人所得税起征点的通知"]
    assert _titles(await _search("医保")) == ["城乡居民医保缴费公告"]
    assert _titles(await _search("营商环境")) == ["罗湖区优化营商环境若干措施"]
    assert set(_titles(await _search("营商"))) == {"罗湖区优化营商环境若干措施", "营商服务与环境整治"}
    # A substring jieba would not cut out on its own (商环) is still found: bigrams index every pair.
    assert _titles(await _search("商环")) == ["罗湖区优化营商环境若干措施"]
    assert (await _search("不存在的词语组合"))["total"] == 0


@pytest.mark.parametrize("typed", ["深罗府办〔2024〕12号", "深罗府办[2024]12号", "深罗府办【2024】12号",
                                   "深罗府办（2024）12"])
async def test_a_doc_number_in_any_bracket_style_finds_its_document_first(db, typed):
    citing = await published("关于落实营商环境措施的通知", body="根据深罗府办〔2024〕12号文件精神，制定本通知。",
                             published_on=date(2024, 9, 1))
    own = await published("关于印发营商环境若干措施的通知", doc_number="深罗府办[2024]12号",
                          published_on=date(2024, 5, 1))
    await published("关于另一件事的通知", doc_number="深罗府办〔2024〕13号", body="12号文件")
    result = await _search(typed)
    assert [i["id"] for i in result["items"]] == [own, citing]
    assert result["items"][0]["doc_number"] == "深罗府办〔2024〕12号"  # typed [2024], stored as GB/T 9704 writes it


async def test_title_matches_rank_above_summary_and_body_matches_then_newest_first(db):
    body_new = await published("关于开展春季检查的通知", body="做好养老机构检查。", published_on=date(2024, 6, 1))
    body_old = await published("关于开展秋季检查的通知", body="做好养老机构检查。", published_on=date(2023, 6, 1))
    summary = await published("关于民生实事的通知", summary="涉及养老服务。", published_on=date(2022, 1, 1))
    title = await published("养老服务补贴办法", body="补贴标准如下。", published_on=date(2020, 1, 1))
    result = await _search("养老")
    assert [i["id"] for i in result["items"]] == [title, summary, body_new, body_old]
    newest = await _search("养老", sort="newest")
    assert [i["id"] for i in newest["items"]] == [body_new, body_old, summary, title]
    oldest = await _search("养老", sort="oldest")
    assert [i["id"] for i in oldest["items"]] == [title, summary, body_old, body_new]


async def test_snippets_highlight_matches_and_escape_document_text(db):
    await published("长者饭堂管理办法", body="第三条 <script>alert(1)</script> 长者饭堂由街道负责运营，长者饭堂应当公示菜单。",
                    body_format="markdown")
    item = (await _search("长者饭堂"))["items"][0]
    assert item["title_html"] == "<em>长者饭堂</em>管理办法"
    assert item["snippet"].count("<em>长者饭堂</em>") == 2
    assert "<script>" not in item["snippet"]
    html_body = await published("关于养老的说明", body="<p>养老 &lt;b&gt; 标签</p>", body_format="html")
    snippet = next(i for i in (await _search("养老"))["items"] if i["id"] == html_body)["snippet"]
    assert snippet == "<em>养老</em> &lt;b&gt; 标签"


async def test_facets_count_under_every_filter_but_their_own(db):
    await published("补贴甲", agency="lhfgj", topic="economic_management", doc_type="notice",
                    disclosure="decision", published_on=date(2023, 3, 1))
    await published("补贴乙", agency="lhfgj", topic="economic_management", doc_type="opinion",
                    disclosure="execution", published_on=date(2024, 3, 1))
    await published("补贴丙", agency="lhjyj", topic="education", doc_type="notice", disclosure="decision",
                    published_on=date(2024, 4, 1))
    await published("补贴丁", agency="lhjyj", topic="education", doc_type="notice", disclosure="service",
                    published_on=date(2024, 5, 1))
    await published("无关文件", agency="lhwjj", topic="health_sports", doc_type="notice",
                    published_on=date(2024, 5, 1))
    result = await _search("补贴", agency=("lhjyj",))
    assert result["total"] == 2
    counts = {name: {v["value"]: v["count"] for v in values} for name, values in result["facets"].items()}
    assert counts == {
        "agency": {"lhfgj": 2, "lhjyj": 2},
        "topic": {"education": 2},
        "doc_type": {"notice": 2},
        "disclosure": {"decision": 1, "service": 1},
        "year": {"2024": 2},
    }
    assert result["facets"]["agency"][1]["label"] in ("罗湖区发展和改革局", "罗湖区教育局")
    both = await _search("补贴", agency=("lhjyj",), doc_type=("opinion",))
    counts = {name: {v["value"]: v["count"] for v in values} for name, values in both["facets"].items()}
    assert both["total"] == 0
    assert counts["agency"] == {"lhfgj": 1, "lhjyj": 0}
    assert counts["doc_type"] == {"notice": 2, "opinion": 0}
    browse = await _search(year=(2024,), disclosure=("decision", "service"))
    assert browse["total"] == 2
    assert {v["value"]: v["count"] for v in browse["facets"]["year"]} == {"2023": 1, "2024": 2}


async def test_drafts_never_and_withdrawn_documents_no_longer_appear_in_search(db):
    await draft("养老草稿", body="养老")
    gone = await published("养老通知", body="养老")
    kept = await published("养老公告", body="养老")
    assert (await _search("养老"))["total"] == 2
    await service_editing.withdraw_document(gone, reason="内容有误，重新发布")
    result = await _search("养老")
    assert [i["id"] for i in result["items"]] == [kept]
    assert result["total"] == 1 and result["facets"]["doc_type"] == [
        {"value": "notice", "label": "通知", "count": 1}]


async def test_cursors_belong_to_their_search(db):
    for n in range(3):
        await published(f"第{n}号养老通知")
    first = await _search("养老", limit=2)
    assert first["next_cursor"] is not None
    second = await _search("养老", limit=2, cursor=first["next_cursor"])
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    with pytest.raises(errors.InvalidCursor):
        await _search("医保", limit=2, cursor=first["next_cursor"])
    with pytest.raises(errors.InvalidCursor):
        await _search("养老", limit=2, cursor="not-a-cursor")
