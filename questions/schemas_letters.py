"""Request and response models of letters, columns, campaigns and their statistics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from questions.schemas import Code, DepartmentRef, Month
from server.schemas import Coord, Strict, not_null

Rating = Literal["satisfied", "basically_satisfied", "unsatisfied"]
Status = Literal["held", "rejected", "received", "assigned", "replied", "closed"]
Id = int


class Place(Strict):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    coord: Coord = Field("wgs84", description="coordinate system of lon/lat (converted to WGS-84 at the edge)")


class LetterCreate(Strict):
    column: str = Field(min_length=1, max_length=32, description="column code, e.g. mayor (区长信箱)")
    title: str = Field(min_length=2, max_length=100)
    body: str = Field(min_length=5, max_length=5000)
    category: str | None = Field(default=None, max_length=32, description="category code or label")
    place: Place | None = Field(default=None, description="a map point")
    division: str | None = Field(default=None, pattern=r"^\d{6,12}$", description="or a division code")
    photos: list[int] = Field(default_factory=list, max_length=9, description="ids from POST /questions/photos")
    publish_consent: bool = Field(False, description="whether the letter and reply may be published (masked)")
    phone: str | None = Field(default=None, max_length=20, description="contact phone; the bound WeChat phone "
                                                                       "when absent")
    campaign_id: int | None = Field(default=None, ge=1, le=2_147_483_647, description="a 人民建议 campaign")
    ask_id: int | None = Field(default=None, ge=1, le=2**53, description="the 'not solved' vote it follows")

    @model_validator(mode="after")
    def _one_place(self) -> LetterCreate:
        if self.place is not None and self.division is not None:
            raise ValueError("place 与 division 只能填一个")
        return self


class PlaceOut(BaseModel):
    lon: float
    lat: float


class Step(BaseModel):
    kind: str = Field(description="received, held, rejected, assigned, transferred, returned, replied, rated, "
                                  "reopened, overdue, closed, published, adopted")
    at: datetime
    note: str
    department: DepartmentRef | None


class LetterOut(BaseModel):
    id: int
    column: str
    title: str
    body: str
    category: str | None
    place: PlaceOut | None = Field(description="WGS-84")
    division: str | None
    publish_consent: bool
    phone: str | None = Field(description="masked, e.g. 138****5678")
    status: Status
    status_label: str
    department: DepartmentRef | None
    due_on: date | None
    overdue: bool
    reply: str | None
    replied_at: datetime | None
    rating: Rating | None
    rating_label: str | None
    reopens: int
    closed_at: datetime | None
    published: bool
    campaign_id: int | None
    adopted: bool
    adoption_note: str | None
    created_at: datetime
    photos: list[int] = Field(default_factory=list)
    steps: list[Step] | None = None


class StaffLetterOut(LetterOut):
    suggested_department: DepartmentRef | None


class LettersPage(BaseModel):
    items: list[LetterOut]
    next_cursor: str | None


class StaffLettersPage(BaseModel):
    items: list[StaffLetterOut]
    next_cursor: str | None


class LetterPageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, pattern=r"^\d{1,10}$", description="next_cursor of the previous page")

    @field_validator("cursor")
    @classmethod
    def _a_letter_id(cls, value: str | None) -> str | None:
        # A letter id: beyond 32 bits PostgreSQL would refuse the comparison (a 500), so it is no cursor of ours.
        if value is not None and int(value) > 2_147_483_647:
            raise ValueError("游标无效")
        return value


class HandlingQuery(LetterPageQuery):
    status: Status | None = Field(default=None, description="received: the dispatcher's inbox")
    overdue: bool | None = None
    department_id: int | None = Field(default=None, ge=1, le=2_147_483_647)


class LetterRating(Strict):
    rating: Rating


class Assign(Strict):
    department_id: int = Field(ge=1, le=2_147_483_647)


class Transfer(Assign):
    reason: str = Field(min_length=2, max_length=500)


class Return(Strict):
    reason: str = Field(min_length=2, max_length=500)


class ReplyIn(Strict):
    reply: str = Field(min_length=2, max_length=10_000)


class PublishIn(Strict):
    title: str | None = Field(default=None, min_length=2, max_length=100, description="public wording")
    body: str | None = Field(default=None, min_length=2, max_length=5000, description="public wording")


class ToEntry(Strict):
    category: str | None = Field(default=None, max_length=32)


class EntryRef(BaseModel):
    entry_id: int


class Adopt(Strict):
    note: str = Field(min_length=2, max_length=2000)


class PublicLettersQuery(LetterPageQuery):
    q: str = Field(default="", max_length=100)


class PublicLetter(BaseModel):
    id: int
    column: str
    title: str
    body: str
    category: str | None
    reply: str
    department: DepartmentRef | None
    created_at: datetime
    replied_at: datetime | None
    rating: Rating | None
    adoption_note: str | None


class PublicLettersPage(BaseModel):
    items: list[PublicLetter]
    next_cursor: str | None


class ColumnOut(BaseModel):
    code: str
    name: str
    description: str
    kind: Literal["letter", "proposal"]
    is_active: bool


class ColumnCreate(Strict):
    code: Code
    name: str = Field(min_length=1, max_length=32)
    description: str = Field(default="", max_length=500)
    kind: Literal["letter", "proposal"] = "letter"


class ColumnUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=32)
    description: str | None = Field(default=None, max_length=500)
    is_active: bool | None = None
    _set = field_validator("name", "description", "is_active")(not_null)


class CampaignCreate(Strict):
    title: str = Field(min_length=2, max_length=100)
    description: str = Field(default="", max_length=5000)
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _order(self) -> CampaignCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on 不能早于 starts_on")
        return self


class CampaignUpdate(Strict):
    """A correction of a campaign: only the fields sent change; the dates must stay in order."""
    title: str | None = Field(default=None, min_length=2, max_length=100)
    description: str | None = Field(default=None, max_length=5000)
    starts_on: date | None = None
    ends_on: date | None = None
    _set = field_validator("title", "description", "starts_on", "ends_on")(not_null)


class CampaignOut(BaseModel):
    id: int
    title: str
    description: str
    starts_on: date
    ends_on: date
    open: bool


class AdoptedSuggestion(BaseModel):
    id: int
    title: str
    adoption_note: str
    adopted_at: datetime


class PhotoOut(BaseModel):
    id: int
    content_type: str
    size: int
    checked: bool = Field(description="false: WeChat could not check it yet (the letter will be held)")


class LetterStatsQuery(BaseModel):
    from_: Month = Field(alias="from")
    to: Month


class LetterCell(BaseModel):
    letters: int
    replied: int
    on_time: int
    rated: int
    satisfied: int
    overdue: int
    on_time_rate: float | None
    satisfaction_rate: float | None


class LetterStatsRow(LetterCell):
    month: str
    column: str
    category: str | None


class LetterStats(BaseModel):
    from_month: str
    to_month: str
    total: LetterCell
    rows: list[LetterStatsRow]
