"""Reading an import directory: issues.yaml plus Markdown files with YAML front matter.

Each file is checked on its own and saved in its own transaction, so one bad file is
reported with its reason while the others import. Documents are matched by 索引号
(index_number): importing the same directory twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bulletin import service_import
from bulletin.frontmatter import FrontMatterError, parse_front_matter, validate_document_fields
from bulletin.schemas import DocumentCreate, IssueCreate
from bulletin.tables import Agency
from server.errors import DomainError
from server.validation import message_for

ISSUES_FILE = "issues.yaml"
Progress = Callable[[list[Path]], Iterable[Path]]


@dataclass
class ImportReport:
    """What an import did, file by file."""

    issues: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_withdrawn: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    @property
    def ok(self) -> bool:
        return not self.rejected


class Rejected(Exception):
    """A file that cannot be imported; the message is the reason shown to the operator."""


async def import_directory(directory: Path, *, notify: bool, progress: Progress | None = None) -> ImportReport:
    """Import issues.yaml and every *.md file under directory (see the module docstring)."""
    report = ImportReport()
    await _import_issues(directory / ISSUES_FILE, report)
    issues = await service_import.issue_ids()
    agencies = {a.code: a.code for a in await Agency.all()} | {a.name: a.code for a in await Agency.all()}
    paths = sorted(p for p in directory.rglob("*.md") if p.is_file())
    for path in (progress(paths) if progress else paths):
        name = str(path.relative_to(directory))
        try:
            fields, publish = _document_fields(path, issues=issues, agencies=agencies)
            outcome = await service_import.import_document(fields, publish=publish, notify=notify)
        except Rejected as exc:
            report.rejected.append((name, str(exc)))
            continue
        except DomainError as exc:
            report.rejected.append((name, f"{exc.message}（{exc.code}）"))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


async def _import_issues(path: Path, report: ImportReport) -> None:
    if not path.exists():
        return
    try:
        entries = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        report.rejected.append((ISSUES_FILE, f"无法读取：{exc}"))
        return
    except ValueError:  # YAML reads 2024-02-30 as a date, and the calendar has no such day
        report.rejected.append((ISSUES_FILE, "无法读取：含有不存在的日期（如 2024-02-30）"))
        return
    if not isinstance(entries, list):
        report.rejected.append((ISSUES_FILE, "应为期次的列表（每项含 year, number, total_number, title, published_on）"))
        return
    for position, entry in enumerate(entries, 1):
        try:
            issue = IssueCreate.model_validate(entry)
            await service_import.upsert_issue(issue.model_dump())
            report.issues += 1
        except ValidationError as exc:
            report.rejected.append((f"{ISSUES_FILE} 第 {position} 项", _reasons(exc)))
        except DomainError as exc:
            report.rejected.append((f"{ISSUES_FILE} 第 {position} 项", exc.message))


def _document_fields(path: Path, *, issues: dict[str, int], agencies: dict[str, str]) -> tuple[dict[str, Any], bool]:
    try:
        fields, body = parse_front_matter(path.read_text("utf-8"))
    except UnicodeDecodeError:
        raise Rejected("文件不是 UTF-8 编码") from None
    except FrontMatterError as exc:
        raise Rejected(str(exc)) from None
    reasons = validate_document_fields(fields)
    if reasons:
        raise Rejected("；".join(reasons))
    fields = {k: v for k, v in fields.items() if v is not None and v != ""}
    publish = fields.pop("status") == "published"
    if (agency := agencies.get(fields["agency"])) is None:
        raise Rejected(f"发布机构 {fields['agency']!r} 不存在")
    fields["agency"] = agency
    issue = fields.pop("issue", None)
    if issue is not None:
        if str(issue).strip() not in issues:
            raise Rejected(f"issue {issue!r} 不在 issues.yaml 中")
        fields["issue_id"] = issues[str(issue).strip()]
    if "divisions" in fields:
        fields["divisions"] = [str(d) for d in fields["divisions"]]
    try:
        document = DocumentCreate.model_validate({**fields, "body": body, "kind": "document"})
    except ValidationError as exc:
        raise Rejected(_reasons(exc)) from None
    return document.changes(), publish


def _reasons(exc: ValidationError) -> str:
    """Every problem of one entry, each in the API's Chinese wording (the field named in English)."""
    return "；".join(f"{'.'.join(str(p) for p in e['loc']) or '文件'}：{message_for(e)}"
                    for e in exc.errors(include_url=False))
