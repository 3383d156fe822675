"""文号 normalisation: every bracket style a person types finds the same document."""

import pytest

from bulletin.docnumber import looks_like_doc_number, normalize_doc_number


@pytest.mark.parametrize(
    "typed",
    [
        "国办发〔2016〕80号",
        "国办发[2016]80号",
        "国办发【2016】80号",
        "国办发(2016)80号",
        "国办发（2016）80号",
        "国办发［2016］80号",
        "国办发﹝2016﹞80号",
        "国办发〔 2016 〕80号",
        " 国办发 〔2016〕 80 号 ",
        "国办发\u3000〔2016〕80号",
        "国办发〔２０１６〕８０号",
        "国办发[2016]80",
        "国办发〔2016〕第80号",
    ],
)
def test_every_spelling_of_a_doc_number_has_the_same_normal_form(typed: str) -> None:
    assert normalize_doc_number(typed) == "国办发〔2016〕80号"


def test_different_doc_numbers_stay_different() -> None:
    assert normalize_doc_number("深罗府办[2024]12号") != normalize_doc_number("深罗府办[2024]13号")
    assert normalize_doc_number("深罗府办[2024]12号") != normalize_doc_number("深罗府[2024]12号")


@pytest.mark.parametrize(
    "query",
    [
        "深罗府办〔2024〕12号",
        "罗府规〔2023〕3号",
        "国办发[2016]80号",
        "深罗府办 【2024】 12",
        "粤府函(2019)101号",
    ],
)
def test_doc_numbers_are_recognised_for_exact_lookup(query: str) -> None:
    assert looks_like_doc_number(query)


@pytest.mark.parametrize(
    "query",
    [
        "养老",
        "公租房申请条件",
        "2024",
        "〔2024〕12号",  # no issuing agency: not enough to identify a document
        "2024年第3期",
        "关于2016年80号文件的说明",
        "医保[报销]",
    ],
)
def test_ordinary_queries_are_not_doc_numbers(query: str) -> None:
    assert not looks_like_doc_number(query)
