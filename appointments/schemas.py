"""Request and response models of the resident and public booking endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from server.schemas import Strict

BookingStatus = Literal["booked", "cancelled", "checked_in", "serving", "completed", "no_show"]


class Aliased(BaseModel):
    """Models with fields named like Python keywords ("from") on the wire."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class HallOut(BaseModel):
    id: int
    name: str
    address: str
    phone: str
    poi_id: int | None = Field(description="the hall's POI on the service map, when linked")
    timezone: str
    windows: int
    rules: dict[str, int] = Field(description="booking rules: window, quotas, cancellation, check-in, no-shows")
    is_active: bool


class ServiceOut(BaseModel):
    id: int
    hall_id: int
    name: str
    department: str
    materials: list[str]
    average_minutes: int
    real_name_required: bool
    is_active: bool
    has_schedule: bool


class AvailabilityQuery(Aliased):
    service_id: int = Field(ge=1)
    from_: dt.date | None = Field(default=None, alias="from", description="default: first bookable day")
    to: dt.date | None = Field(default=None, description="default: last bookable day; at most 31 days")


class SlotAvailability(BaseModel):
    id: int
    start: dt.datetime
    end: dt.datetime
    capacity: int
    remaining: int
    bookable: bool
    reason: Literal["slot_full", "slot_closed", "outside_booking_window", "slot_started"] | None = Field(
        description="why it is not bookable: the code booking it would answer")


class DayAvailability(BaseModel):
    date: dt.date
    working_day: bool
    calendar_confirmed: bool = Field(description="false for years without official holiday data yet")
    slots: list[SlotAvailability]


class Window(BaseModel):
    first: dt.date
    last: dt.date


class AvailabilityOut(BaseModel):
    hall_id: int
    service_id: int
    window: Window
    days: list[DayAvailability]


class QueueEntry(BaseModel):
    window: str
    ticket: str


class QueueOut(BaseModel):
    hall_id: int
    date: dt.date
    serving: list[QueueEntry] = Field(description="the ticket each window is serving now")
    waiting: int
    next: list[str] = Field(description="the next tickets to be called")


class BookingIn(Strict):
    slot_id: int = Field(ge=1)
    service_id: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=50)
    id_number: str = Field(min_length=1, max_length=32, description="居民身份证号码 (18 characters)")
    phone: str = Field(min_length=1, max_length=32, description="mainland mobile number")


class CancelIn(Strict):
    reason: str = Field(default="", max_length=200)


class RescheduleIn(Strict):
    slot_id: int = Field(ge=1)


class RatingIn(Strict):
    score: int = Field(ge=1, le=5, description="1 非常不满意 … 5 非常满意")
    comment: str = Field(default="", max_length=500)


class MyBookingsQuery(BaseModel):
    status: list[BookingStatus] | None = Field(default=None, description="repeat or comma-separate")

    @field_validator("status", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, list):
            return [part.strip() for item in value for part in str(item).split(",") if part.strip()]
        return value


class Ref(BaseModel):
    id: int
    name: str


class HallRef(Ref):
    address: str


class SlotRef(BaseModel):
    id: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime


class PersonOut(BaseModel):
    name: str | None = Field(description="masked, e.g. 张*")
    id_number: str | None = Field(description="masked, e.g. 4403**********123X")
    phone: str | None = Field(description="masked, e.g. 138****5678")


class TicketOut(BaseModel):
    id: int
    label: str = Field(description="A001 for booked people, W001 for walk-ins")
    kind: Literal["booked", "walk_in"]
    status: Literal["waiting", "serving", "completed", "no_show"]
    window: str | None
    hall_id: int
    service: Ref | None = Field(description="the service item (事项); null for a walk-in given none")
    booking_id: int | None
    date: dt.date
    created_at: dt.datetime
    called_at: dt.datetime | None


class BookingRating(BaseModel):
    id: int
    score: int = Field(description="1 非常不满意 … 5 非常满意")
    comment: str
    created_at: dt.datetime


class BookingOut(BaseModel):
    id: int
    code: str = Field(description="8-character booking code a clerk can type")
    status: BookingStatus
    hall: HallRef
    service: Ref
    slot: SlotRef
    person: PersonOut
    checkin_qr: str = Field(description="URL of the check-in QR code (PNG, owner only)")
    checkin_deadline: dt.datetime
    ticket: TicketOut | None
    rating: BookingRating | None = Field(description="the 好差评 given, once rated (a booking is rated once)")
    rating_until: dt.datetime | None = Field(description="once completed: the last moment it may be rated "
                                                         "(7 days; later ratings are 409 rating_window_closed)")
    created_at: dt.datetime
    cancelled_at: dt.datetime | None
    cancelled_by: Literal["resident", "hall", "system"] | None
    cancel_reason: str | None
    checked_in_at: dt.datetime | None
    completed_at: dt.datetime | None


class RatingOut(BaseModel):
    id: int
    booking_id: int
    hall_id: int
    score: int
    comment: str
    dissatisfied: bool
    follow_up_status: Literal["not_needed", "pending", "contacted", "resolved"]
    follow_up_note: str
    created_at: dt.datetime
    updated_at: dt.datetime
