"""Request and response models of the staff (clerk) and admin booking endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator

from appointments.schemas import Aliased, BookingOut, PersonOut, Ref, TicketOut
from server.schemas import Strict, not_null
from server.validation import INT_MAX

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class HallIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=32)
    poi_id: int | None = Field(default=None, ge=1, description="the hall's POI id on the service map")
    windows: int = Field(default=1, ge=1, le=500)
    is_active: bool = True
    rules: dict[str, int] | None = Field(default=None, description="rules to change from the defaults")


class HallPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    poi_id: int | None = Field(default=None, ge=1)
    windows: int | None = Field(default=None, ge=1, le=500)
    is_active: bool | None = None
    rules: dict[str, int] | None = Field(default=None, description="rules to change; others stay")

    _set = field_validator("name", "address", "phone", "windows", "is_active", "rules")(not_null)


class ServiceIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    department: str = Field(default="", max_length=100)
    materials: list[str] = Field(default_factory=list, max_length=50)
    average_minutes: int = Field(default=15, ge=1, le=480)
    real_name_required: bool = True
    is_active: bool = True


class ServicePatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    department: str | None = Field(default=None, max_length=100)
    materials: list[str] | None = Field(default=None, max_length=50)
    average_minutes: int | None = Field(default=None, ge=1, le=480)
    real_name_required: bool | None = None
    is_active: bool | None = None

    _set = field_validator("name", "department", "materials", "average_minutes", "real_name_required",
                           "is_active")(not_null)


class StaffAssign(Strict):
    user_ids: list[int] = Field(max_length=500, description="exactly the staff accounts serving this hall")


class StaffOut(BaseModel):
    id: int
    username: str | None
    nickname: str


class CalendarEntryIn(Strict):
    date: dt.date
    kind: Literal["holiday", "workday"]
    name: str = Field(default="", max_length=32)
    stands_in_for: Weekday | None = Field(default=None, description="for working weekend days (调休)")


class CalendarPut(Strict):
    entries: list[CalendarEntryIn] = Field(max_length=366)


class CalendarDayPut(Strict):
    date: dt.date
    kind: Literal["default", "holiday", "workday"] = Field(description="default: back to Monday–Friday")
    name: str = Field(default="", max_length=32)
    stands_in_for: Weekday | None = Field(default=None, description="for working weekend days (调休)")


class CalendarEntryOut(BaseModel):
    date: dt.date
    kind: Literal["holiday", "workday"]
    name: str
    stands_in_for: Weekday | None


class CalendarYearOut(BaseModel):
    year: int
    confirmed: bool
    source: Literal["library", "admin", "weekdays"]
    entries: list[CalendarEntryOut]


class ScheduleIn(Strict):
    periods: dict[str, list[list[str]]] = Field(description='{"mon": [["09:00", "12:00"], ["14:00", "17:30"]]}')
    slot_minutes: int
    capacity: int


class ScheduleBody(BaseModel):
    periods: dict[str, list[list[str]]]
    slot_minutes: int
    capacity: int


class Generated(BaseModel):
    created: int
    closed: int
    kept: int


class ScheduleOut(BaseModel):
    service_id: int
    schedule: ScheduleBody | None
    generated: Generated | None = None


class GenerateIn(Strict, Aliased):
    from_: dt.date = Field(alias="from")
    to: dt.date


class SlotPatch(Strict):
    capacity: int | None = Field(default=None, ge=0, le=500)
    status: Literal["open", "closed"] | None = None
    reason: str | None = Field(default=None, max_length=200, description="told to the people cancelled")


class SlotOut(BaseModel):
    id: int
    hall_id: int
    service_id: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int
    remaining: int
    status: Literal["open", "closed"]


class ClosureIn(Strict, Aliased):
    date: dt.date
    from_: dt.time | None = Field(default=None, alias="from", description="local time; omit for the whole day")
    to: dt.time | None = None
    reason: str = Field(min_length=1, max_length=200)


class ClosureOut(Aliased):
    id: int
    hall_id: int
    date: dt.date
    from_: dt.time | None = Field(alias="from")
    to: dt.time | None
    reason: str
    slots_closed: int
    bookings_cancelled: int
    timezone: str


class DaySheetQuery(BaseModel):
    date: dt.date | None = Field(default=None, description="default: today at the hall")
    format: Literal["json", "csv"] = "json"


class SheetHall(Ref):
    timezone: str


class DaySheetRow(BaseModel):
    id: int
    code: str
    status: str
    date: dt.date
    hall: SheetHall
    time: str = Field(description="local HH:MM-HH:MM")
    start: dt.datetime
    service: Ref
    person: PersonOut
    ticket: str | None
    window: str | None = Field(description="the window that called the ticket")
    checked_in_at: dt.datetime | None


class SharedIdsQuery(BaseModel):
    month: str | None = Field(default=None, pattern=r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$",
                              description="YYYY-MM; the hall's current month when omitted")

    @property
    def first_day(self) -> dt.date | None:
        """The month's first day, or None for the current month."""
        return dt.date(int(self.month[:4]), int(self.month[5:]), 1) if self.month else None


