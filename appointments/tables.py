"""Tortoise models of hall booking: halls, service items, schedules, calendar, slots, bookings, tickets."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

BOOKING_STATUSES = ("booked", "cancelled", "checked_in", "serving", "completed", "no_show")
TICKET_STATUSES = ("waiting", "serving", "completed", "no_show")
FOLLOW_UP_STATUSES = ("not_needed", "pending", "contacted", "resolved")


class Hall(Model):
    """A service hall (行政服务大厅 or 街道便民服务中心), linked to its map POI by a plain id."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    address = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=32, default="")
    poi_id = fields.IntField(null=True, db_index=True)  # geo's POI id; no cross-domain foreign key
    timezone = fields.CharField(max_length=64, default="Asia/Shanghai")
    windows = fields.IntField(default=1)
    rules = fields.JSONField(default=dict)  # HallRules.to_dict()
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "halls"


class ServiceItem(Model):
    """A 事项 a hall handles, with its weekly schedule (empty until staff set one)."""

    id = fields.IntField(primary_key=True)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="services", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=100)
    department = fields.CharField(max_length=100, default="")
    materials = fields.JSONField(default=list)
    average_minutes = fields.IntField(default=15)
    real_name_required = fields.BooleanField(default=True)
    is_active = fields.BooleanField(default=True)
    schedule = fields.JSONField(null=True)  # WeeklySchedule.to_dict()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "hall_services"
        unique_together = (("hall", "name"),)


class CalendarYear(Model):
    """Which years the calendar holds, and from where: the library or an admin (authoritative)."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    source = fields.CharField(max_length=16)  # library | admin
    updated_at = fields.DatetimeField()

    class Meta:
        table = "work_calendar_years"


class CalendarDay(Model):
    """One exception to Monday–Friday: a holiday or a working day (调休)."""

    id = fields.IntField(primary_key=True)
    day = fields.DateField(unique=True)
    year = fields.IntField(db_index=True)
    kind = fields.CharField(max_length=8)  # holiday | workday
    name = fields.CharField(max_length=32, default="")
    stands_in_for = fields.CharField(max_length=3, null=True)

    class Meta:
        table = "work_calendar_days"


class Slot(Model):
    """A bookable time slot of a service item: seats taken only by a conditional UPDATE."""

    id = fields.IntField(primary_key=True)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="slots", on_delete=fields.CASCADE)
    service = fields.ForeignKeyField("appointments.ServiceItem", related_name="slots", on_delete=fields.CASCADE)
    day = fields.DateField()  # local date in the hall's zone
    start_at = fields.DatetimeField()
    end_at = fields.DatetimeField()
    capacity = fields.IntField()
    booked = fields.IntField(default=0)
    status = fields.CharField(max_length=8, default="open")  # open | closed
    created_at = fields.DatetimeField()

    class Meta:
        table = "booking_slots"  # CHECK (booked >= 0 AND booked <= capacity) added by the migration
        unique_together = (("service", "start_at", "end_at"),)
        indexes = (("hall_id", "day"),)


class Closure(Model):
    """A hall closed for a day or part of it (slots generated later in that time stay closed)."""

    id = fields.IntField(primary_key=True)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="closures", on_delete=fields.CASCADE)
    day = fields.DateField()
    # Local wall-clock "HH:MM" (a TimeField would be stored as UTC): None means the day's start or end.
    start_time = fields.CharField(max_length=5, null=True)
    end_time = fields.CharField(max_length=5, null=True)
    reason = fields.CharField(max_length=200)
    created_by = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "hall_closures"
        indexes = (("hall_id", "day"),)


class Booking(Model):
    """A person's appointment: name, 身份证 and phone encrypted, the 身份证 also as a keyed hash.

    Foreign keys cascade only so that tests can empty tables in any order: accounts, halls,
    service items and slots are never deleted by the application (they are deactivated).
    """

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=8, unique=True)
    account = fields.ForeignKeyField("server.User", related_name="bookings", on_delete=fields.CASCADE)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="bookings", on_delete=fields.CASCADE)
    service = fields.ForeignKeyField("appointments.ServiceItem", related_name="bookings",
                                     on_delete=fields.CASCADE)
    slot = fields.ForeignKeyField("appointments.Slot", related_name="bookings", on_delete=fields.CASCADE)
    day = fields.DateField()
    slot_start = fields.DatetimeField()
    checkin_deadline = fields.DatetimeField()
    status = fields.CharField(max_length=12, default="booked")
    name_enc = fields.TextField(null=True)
    id_number_enc = fields.TextField(null=True)
    phone_enc = fields.TextField(null=True)
    id_hash = fields.CharField(max_length=64, null=True)
    idempotency_key = fields.CharField(max_length=128, null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    checked_in_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    no_show_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by = fields.CharField(max_length=12, null=True)  # resident | hall | system
    cancel_reason = fields.CharField(max_length=200, null=True)
    # Set when the account was deleted: the person's data is gone, the keyed hash stays (with the
    # booking's facts) only as long as the booking rules look back, then a daily job clears it.
    erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "bookings"
        unique_together = (("account", "idempotency_key"),)
        indexes = (("id_hash", "day"), ("hall_id", "day"), ("status", "checkin_deadline"))


class BookingPerson(Model):
    """One row per 身份证 (by lookup hash): locked while that person's quotas are checked."""

    id_hash = fields.CharField(max_length=64, primary_key=True)
    attempts = fields.IntField(default=0)

    class Meta:
        table = "booking_persons"


