"""Request models of the gazette API (parsed at the edge); response models are in schemas_out.py."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from bulletin.facet_counts import Filters
from bulletin.model import (
    BODY_FORMATS,
    DISCLOSURES,
    DOC_TYPES,
    INDUSTRIES,
    SIZES,
    TOPICS,
    VALIDITIES,
    Vocabulary,
)
from server.schemas import Strict

Kind = Literal["document", "interpretation"]


def _code_of(vocabulary: Vocabulary) -> AfterValidator:
    def check(value: str) -> str:
        code = vocabulary.code_for(value)
        if code is None:
            raise ValueError(f"未知的 {vocabulary.name}：{value!r}，应为以下之一：{'、'.join(vocabulary.codes)}")
        return code
    return AfterValidator(check)


def _split_commas(value: Any) -> Any:
    # ?topic=a,b and ?topic=a&topic=b mean the same.
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [part.strip() for item in value for part in str(item).split(",") if part.strip()]
    return value


TopicCode = Annotated[str, _code_of(TOPICS)]
DocTypeCode = Annotated[str, _code_of(DOC_TYPES)]
DisclosureCode = Annotated[str, _code_of(DISCLOSURES)]
ValidityCode = Annotated[str, _code_of(VALIDITIES)]
IndustryCode = Annotated[str, _code_of(INDUSTRIES)]
SizeCode = Annotated[str, _code_of(SIZES)]
BodyFormat = Annotated[str, _code_of(BODY_FORMATS)]
CsvList = BeforeValidator(_split_commas)


FILTER_FIELDS = frozenset(f.name for f in dataclasses.fields(Filters))


class SearchQuery(BaseModel):
    q: str = Field(default="", max_length=200, description="words, a phrase or a 文号 in any bracket style")
    agency: Annotated[list[str], CsvList] = Field(default_factory=list, description="agency codes or names")
    topic: Annotated[list[TopicCode], CsvList] = Field(default_factory=list)
    doc_type: Annotated[list[DocTypeCode], CsvList] = Field(default_factory=list)
    disclosure: Annotated[list[DisclosureCode], CsvList] = Field(default_factory=list)
    validity: Annotated[list[ValidityCode], CsvList] = Field(default_factory=list)
    kind: Annotated[list[Kind], CsvList] = Field(default_factory=list)
    year: Annotated[list[int], CsvList] = Field(default_factory=list)
    published_from: date | None = None
    published_to: date | None = None
    sort: Literal["relevance", "newest", "oldest"] | None = Field(
        default=None, description="default: relevance with q, newest without")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=512, description="next_cursor of the previous page")

    def filters(self) -> Filters:
        """The filters of this query as the gazette's one filter type."""
        return Filters(**{name: tuple(value) if isinstance(value, list) else value
                          for name, value in self.model_dump(include=FILTER_FIELDS).items()})


class SuggestQuery(BaseModel):
    q: str = Field(min_length=1, max_length=50)


class IssuesQuery(BaseModel):
    year: int | None = Field(default=None, ge=1949, le=2100)


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=512)


class EditorListQuery(PageQuery):
    status: Annotated[list[Literal["draft", "published", "withdrawn"]], CsvList] = Field(default_factory=list)


class DocumentFields(Strict):
    """Fields shared by creating and editing a document (all optional here)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    doc_number: str | None = Field(default=None, max_length=64, description="文号, any bracket style")
    index_number: str | None = Field(default=None, max_length=64, description="索引号 (opaque)")
    agency: str | None = Field(default=None, max_length=64, description="agency code or name")
    topic: TopicCode | None = None
    doc_type: DocTypeCode | None = None
    disclosure: DisclosureCode | None = Field(default=None, description="五公开 category")
    validity: ValidityCode | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    written_on: date | None = Field(default=None, description="成文日期")
    published_on: date | None = Field(default=None, description="发布日期")
    summary: str | None = Field(default=None, max_length=2000)
    body: str | None = Field(default=None, max_length=500_000)
    body_format: BodyFormat | None = Field(default=None, description="markdown | html")
    issue_id: int | None = None
    section: str | None = Field(default=None, max_length=64)
    issue_order: int | None = Field(default=None, ge=0, le=100_000)
    divisions: list[Annotated[str, Field(min_length=1, max_length=32)]] | None = Field(
        default=None, max_length=100, description="division codes the document concerns")
    industries: list[IndustryCode] | None = Field(default=None, description="GB/T 4754 sections A-T")
    sizes: list[SizeCode] | None = Field(default=None, description="enterprise sizes")

    @model_validator(mode="after")
    def _dates_in_order(self) -> DocumentFields:
        if self.written_on and self.published_on and self.written_on > self.published_on:
            raise ValueError("成文日期（written_on）不能晚于发布日期（published_on）")
        if self.effective_from and self.effective_to and self.effective_from > self.effective_to:
            raise ValueError("失效日期（effective_to）不能早于生效日期（effective_from）")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (an explicit null clears a field)."""
        return self.model_dump(exclude_unset=True)


class DocumentCreate(DocumentFields):
    title: str = Field(min_length=1, max_length=300)
    agency: str = Field(min_length=1, max_length=64, description="agency code or name")
    kind: Kind = "document"
    body: str = Field(default="", max_length=500_000)
    body_format: BodyFormat = "markdown"
    validity: ValidityCode = "valid"

    @model_validator(mode="after")
    def _documents_have_a_type(self) -> DocumentCreate:
        if self.kind == "document" and self.doc_type is None:
            raise ValueError("公文须给出文种（doc_type）")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class DocumentUpdate(DocumentFields):
    @model_validator(mode="after")
    def _required_stay_set(self) -> DocumentUpdate:
        for name in ("title", "agency", "body_format", "validity"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} 不能清空")
        return self


class Withdraw(Strict):
    reason: str = Field(min_length=2, max_length=500, description="撤回原因, shown on the reading page")


class IdList(Strict):
    ids: list[int] = Field(max_length=50)


class AgencyCreate(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    name: str = Field(min_length=2, max_length=64)


class IssueCreate(Strict):
    year: int = Field(ge=1949, le=2100)
    number: int = Field(ge=1, le=999, description="第N期 within the year")
    total_number: int = Field(ge=1, le=100_000, description="总第N期")
    title: str = Field(min_length=1, max_length=200)
    published_on: date
    sections: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list, max_length=30)


class Position(Strict):
    position: float = Field(ge=0, le=1, description="0 = top of the document, 1 = its end")