class SharedIdOut(BaseModel):
    id_number: str = Field(description="masked, e.g. 4403**********123X")
    month: str = Field(description="YYYY-MM")
    accounts: int = Field(description="accounts that booked it or were refused it this month, at any hall")
    refused_attempts: int = Field(description="bookings refused with too_many_accounts, at any hall")
    first_seen: dt.datetime
    last_seen: dt.datetime


class CheckinIn(Strict):
    token: str | None = Field(default=None, max_length=512, description="the text of the booking's QR code")
    code: str | None = Field(default=None, max_length=32, description="or the booking code, typed")

    @model_validator(mode="after")
    def _one_of(self) -> CheckinIn:
        if (self.token is None) == (self.code is None):
            raise ValueError("请给出二维码内容（token）或预约码（code）之一，且只给一个")
        return self


class CheckinOut(BaseModel):
    ticket: TicketOut
    booking: BookingOut


class WalkinIn(Strict):
    service_id: int | None = Field(default=None, ge=1)


def _window_text(value: object) -> object:
    """Window 12 given as a number is window "12"."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= INT_MAX:
            raise ValueError("窗口号须为正整数或窗口名称")
        return str(value)
    return value


# What the schema shows a client: a name of 1 to 16 characters or a number (an integer the edge takes).
_WINDOW_INPUT = Annotated[str, Field(min_length=1, max_length=16)] | Annotated[int, Field(ge=1, le=INT_MAX)]


class CallIn(Strict):
    window: Annotated[str, BeforeValidator(_window_text, json_schema_input_type=_WINDOW_INPUT)] = Field(
        min_length=1, max_length=16,
        description='the window calling: a number (12) or a name of at most 16 characters ("12", "综合窗口")')


class TicketsQuery(BaseModel):
    status: Literal["waiting", "serving", "completed", "no_show"] | None = None


class RatingsQuery(BaseModel):
    dissatisfied: bool | None = Field(default=None, description="true: scores of 2 or less")
    follow_up_status: Literal["not_needed", "pending", "contacted", "resolved"] | None = None


class FollowUpIn(Strict):
    follow_up_status: Literal["pending", "contacted", "resolved", "not_needed"]
    # The one name, in and out (ratings answer with it); "note", read earlier, is now an unknown field (422).
    follow_up_note: str | None = Field(default=None, max_length=1000,
                                       description="what the hall did (回访记录); kept when omitted")


class PhoneRevealIn(Strict):
    reason: str = Field(min_length=2, max_length=200, description="why the phone is needed (回访), written to the "
                                                                  "operation log; 2 to 200 characters")


class PhoneRevealOut(BaseModel):
    rating_id: int
    booking_id: int
    phone: str = Field(description="unmasked: the only answer that carries a booking's phone number")


class StatsQuery(Aliased):
    from_: dt.date = Field(alias="from")
    to: dt.date


class DayStats(BaseModel):
    date: dt.date
    booked: int
    checked_in: int
    no_shows: int
    cancellations: int
    walk_ins: int
    ratings: int
    average_rating: float | None


class StatsOut(Aliased):
    hall_id: int
    from_: dt.date = Field(alias="from")
    to: dt.date
    days: list[DayStats]
