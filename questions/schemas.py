"""Request and response models of the 一号答 knowledge base API (parsed at the edge, documented in OpenAPI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator

from server.schemas import Strict, not_null


def _split_commas(value: Any) -> Any:
    # ?category=a,b and ?category=a&category=b mean the same (as in the gazette's filters).
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [part.strip() for item in value for part in str(item).split(",") if part.strip()]
    return value


CsvList = BeforeValidator(_split_commas)
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
Month = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Ids = Annotated[list[Annotated[int, Field(ge=1, le=2_147_483_647)]], Field(max_length=50)]


class CategoryOption(BaseModel):
    value: str
    label: str
    is_active: bool = True


class CategoryCreate(Strict):
    code: Code
    label: str = Field(min_length=1, max_length=32)


class CategoryUpdate(Strict):
    label: str | None = Field(default=None, min_length=1, max_length=32)
    is_active: bool | None = None


class DepartmentFields(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=64)
    reply_days: int | None = Field(default=None, ge=1, le=60, description="reply deadline in working days")
    categories: list[Code] | None = Field(default=None, max_length=30, description="category codes it answers")
    divisions: list[Annotated[str, Field(pattern=r"^\d{6,12}$")]] | None = Field(
        default=None, max_length=100, description="division codes it covers (none: the whole district)")
    is_active: bool | None = None
    _set = field_validator("name", "reply_days", "categories", "divisions", "is_active")(not_null)


class DepartmentCreate(DepartmentFields):
    code: Code
    name: str = Field(min_length=1, max_length=64)
    reply_days: int = Field(default=5, ge=1, le=60)


class DepartmentOut(BaseModel):
    id: int
    code: str
    name: str
    reply_days: int
    categories: list[str]
    divisions: list[str]
    is_active: bool


class DepartmentMemberIn(Strict):
    user_id: int = Field(ge=1, le=2_147_483_647)
    is_head: bool = False


class DepartmentMembers(Strict):
    members: list[DepartmentMemberIn] = Field(max_length=100)


class DepartmentMemberOut(BaseModel):
    user_id: int
    is_head: bool


class EntryFields(Strict):
    """Fields of a 一号答 entry (all optional here: PATCH)."""

    question: str | None = Field(default=None, min_length=2, max_length=200)
    answer: str | None = Field(default=None, min_length=1, max_length=20_000, description="Markdown, sanitised")
    category: str | None = Field(default=None, min_length=1, max_length=32, description="category code or label")
    department_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    services: Ids | None = Field(default=None, description="appointments service item ids")
    halls: Ids | None = Field(default=None, description="appointments hall ids")
    pois: Ids | None = Field(default=None, description="map POI ids")
    documents: Ids | None = Field(default=None, description="published gazette document ids")
    valid_from: date | None = None
    valid_until: date | None = None
    _set = field_validator("question", "answer", "category", "services", "halls", "pois", "documents")(not_null)

    @model_validator(mode="after")
    def _validity(self) -> EntryFields:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until 不能早于 valid_from")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class EntryCreate(EntryFields):
    question: str = Field(min_length=2, max_length=200)
    answer: str = Field(min_length=1, max_length=20_000, description="Markdown, sanitised")
    category: str = Field(min_length=1, max_length=32, description="category code or label")


class EntryLinks(BaseModel):
    services: list[int]
    halls: list[int]
    pois: list[int]
    documents: list[int]


class DepartmentRef(BaseModel):
    id: int
    name: str


class CategoryRef(BaseModel):
    value: str
    label: str


class PublicEntry(BaseModel):
    id: int
    question: str
    answer_html: str
    category: CategoryRef | None
    department: DepartmentRef | None
    links: EntryLinks
    valid_from: date | None
    valid_until: date | None
    views: int
    solved: int
    updated_at: datetime


class EditableEntry(PublicEntry):
    answer: str
    status: Literal["draft", "published", "retired"]
    not_solved: int
    created_at: datetime
    published_at: datetime | None
    source_letter_id: int | None


class EditorEntriesQuery(BaseModel):
    status: Literal["draft", "published", "retired"] | None = None
    category: str | None = Field(default=None, max_length=32)
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, pattern=r"^\d{1,10}$", description="next_cursor of the previous page")


class EditorEntriesPage(BaseModel):
    items: list[EditableEntry]
    next_cursor: str | None


class AnswersQuery(BaseModel):
    q: str = Field(default="", max_length=200, description="the question in the resident's words")
    category: Annotated[list[str], CsvList] = Field(default_factory=list, description="category codes")
    limit: int = Field(default=20, ge=1, le=50)
    cursor: str | None = Field(default=None, max_length=512)


class AnswerHit(BaseModel):
    id: int
    question: str
    question_html: str = Field(description="the question, HTML-escaped, matches in <em>")
    snippet: str = Field(description="the answer around the first match, HTML-escaped, matches in <em>")
    category: CategoryRef
    solved: int
    question_matched: bool


class AnswerFacet(BaseModel):
    value: str
    label: str
    count: int


class AnswersPage(BaseModel):
    items: list[AnswerHit]
    total: int
    facets: dict[str, list[AnswerFacet]]
    next_cursor: str | None


class SuggestQuery(BaseModel):
    q: str = Field(default="", max_length=100)
    limit: int = Field(default=5, ge=1, le=10)


class AnswerSuggestion(BaseModel):
    id: int
    question: str
    question_html: str
    category: str


class AnswerSuggestions(BaseModel):
    items: list[AnswerSuggestion]


class Feedback(Strict):
    solved: bool


class FeedbackOut(BaseModel):
    ask_id: int = Field(description="pass it when writing a letter, so the question counts once")
    outcome: Literal["solved", "not_solved", "letter"]
    solved: int
    not_solved: int


class StatsQuery(BaseModel):
    from_: Month = Field(alias="from")
    to: Month

    @model_validator(mode="after")
    def _order(self) -> StatsQuery:
        if self.to < self.from_:
            raise ValueError("to 不能早于 from")
        if (int(self.to[:4]) - int(self.from_[:4])) * 12 + int(self.to[5:]) - int(self.from_[5:]) > 36:
            raise ValueError("最多统计 36 个月")
        return self


class StatsCategory(BaseModel):
    value: str | None
    label: str


class DirectAnswerRow(BaseModel):
    month: str
    category: StatsCategory
    asked: int
    solved: int
    rate: float | None


class DirectAnswers(BaseModel):
    from_month: str
    to_month: str
    asked: int
    solved: int
    rate: float | None = Field(description="solved ÷ asked; null when nothing was asked")
    rows: list[DirectAnswerRow]