class BookingAccount(Model):
    """One row per booking account: locked (before the person's row) while its anti-scalping rules are checked."""

    account_id = fields.IntField(primary_key=True, generated=False)  # the user id; no cross-domain foreign key
    attempts = fields.IntField(default=0)

    class Meta:
        table = "booking_accounts"


class SharedIdRefusal(Model):
    """A booking refused because its 身份证 was already booked from too many accounts that month.

    One row per hall, person (keyed hash), month and refused account: what hall staff review
    (too_many_accounts). Kept as long as the booking rules look back, like the bookings' hashes.
    """

    id = fields.IntField(primary_key=True)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="shared_id_refusals", on_delete=fields.CASCADE)
    id_hash = fields.CharField(max_length=64)
    month = fields.DateField()  # its first day
    account_id = fields.IntField()
    id_masked = fields.CharField(max_length=18)  # 4403**********123X: what staff see, never the number
    attempts = fields.IntField(default=1)
    first_at = fields.DatetimeField()
    last_at = fields.DatetimeField()

    class Meta:
        table = "booking_shared_id_refusals"
        unique_together = (("hall", "id_hash", "month", "account_id"),)
        indexes = (("hall_id", "month"), ("id_hash", "month"))


class TicketCounter(Model):
    """The last ticket number given per hall, day and kind (A for booked, W for walk-ins)."""

    id = fields.IntField(primary_key=True)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="ticket_counters",
                                  on_delete=fields.CASCADE)
    day = fields.DateField()
    kind = fields.CharField(max_length=8)
    last_number = fields.IntField(default=0)

    class Meta:
        table = "ticket_counters"
        unique_together = (("hall", "day", "kind"),)


class Ticket(Model):
    """A queue ticket (取号): A001 after a booked person's check-in, W001 for a walk-in."""

    id = fields.IntField(primary_key=True)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="tickets", on_delete=fields.CASCADE)
    service = fields.ForeignKeyField("appointments.ServiceItem", related_name="tickets", null=True,
                                     on_delete=fields.SET_NULL)
    booking = fields.OneToOneField("appointments.Booking", related_name="ticket", null=True,
                                   on_delete=fields.SET_NULL)
    day = fields.DateField()
    kind = fields.CharField(max_length=8)  # booked | walk_in
    number = fields.IntField()
    label = fields.CharField(max_length=8)
    status = fields.CharField(max_length=12, default="waiting")
    window = fields.CharField(max_length=16, null=True)
    created_at = fields.DatetimeField()
    called_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tickets"
        unique_together = (("hall", "day", "kind", "number"),)
        indexes = (("hall_id", "day", "status"),)


class Rating(Model):
    """好差评: a resident's 1–5 score of a completed booking, and the hall's follow-up."""

    id = fields.IntField(primary_key=True)
    booking = fields.OneToOneField("appointments.Booking", related_name="rating", on_delete=fields.CASCADE)
    hall = fields.ForeignKeyField("appointments.Hall", related_name="ratings", on_delete=fields.CASCADE)
    score = fields.IntField()
    comment = fields.TextField(default="")
    follow_up_status = fields.CharField(max_length=12)
    follow_up_note = fields.TextField(default="")
    followed_up_by = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "booking_ratings"
        indexes = (("hall_id", "score"),)
