"""Response models of the gazette API (what /openapi.json documents and responses are checked against)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field


class Choice(BaseModel):
    value: str
    label: str


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class DocumentSummary(BaseModel):
    id: int
    kind: str
    status: str
    title: str
    doc_number: str | None
    agency: Choice
    topic: Choice | None
    doc_type: Choice | None
    disclosure: Choice | None
    validity: Choice | None
    published_on: date | None
    summary: str
    url: str


class SearchItem(DocumentSummary):
    title_html: str = Field(description="title with matches in <em>")
    snippet: str = Field(description="HTML: text around the first match, matches in <em>")


class SearchPage(BaseModel):
    items: list[SearchItem]
    total: int
    facets: dict[str, list[FacetValue]] = Field(description="agency, topic, doc_type, disclosure, year")
    next_cursor: str | None


class Suggestions(BaseModel):
    terms: list[str]
    titles: list[dict[str, Any]]


class IssueOut(BaseModel):
    id: int
    year: int
    number: int
    total_number: int
    title: str
    published_on: date
    sections: list[str]
    document_count: int | None = None


class IssueSection(BaseModel):
    section: str
    documents: list[DocumentSummary]


class IssueContents(IssueOut):
    contents: list[IssueSection]


class LinkOut(BaseModel):
    id: int
    title: str
    kind: str
    doc_number: str | None
    published_on: date | None


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class RelatedItem(BaseModel):
    id: int
    name: str | None
    hall_id: int | None = None
    hall_name: str | None = None


class DocumentOut(DocumentSummary):
    status: Literal["draft", "published"]
    index_number: str | None
    written_on: date | None
    effective_from: date | None
    effective_to: date | None
    body_html: str
    body_nodes: list[dict[str, Any]] = Field(description="the body for the mini-program's <rich-text nodes>")
    attachments: list[AttachmentOut]
    issue: IssueOut | None
    section: str | None
    tags: dict[str, list[str]]
    interpretations: list[LinkOut]
    interprets: list[LinkOut] = Field(description="for an interpretation: the documents it explains")
    services: list[RelatedItem]
    pois: list[RelatedItem]
    previous: LinkOut | None
    next: LinkOut | None
    qr_url: str
    favorited: bool
    reading_position: float | None


class WithdrawnOut(BaseModel):
    id: int
    kind: str
    status: Literal["withdrawn"]
    title: str
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    url: str


DocumentAnswer = Annotated[DocumentOut | WithdrawnOut, Field(discriminator="status")]


class EditableDocument(BaseModel):
    id: int
    kind: str
    status: str
    title: str
    doc_number: str | None
    index_number: str | None
    agency: str
    topic: str | None
    doc_type: str | None
    disclosure: str | None
    validity: str
    effective_from: date | None
    effective_to: date | None
    written_on: date | None
    published_on: date | None
    summary: str
    body: str
    body_format: str
    body_html: str
    issue_id: int | None
    section: str | None
    issue_order: int
    services: list[int]
    pois: list[int]
    divisions: list[str]
    industries: list[str]
    sizes: list[str]
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    updated_at: datetime
    url: str


class EditorPage(BaseModel):
    items: list[EditableDocument]
    next_cursor: str | None


class FavoriteState(BaseModel):
    document_id: int
    favorited: bool


class PositionOut(BaseModel):
    document_id: int
    position: float
    last_read_at: datetime


class ShelfItem(BaseModel):
    document: dict[str, Any] = Field(description="a document summary, or {id, title, status: withdrawn}")
    favorited_at: datetime | None = None
    last_read_at: datetime | None = None
    position: float | None = None


class ShelfPage(BaseModel):
    items: list[ShelfItem]
    next_cursor: str | None
