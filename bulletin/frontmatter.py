"""Markdown files with YAML front matter, as `bianmin import-gazette` reads them.

    ---
    title: 关于印发《罗湖区优化营商环境若干措施》的通知
    index_number: 11440303MB2C12345X/2024-00012
    agency: lhqzfb
    doc_type: notice
    published_on: 2024-05-06
    issue: "2024-3"
    status: published
    ---
    正文（Markdown）……

``parse_front_matter`` splits a file into its fields and body with one clear reason when it
cannot; ``validate_document_fields`` lists every problem with the fields at once, so an
editor fixes a file in one pass. The request schemas do the full validation later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import yaml

from bulletin.model import (
    BODY_FORMATS,
    DISCLOSURES,
    DOC_TYPES,
    IMPORT_STATUSES,
    INDUSTRIES,
    SIZES,
    TOPICS,
    VALIDITIES,
    Vocabulary,
)

REQUIRED_FIELDS = ("title", "index_number", "agency", "doc_type", "published_on", "status")
DOCUMENT_FIELDS = frozenset({
    *REQUIRED_FIELDS, "doc_number", "topic", "disclosure", "validity", "written_on",
    "summary", "body_format", "issue", "section", "divisions", "industries", "sizes",
})
_ISSUE_RE = re.compile(r"(?:19|20)\d{2}-[1-9]\d{0,2}")
_FENCE_RE = re.compile(r"^---[ \t]*$")
_CLOSING_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


class FrontMatterError(ValueError):
    """A file that cannot be read as YAML front matter plus a Markdown body."""

    code = "front_matter_invalid"


class MissingFrontMatter(FrontMatterError):
    code = "front_matter_missing"


class UnclosedFrontMatter(FrontMatterError):
    code = "front_matter_unclosed"


class BadYaml(FrontMatterError):
    code = "front_matter_bad_yaml"


class NotAMapping(FrontMatterError):
    code = "front_matter_not_mapping"


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice instead of keeping the last one."""


def _construct_unique_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"字段 {key!r} 出现了两次", key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def parse_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """Split a file into (fields, body); FrontMatterError says why when it cannot."""
    lines = source.removeprefix("\ufeff").splitlines(keepends=True)
    if not lines or not _FENCE_RE.match(lines[0].rstrip("\r\n")):
        raise MissingFrontMatter("缺少 YAML 前置元数据：文件第一行应为 ---")
    closing = next(
        (i for i, line in enumerate(lines[1:], 1) if _CLOSING_RE.match(line.rstrip("\r\n"))),
        None,
    )
    if closing is None:
        raise UnclosedFrontMatter("YAML 前置元数据没有结束：缺少第二个 --- 行")
    try:
        # A SafeLoader subclass: plain data only, never arbitrary Python objects.
        fields = yaml.load("".join(lines[1:closing]), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise BadYaml(f"YAML 前置元数据有语法错误：{_describe(exc)}") from exc
    except ValueError as exc:  # YAML reads 2024-02-30 as a date, and the calendar has no such day
        raise BadYaml("YAML 前置元数据中有不存在的日期（如 2024-02-30）") from exc
    if not isinstance(fields, dict):
        kind = "为空" if fields is None else f"是 {type(fields).__name__}，不是键值映射"
        raise NotAMapping(f"YAML 前置元数据应为“字段: 值”的映射，实际{kind}")
    return {str(k): v for k, v in fields.items()}, "".join(lines[closing + 1 :]).lstrip("\r\n")


def _describe(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    # +2: one for 1-based numbering, one for the opening --- line the YAML text starts after.
    return f"第 {mark.line + 2} 行：{problem}" if mark is not None else problem


# --- field checks ---------------------------------------------------------------------------

_TEXT_FIELDS = ("title", "index_number", "agency", "doc_number", "summary", "section")
_VOCABULARY_FIELDS: dict[str, Vocabulary] = {
    "doc_type": DOC_TYPES, "topic": TOPICS, "disclosure": DISCLOSURES,
    "validity": VALIDITIES, "body_format": BODY_FORMATS,
}
_LIST_FIELDS: dict[str, Vocabulary] = {"industries": INDUSTRIES, "sizes": SIZES}


def validate_document_fields(fields: Mapping[str, Any]) -> list[str]:
    """Every problem with a document's front-matter fields, as readable reasons (empty if fine)."""
    reasons = [f"缺少必填字段 {name}" for name in REQUIRED_FIELDS if _is_blank(fields.get(name))]
    reasons += [f"未知字段 {name}" for name in sorted(set(fields) - DOCUMENT_FIELDS)]
    present = {k: v for k, v in fields.items() if k in DOCUMENT_FIELDS and not _is_blank(v)}
    for name in _TEXT_FIELDS:
        if name in present and not isinstance(present[name], str):
            reasons.append(f"{name} 应为文字（数字或日期样的值请加引号）")
    for name, vocabulary in _VOCABULARY_FIELDS.items():
        if name in present and _code(vocabulary, present[name]) is None:
            reasons.append(f"{name} 的值 {present[name]!r} 不在可选范围内：{_choices(vocabulary)}")
    for name, vocabulary in _LIST_FIELDS.items():
        if name in present:
            reasons += _check_code_list(name, present[name], vocabulary)
    reasons += _check_dates(present)
    reasons += _check_issue_and_status(present)
    if "divisions" in present and not _is_list_of(present["divisions"], (int, str)):
        reasons.append("divisions 应为区划编号的列表")
    return reasons


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code(vocabulary: Vocabulary, value: Any) -> str | None:
    return vocabulary.code_for(value) if isinstance(value, str) else None


def _choices(vocabulary: Vocabulary) -> str:
    return "、".join(f"{c.code}（{c.label}）" for c in vocabulary)


def _is_list_of(value: Any, kinds: tuple[type, ...]) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, kinds) and not isinstance(v, bool) for v in value
    )


def _check_code_list(name: str, value: Any, vocabulary: Vocabulary) -> list[str]:
    if not isinstance(value, list):
        return [f"{name} 应为列表，如 [{vocabulary.codes[0]}]"]
    unknown = [v for v in value if _code(vocabulary, v) is None]
    if unknown:
        return [f"{name} 含有未知的值 {unknown!r}，可选：{_choices(vocabulary)}"]
    return []


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _check_dates(present: Mapping[str, Any]) -> list[str]:
    reasons = []
    dates: dict[str, date] = {}
    for name in ("published_on", "written_on"):
        if name in present:
            parsed = _as_date(present[name])
            if parsed is None:
                reasons.append(f"{name} 应为日期，格式 YYYY-MM-DD，实际为 {present[name]!r}")
            else:
                dates[name] = parsed
    if len(dates) == 2 and dates["written_on"] > dates["published_on"]:
        reasons.append("成文日期 written_on 晚于发布日期 published_on")
    return reasons


def _check_issue_and_status(present: Mapping[str, Any]) -> list[str]:
    reasons = []
    issue = present.get("issue")
    if issue is not None and not (isinstance(issue, str) and _ISSUE_RE.fullmatch(issue.strip())):
        reasons.append(f"issue 应为“年份-期号”，如 \"2024-3\"，实际为 {issue!r}")
    status = present.get("status")
    if status is not None and status not in IMPORT_STATUSES:
        reasons.append(f"status 应为 draft 或 published，实际为 {status!r}")
    return reasons
