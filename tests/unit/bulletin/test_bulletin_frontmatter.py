"""Import files: YAML front matter + Markdown body, and the reasons a file is rejected."""

from datetime import date

import pytest

from bulletin.frontmatter import (
    BadYaml,
    FrontMatterError,
    MissingFrontMatter,
    NotAMapping,
    UnclosedFrontMatter,
    parse_front_matter,
    validate_document_fields,
)

GOOD = """---
title: 关于印发《罗湖区优化营商环境若干措施》的通知
doc_number: 深罗府办〔2024〕12号
index_number: 11440303MB2C12345X/2024-00012
agency: lhqzfb
doc_type: notice
topic: economic_management
disclosure: decision
validity: valid
written_on: 2024-04-28
published_on: 2024-05-06
issue: "2024-3"
status: published
industries: [F, I]
sizes: [small, micro]
divisions: [440303001]
---

各街道办事处、区直各部门：

现将《措施》印发给你们，请认真贯彻执行。
"""


def test_good_file_splits_into_typed_fields_and_body() -> None:
    fields, body = parse_front_matter(GOOD)
    assert fields["title"] == "关于印发《罗湖区优化营商环境若干措施》的通知"
    assert fields["published_on"] == date(2024, 5, 6)
    assert fields["issue"] == "2024-3"
    assert fields["industries"] == ["F", "I"]
    assert body == "各街道办事处、区直各部门：\n\n现将《措施》印发给你们，请认真贯彻执行。\n"
    assert validate_document_fields(fields) == []


def test_windows_line_endings_and_byte_order_mark_are_accepted() -> None:
    fields, body = parse_front_matter("\ufeff" + GOOD.replace("\n", "\r\n"))
    assert fields["agency"] == "lhqzfb"
    assert body.startswith("各街道办事处")


def test_body_may_contain_its_own_horizontal_rules() -> None:
    _, body = parse_front_matter("---\ntitle: 甲\n---\n上文\n\n---\n\n下文\n")
    assert body == "上文\n\n---\n\n下文\n"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("# 只有正文\n", MissingFrontMatter),
        ("", MissingFrontMatter),
        ("\n---\ntitle: 甲\n---\n", MissingFrontMatter),
        ("---\ntitle: 甲\n正文没有结束标记\n", UnclosedFrontMatter),
        ("---\ntitle: [未闭合\n---\n", BadYaml),
        ("---\ntitle: 甲\ntitle: 乙\n---\n", BadYaml),
        ("---\n- 甲\n- 乙\n---\n", NotAMapping),
        ("---\n---\n正文\n", NotAMapping),
        ("---\n就是一句话\n---\n", NotAMapping),
    ],
)
def test_unreadable_files_raise_a_specific_error(source: str, error: type) -> None:
    with pytest.raises(error) as caught:
        parse_front_matter(source)
    assert isinstance(caught.value, FrontMatterError)
    assert isinstance(caught.value, ValueError)


def test_yaml_error_names_the_line_of_the_file() -> None:
    with pytest.raises(BadYaml, match="第 3 行"):
        parse_front_matter("---\ntitle: 甲\ntitle: 乙\n---\n")


def _fields(**changes: object) -> dict:
    fields, _ = parse_front_matter(GOOD)
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not ...}


def test_missing_required_fields_are_each_named() -> None:
    reasons = validate_document_fields(_fields(title="  ", agency=..., status=...))
    assert reasons == ["缺少必填字段 title", "缺少必填字段 agency", "缺少必填字段 status"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"doc_type": "memo"}, "doc_type"),
        ({"topic": "体育彩票"}, "topic"),
        ({"disclosure": "公开"}, "disclosure"),
        ({"validity": "yes"}, "validity"),
        ({"issue": "2024第3期"}, "issue"),
        ({"issue": "2024-0"}, "issue"),
        ({"issue": 2024}, "issue"),
        ({"status": "withdrawn"}, "status"),
        ({"published_on": "2024/05/06"}, "published_on"),
        ({"written_on": "昨天"}, "written_on"),
        ({"industries": ["Z"]}, "industries"),
        ({"industries": "F"}, "industries"),
        ({"sizes": ["huge"]}, "sizes"),
        ({"divisions": "440303001"}, "divisions"),
        ({"index_number": 123}, "index_number"),
        ({"body_format": "docx"}, "body_format"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_each_bad_field_gives_a_reason_naming_it(changes: dict, field: str) -> None:
    reasons = validate_document_fields(_fields(**changes))
    assert len(reasons) == 1
    assert field in reasons[0]


def test_chinese_labels_are_accepted_for_vocabulary_fields() -> None:
    fields = _fields(doc_type="通知", disclosure="决策", sizes=["小型"])
    assert validate_document_fields(fields) == []


def test_written_after_published_is_reported() -> None:
    reasons = validate_document_fields(_fields(written_on=date(2024, 5, 7)))
    assert reasons == ["成文日期 written_on 晚于发布日期 published_on"]


def test_issue_is_optional_for_documents_outside_an_issue() -> None:
    assert validate_document_fields(_fields(issue=...)) == []
