"""Search tokens per field, dictionary words as single tokens, 文号 tokens, and the query side, on FTS5."""

import sqlite3

from bulletin.docnumber import cited_doc_numbers
from bulletin.query import Term
from bulletin.search_tokens import (
    doc_number_token,
    field_tokens,
    parse_query,
    search_fields,
    text_query,
)
from bulletin.text import dictionary_words_in, is_dictionary_word


def test_every_dictionary_word_inside_a_run_is_found_whatever_jieba_cuts() -> None:
    found = set(dictionary_words_in("持续优化营商环境"))
    assert {"优化营商环境", "营商环境"} <= found
    assert all(len(w) >= 3 for w in found)
    assert is_dictionary_word("营商环境") and not is_dictionary_word("商环境优")


def test_a_field_carries_positional_tokens_then_dictionary_words_then_doc_number_tokens() -> None:
    tokens = field_tokens("优化营商环境")
    assert tokens[:5] == ["优化", "化营", "营商", "商环", "环境"]
    assert "营商环境" in tokens[5:] and "优化营商环境" in tokens[5:]
    cited = field_tokens("依据罗民〔2024〕3号")
    assert doc_number_token("罗民〔2024〕3号") in cited


def test_citations_offer_every_prefix_so_the_true_doc_number_is_among_them() -> None:
    assert cited_doc_numbers("据罗民[2024] 第3号") == ["据罗民〔2024〕3号", "罗民〔2024〕3号", "民〔2024〕3号"]
    assert cited_doc_numbers("没有文号") == []


def test_a_doc_number_query_in_any_brackets_is_one_token() -> None:
    tokens = {parse_query(q).terms[0].tokens for q in ("深罗府办〔2024〕12号", "深罗府办[2024]12号", "深罗府办【2024】12")}
    assert tokens == {(doc_number_token("深罗府办〔2024〕12号"),)}
    assert parse_query("深罗府办〔2024〕12号").doc_number == "深罗府办〔2024〕12号"
    assert text_query("深罗府办〔2024〕12号").doc_number is None


def test_dictionary_words_become_single_tokens_but_unknown_runs_stay_phrases() -> None:
    assert parse_query("营商环境").terms == (Term(("营商环境",), "营商环境"),)
    assert parse_query("深罗府办").terms == (Term(("深罗", "罗府", "府办"), "深罗府办"),)
    assert parse_query("医保").terms == (Term(("医保",), "医保"),)
    assert parse_query("  ！？ ") is None and parse_query("") is None


def _fts(documents: dict[int, str]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(title, head, body)")
    for rowid, body in documents.items():
        fields = search_fields(title="标题", doc_number=None, summary="", body_text=body)
        db.execute("INSERT INTO f (rowid, title, head, body) VALUES (?, ?, ?, ?)",
                   (rowid, fields.title, fields.head, fields.body))
    return db


def test_on_fts5_a_dictionary_word_matches_exactly_the_documents_containing_it() -> None:
    from bulletin.query import to_fts5_match

    db = _fts({1: "持续优化营商环境。", 2: "营商、环境都要改善。", 3: "营商环境好。"})
    match = to_fts5_match(parse_query("营商环境").terms)
    assert sorted(r for r, in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (match,))) == [1, 3]
    two = to_fts5_match(parse_query("环境").terms)
    assert sorted(r for r, in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (two,))) == [1, 2, 3]
