"""Vocabularies with stable codes and Chinese labels; the keyset cursor codec."""

import string

import pytest

from bulletin.model import (
    DISCLOSURES,
    DOC_TYPES,
    DOCUMENT_STATUSES,
    INDUSTRIES,
    SIZES,
    TOPICS,
    VALIDITIES,
    Vocabulary,
)


def test_document_types_pair_chinese_names_with_codes() -> None:
    assert {c.label: c.code for c in DOC_TYPES} == {
        "通知": "notice", "决定": "decision", "意见": "opinion", "办法": "measures",
        "公告": "announcement", "通告": "circular", "规划": "plan", "报告": "report",
        "批复": "reply", "函": "letter", "规定": "regulation", "命令": "order",
    }


def test_five_disclosures_validity_and_sizes() -> None:
    assert DISCLOSURES.codes == ("decision", "execution", "management", "service", "result")
    assert [c.label for c in DISCLOSURES] == ["决策", "执行", "管理", "服务", "结果"]
    assert {c.code: c.label for c in VALIDITIES} == {
        "valid": "有效", "expired": "失效", "repealed": "废止"}
    assert {c.code: c.label for c in SIZES} == {
        "large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
    assert DOCUMENT_STATUSES.codes == ("draft", "published", "withdrawn")


def test_industries_are_the_twenty_gbt_4754_2017_sections() -> None:
    assert INDUSTRIES.codes == tuple(string.ascii_uppercase[:20])  # A to T
    assert INDUSTRIES.label("A") == "农、林、牧、渔业"
    assert INDUSTRIES.label("F") == "批发和零售业"
    assert INDUSTRIES.label("I") == "信息传输、软件和信息技术服务业"
    assert INDUSTRIES.label("S") == "公共管理、社会保障和社会组织"
    assert INDUSTRIES.label("T") == "国际组织"


def test_topics_include_the_subject_classes_with_ascii_codes() -> None:
    labels = {c.label for c in TOPICS}
    assert {"综合政务", "国民经济管理", "财政金融审计", "城乡建设环境保护", "劳动人事监察",
            "卫生体育", "教育", "民政扶贫救灾", "公安安全司法", "文化广电", "科技", "工业交通",
            "商贸海关旅游", "农业林业水利", "市场监管安全生产", "国土资源能源", "其他"} <= labels
    assert all(code.isascii() and code.replace("_", "").isalpha() for code in TOPICS.codes)


def test_lookup_by_code_or_label_and_options_shape() -> None:
    assert DOC_TYPES.code_for("通知") == "notice"
    assert DOC_TYPES.code_for("notice") == "notice"
    assert DOC_TYPES.code_for("便条") is None
    assert "notice" in DOC_TYPES and "通知" not in DOC_TYPES
    assert SIZES.options()[0] == {"value": "large", "label": "大型"}
    with pytest.raises(KeyError):
        DOC_TYPES.label("memo")


def test_vocabulary_refuses_duplicate_codes() -> None:
    with pytest.raises(ValueError):
        Vocabulary("x", [("a", "甲"), ("a", "乙")])


