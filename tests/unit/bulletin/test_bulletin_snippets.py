"""Highlighted, escaped search snippets."""

import html
import re

from bulletin.query import query_terms
from bulletin.snippets import find_matches, snippet


def _visible(fragment: str) -> str:
    return html.unescape(re.sub(r"</?em>", "", fragment)).strip("…")


def test_window_is_centred_on_the_first_match_and_cut_with_ellipses() -> None:
    text = "甲" * 100 + "公租房" + "乙" * 100
    # 23 characters: (23 - 3) // 2 = 10 before the match, 10 after.
    expected = "…" + "甲" * 10 + "<em>公租房</em>" + "乙" * 10 + "…"
    assert snippet(text, ["公租房"], length=23) == expected


def test_window_slides_back_when_the_match_is_near_the_end() -> None:
    text = "甲" * 50 + "医保"
    assert snippet(text, ["医保"], length=10) == "…" + "甲" * 8 + "<em>医保</em>"


def test_no_match_shows_the_start_of_the_text() -> None:
    assert snippet("一二三四五六七八九十", ["养老"], length=4) == "一二三四…"


def test_short_text_is_shown_whole_without_ellipses() -> None:
    assert snippet("申请公租房", ["公租房"]) == "申请<em>公租房</em>"


def test_every_match_in_the_window_is_highlighted() -> None:
    result = snippet("补贴申请：稳岗补贴、就业补贴", ["补贴"], length=50)
    assert result == "<em>补贴</em>申请：稳岗<em>补贴</em>、就业<em>补贴</em>"


def test_overlapping_and_adjacent_matches_merge_into_one_highlight() -> None:
    assert snippet("优化营商环境", ["营商", "商环境"]) == "优化<em>营商环境</em>"


def test_document_markup_is_escaped_so_it_cannot_inject() -> None:
    document = '<script>alert("x")</script>公租房<img src=x onerror=y>'
    result = snippet(document, ["公租房", "<script>"])
    assert "<script" not in result and "<img" not in result
    assert result == (
        '<em>&lt;script&gt;</em>alert(&quot;x&quot;)&lt;/script&gt;<em>公租房</em>'
        "&lt;img src=x onerror=y&gt;"
    )


def test_matching_folds_width_and_case_like_the_index() -> None:
    assert snippet("ＡＢＣ公司与Abc集团", ["abc"]) == "<em>ＡＢＣ</em>公司与<em>Abc</em>集团"


def test_whitespace_is_collapsed_to_single_spaces() -> None:
    assert snippet("第一段\n\n  第二段", ["第二"]) == "第一段 <em>第二</em>段"


def test_window_has_the_requested_number_of_visible_characters() -> None:
    text = "关于做好二〇二四年度城乡居民基本医疗保险参保缴费工作的通知" * 10
    for length in (20, 57, 120):
        assert len(_visible(snippet(text, ["医疗保险", "通知"], length=length))) == length


def test_query_terms_can_be_passed_directly() -> None:
    terms = query_terms("公租房申请条件")
    assert snippet("关于公租房的申请条件", terms) == "关于<em>公租房</em>的<em>申请条件</em>"


def test_find_matches_returns_sorted_merged_spans() -> None:
    assert find_matches("医保医保社保", ["医保", "保社"]) == [(0, 5)]  # 医保医保社 + 保
    assert find_matches("医保和社保", ["医保", "社保", " "]) == [(0, 2), (3, 5)]
