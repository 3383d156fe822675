"""Index tokens, jieba with the government dictionary, and subscription keyword matching."""

import threading
import time
from pathlib import Path

import pytest

from bulletin import text
from bulletin.text import (
    USER_DICT_PATH,
    index_string,
    index_tokens,
    keyword_matches,
    keyword_tokens,
    keyword_words,
    words,
)

BRIEF_TERMS = [
    "营商环境", "公租房", "不见面审批", "一网通办", "长者饭堂", "放管服", "最多跑一次", "居住证",
    "社保卡", "医保", "不动产登记", "营业执照", "惠企政策", "专精特新", "15分钟生活圈",
    "老旧小区改造", "政务公开", "政策解读", "五公开",
]


def test_cjk_run_gives_bigrams_then_its_characters_then_long_words() -> None:
    assert index_tokens("营商环境") == ["营商", "商环", "环境", "营", "商", "环", "境", "营商环境"]


def test_punctuation_separates_bigram_runs_with_a_unigram() -> None:
    # 公租 and 租房 must not be adjacent, or the phrase 公租房 would match "公租，租房".
    assert index_tokens("公租，租房") == ["公租", "公", "租", "租房", "房"]


def test_a_run_with_only_seen_characters_still_ends_with_a_unigram() -> None:
    assert index_tokens("公租，公租") == ["公租", "公", "租", "公租", "公"]


def test_full_width_and_capital_letters_fold_to_ascii_words() -> None:
    assert index_tokens("ＡＢＣ１２３ Café, x-ray") == ["abc123", "café", "x", "ray"]


def test_overlong_letter_runs_are_not_indexed() -> None:
    assert index_tokens("a" * 65 + " ok") == ["ok"]


def test_index_string_is_the_space_joined_tokens() -> None:
    assert index_string("申请2024") == "申请 申 请 2024"


def test_user_dictionary_has_at_least_80_terms_including_the_briefs() -> None:
    entries = [line.split()[0] for line in Path(USER_DICT_PATH).read_text("utf-8").splitlines()
               if line.strip()]
    assert len(set(entries)) >= 80
    assert set(BRIEF_TERMS) <= set(entries)


@pytest.mark.parametrize("term", BRIEF_TERMS)
def test_government_terms_segment_as_one_word(term: str) -> None:
    assert words(term) == [term]


def test_unspaced_query_segments_into_words() -> None:
    assert words("公租房申请条件") == ["公租房", "申请", "条件"]


def test_dictionary_is_built_once_under_concurrent_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[object] = []

    class SlowTokenizer:
        def initialize(self) -> None:
            time.sleep(0.05)  # widen the window in which a second thread could also build

        def load_userdict(self, path: str) -> None:
            built.append(self)

    monkeypatch.setattr(text.jieba, "Tokenizer", SlowTokenizer)
    segmenter = text._Segmenter(USER_DICT_PATH)
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(segmenter.tokenizer()))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert all(result is built[0] for result in results)


@pytest.mark.parametrize(
    ("keyword", "document"),
    [
        ("营商环境", "关于持续优化营商环境的若干措施"),
        ("养老", "推进居家养老服务"),
        ("租房", "申请公租房的条件"),
        ("税", "个人所得税专项附加扣除"),
        ("医保", "城乡居民医保参保缴费"),
        ("莲塘", "莲塘街道办事处关于社区活动的通知"),
        ("公租房 申请", "公租房的申请条件"),
        ("ＡＢＣ", "abc 公司"),
    ],
)
def test_keyword_matches_segmented_words(keyword: str, document: str) -> None:
    assert keyword_matches(keyword, document)


@pytest.mark.parametrize(
    ("keyword", "document"),
    [
        ("商环", "关于持续优化营商环境的若干措施"),  # across the word boundary 营商|环境
        ("市场", "超市场地租赁"),  # 超市|场地
        ("莲塘", "荷塘边种莲花"),  # both characters, but not together
        ("公租房 补贴", "公租房的申请条件"),  # every word of the keyword is needed
        ("教育", "卫生健康"),
    ],
)
def test_keyword_does_not_match_across_words_or_when_absent(keyword: str, document: str) -> None:
    assert not keyword_matches(keyword, document)


def test_keyword_matching_on_precomputed_tokens_agrees_with_text() -> None:
    document = "区人力资源局关于发放稳岗补贴的通知"
    tokens = keyword_tokens(document)
    for keyword in ["稳岗补贴", "补贴", "通知", "岗补", "养老"]:
        assert keyword_matches(keyword, tokens) == keyword_matches(keyword, document)
        assert keyword_matches(keyword, list(tokens)) == keyword_matches(keyword, document)


def test_keyword_of_only_punctuation_matches_nothing() -> None:
    assert keyword_words("、、") == ()
    assert not keyword_matches("、、", "任何文件")
