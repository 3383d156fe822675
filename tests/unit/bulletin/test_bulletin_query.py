"""Queries to terms, tsquery and FTS5 strings, and an end-to-end check on a real FTS5 index."""

import sqlite3
import unicodedata

import pytest

from bulletin.query import Term, query_terms, to_fts5_match, to_pg_tsquery
from bulletin.text import bigrams, index_string


def test_unspaced_multiword_query_becomes_one_term_per_word() -> None:
    assert query_terms("公租房申请条件") == [
        Term(("公租", "租房"), "公租房"),
        Term(("申请",), "申请"),
        Term(("条件",), "条件"),
    ]


def test_single_character_query_is_a_unigram() -> None:
    assert query_terms("税") == [Term(("税",), "税")]


def test_unknown_characters_stay_together_as_one_phrase() -> None:
    # jieba knows no word here; four AND-ed characters would match them scattered anywhere.
    assert query_terms("深罗府办") == [Term(("深罗", "罗府", "府办"), "深罗府办")]


def test_letters_and_digits_become_word_terms_in_folded_form() -> None:
    assert query_terms("２０２４年 ABC") == [
        Term(("2024",), "2024"), Term(("年",), "年"), Term(("abc",), "abc"),
    ]


def test_function_characters_are_dropped_only_when_other_terms_exist() -> None:
    assert query_terms("公租房的申请") == [
        Term(("公租", "租房"), "公租房"), Term(("申请",), "申请"),
    ]
    assert query_terms("的") == [Term(("的",), "的")]


def test_repeated_words_give_one_term_and_punctuation_gives_none() -> None:
    assert query_terms("医保 医保，医保") == [Term(("医保",), "医保")]
    assert query_terms("！？、") == []


def test_number_of_terms_is_capped() -> None:
    assert len(query_terms(" ".join(str(n) for n in range(50)), max_terms=5)) == 5


def test_pg_tsquery_uses_followed_by_for_phrases_and_and_between_terms() -> None:
    terms = query_terms("公租房申请条件")
    assert to_pg_tsquery(terms) == "('公租' <-> '租房') & '申请' & '条件'"


def test_pg_tsquery_quotes_operators_quotes_and_backslashes() -> None:
    terms = [Term(("it's",), "it's"), Term(("a\\b", "|!&"), "x")]
    assert to_pg_tsquery(terms) == "'it''s' & ('a\\\\b' <-> '|!&')"


def test_fts5_match_quotes_each_term_as_a_phrase() -> None:
    assert to_fts5_match(query_terms("公租房申请条件")) == '"公租 租房" AND "申请" AND "条件"'
    assert to_fts5_match([Term(('a"b', "c"), "x")]) == '"a""b c"'


def test_building_a_query_from_no_terms_is_an_error() -> None:
    with pytest.raises(ValueError):
        to_pg_tsquery([])
    with pytest.raises(ValueError):
        to_fts5_match([])


# --- end to end on SQLite FTS5 (in memory), with Python's `in` as the oracle ------------

DOCUMENTS = [
    "关于持续优化营商环境的若干措施",
    "罗湖区公租房申请条件及办理流程",
    "公租，租房：两个不相干的词",
    "城乡居民医保参保缴费指南（2024年度）",
    "长者饭堂运营补贴发放办法",
    "个人所得税专项附加扣除政策解读",
    "推进“一网通办”和“不见面审批”改革的通知",
    "关于印发《15分钟生活圈建设方案》的通知",
    "ＡＢＣ公司营业执照变更登记公告",
    "居家养老服务补贴申请",
]


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61')")
    connection.executemany(
        "INSERT INTO docs(rowid, body) VALUES (?, ?)",
        [(i, index_string(doc)) for i, doc in enumerate(DOCUMENTS)],
    )
    return connection


def _search(connection: sqlite3.Connection, query: str) -> list[int]:
    terms = query_terms(query)
    rows = connection.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid", (to_fts5_match(terms),)
    )
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("税", [5]),
        ("医保", [3]),
        ("补贴", [4, 9]),
        ("营商环境", [0]),
        ("公租房", [1]),  # not document 2, where 公租 and 租房 are split by a comma
        ("商环", [0]),  # a substring search: found even across jieba's word boundary
        ("生活圈", [7]),
        ("abc", [8]),
        ("2024", [3]),
        ("公租房申请条件", [1]),
        ("通知 改革", [6]),
        ("养老 公租房", []),
    ],
)
def test_search_finds_exactly_the_documents_containing_the_query(
    fts: sqlite3.Connection, query: str, expected: list[int]
) -> None:
    assert _search(fts, query) == expected


def test_every_one_and_two_character_substring_finds_exactly_its_documents(
    fts: sqlite3.Connection,
) -> None:
    folded = [unicodedata.normalize("NFKC", d).lower() for d in DOCUMENTS]
    queries = {
        doc[i : i + n]
        for doc in folded
        for n in (1, 2)
        for i in range(len(doc) - n + 1)
        if all("\u4e00" <= c <= "\u9fff" for c in doc[i : i + n])
    }
    for query in sorted(queries):
        expected = [i for i, doc in enumerate(folded) if query in doc]
        assert _search(fts, query) == expected, query


def test_a_bigram_phrase_matches_exactly_the_documents_containing_the_string(
    fts: sqlite3.Connection,
) -> None:
    # The index invariant itself, without jieba's query segmentation: every CJK string of
    # three to five characters found in the corpus, searched as the phrase of its bigrams.
    strings = {
        doc[i : i + n]
        for doc in DOCUMENTS
        for n in (3, 4, 5)
        for i in range(len(doc) - n + 1)
        if all("\u4e00" <= c <= "\u9fff" for c in doc[i : i + n])
    }
    strings |= {"公租房", "租房两", "营商环境若"}
    for string in sorted(strings):
        phrase = Term(tuple(bigrams(string)), string)
        rows = fts.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid", (to_fts5_match([phrase]),)
        )
        expected = [i for i, doc in enumerate(DOCUMENTS) if string in doc]
        assert [row[0] for row in rows] == expected, string


@pytest.mark.parametrize("hostile", ['a" OR "b', "NEAR(a b)", "* OR body:x", "'; DROP", "^a -b"])
def test_hostile_query_syntax_is_searched_as_text_not_executed(
    fts: sqlite3.Connection, hostile: str
) -> None:
    # Each would be an FTS5 syntax error or a different query if passed through unquoted.
    assert _search(fts, hostile) == []


def test_query_of_only_quotes_has_no_terms() -> None:
    assert query_terms('"\'"') == []
