from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

SEATS_CHECK = (
    'ALTER TABLE "booking_slots" ADD CONSTRAINT "booking_slots_seats_within_capacity" '
    "CHECK (booked >= 0 AND booked <= capacity)"
)


async def add_seats_check(apps, schema_editor) -> None:
    """The last line of defence on PostgreSQL: even a bug elsewhere cannot store an overbooked slot.

    SQLite serialises writers and cannot add a constraint to an existing table in place.
    """
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script(SEATS_CHECK)


class Migration(migrations.Migration):
    dependencies = [('server', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='BookingPerson',
            fields=[
                ('id_hash', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('attempts', fields.IntField(default=0)),
            ],
            options={'table': 'booking_persons', 'app': 'appointments', 'pk_attr': 'id_hash', 'table_description': "One row per 身份证 (by lookup hash): locked while that person's quotas are checked."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.DateField(unique=True)),
                ('year', fields.IntField(db_index=True)),
                ('kind', fields.CharField(max_length=8)),
                ('name', fields.CharField(default='', max_length=32)),
                ('stands_in_for', fields.CharField(null=True, max_length=3)),
            ],
            options={'table': 'work_calendar_days', 'app': 'appointments', 'pk_attr': 'id', 'table_description': 'One exception to Monday–Friday: a holiday or a working day (调休).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField(unique=True)),
                ('source', fields.CharField(max_length=16)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'work_calendar_years', 'app': 'appointments', 'pk_attr': 'id', 'table_description': 'Which years the calendar holds, and from where: the library or an admin (authoritative).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Hall',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('address', fields.CharField(default='', max_length=200)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('poi_id', fields.IntField(null=True, db_index=True)),
                ('timezone', fields.CharField(default='Asia/Shanghai', max_length=64)),
                ('windows', fields.IntField(default=1)),
                ('rules', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'halls', 'app': 'appointments', 'pk_attr': 'id', 'table_description': 'A service hall (行政服务大厅 or 街道便民服务中心), linked to its map POI by a plain id.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Closure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='closures', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('start_time', fields.CharField(null=True, max_length=5)),
                ('end_time', fields.CharField(null=True, max_length=5)),
                ('reason', fields.CharField(max_length=200)),
                ('created_by', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'hall_closures', 'app': 'appointments', 'indexes': [Index(fields=['hall_id', 'day'])], 'pk_attr': 'id', 'table_description': 'A hall closed for a day or part of it (slots generated later in that time stay closed).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServiceItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='services', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('department', fields.CharField(default='', max_length=100)),
                ('materials', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('average_minutes', fields.IntField(default=15)),
                ('real_name_required', fields.BooleanField(default=True)),
                ('is_active', fields.BooleanField(default=True)),
                ('schedule', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'hall_services', 'app': 'appointments', 'unique_together': (('hall', 'name'),), 'pk_attr': 'id', 'table_description': 'A 事项 a hall handles, with its weekly schedule (empty until staff set one).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Slot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='slots', on_delete=OnDelete.CASCADE)),
                ('service', fields.ForeignKeyField('appointments.ServiceItem', source_field='service_id', db_constraint=True, to_field='id', related_name='slots', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('start_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('end_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('capacity', fields.IntField()),
                ('booked', fields.IntField(default=0)),
                ('status', fields.CharField(default='open', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_slots', 'app': 'appointments', 'unique_together': (('service', 'start_at', 'end_at'),), 'indexes': [Index(fields=['hall_id', 'day'])], 'pk_attr': 'id', 'table_description': 'A bookable time slot of a service item: seats taken only by a conditional UPDATE.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Booking',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=8)),
                ('account', fields.ForeignKeyField('server.User', source_field='account_id', db_constraint=True, to_field='id', related_name='bookings', on_delete=OnDelete.CASCADE)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='bookings', on_delete=OnDelete.CASCADE)),
                ('service', fields.ForeignKeyField('appointments.ServiceItem', source_field='service_id', db_constraint=True, to_field='id', related_name='bookings', on_delete=OnDelete.CASCADE)),
                ('slot', fields.ForeignKeyField('appointments.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name='bookings', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('slot_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('checkin_deadline', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='booked', max_length=12)),
                ('name_enc', fields.TextField(null=True, unique=False)),
                ('id_number_enc', fields.TextField(null=True, unique=False)),
                ('phone_enc', fields.TextField(null=True, unique=False)),
                ('id_hash', fields.CharField(null=True, max_length=64)),
                ('idempotency_key', fields.CharField(null=True, max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('no_show_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_by', fields.CharField(null=True, max_length=12)),
                ('cancel_reason', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'bookings', 'app': 'appointments', 'unique_together': (('account', 'idempotency_key'),), 'indexes': [Index(fields=['id_hash', 'day']), Index(fields=['hall_id', 'day']), Index(fields=['status', 'checkin_deadline'])], 'pk_attr': 'id', 'table_description': "A person's appointment: name, 身份证 and phone encrypted, the 身份证 also as a keyed hash."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Rating',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('booking', fields.OneToOneField('appointments.Booking', source_field='booking_id', db_constraint=True, to_field='id', related_name='rating', on_delete=OnDelete.CASCADE)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='ratings', on_delete=OnDelete.CASCADE)),
                ('score', fields.IntField()),
                ('comment', fields.TextField(default='', unique=False)),
                ('follow_up_status', fields.CharField(max_length=12)),
                ('follow_up_note', fields.TextField(default='', unique=False)),
                ('followed_up_by', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_ratings', 'app': 'appointments', 'indexes': [Index(fields=['hall_id', 'score'])], 'pk_attr': 'id', 'table_description': "好差评: a resident's 1–5 score of a completed booking, and the hall's follow-up."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.CASCADE)),
                ('service', fields.ForeignKeyField('appointments.ServiceItem', source_field='service_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('booking', fields.OneToOneField('appointments.Booking', source_field='booking_id', null=True, db_constraint=True, to_field='id', related_name='ticket', on_delete=OnDelete.SET_NULL)),
                ('day', fields.DateField()),
                ('kind', fields.CharField(max_length=8)),
                ('number', fields.IntField()),
                ('label', fields.CharField(max_length=8)),
                ('status', fields.CharField(default='waiting', max_length=12)),
                ('window', fields.CharField(null=True, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('called_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tickets', 'app': 'appointments', 'unique_together': (('hall', 'day', 'kind', 'number'),), 'indexes': [Index(fields=['hall_id', 'day', 'status'])], 'pk_attr': 'id', 'table_description': "A queue ticket (取号): A001 after a booked person's check-in, W001 for a walk-in."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketCounter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='ticket_counters', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('kind', fields.CharField(max_length=8)),
                ('last_number', fields.IntField(default=0)),
            ],
            options={'table': 'ticket_counters', 'app': 'appointments', 'unique_together': (('hall', 'day', 'kind'),), 'pk_attr': 'id', 'table_description': 'The last ticket number given per hall, day and kind (A for booked, W for walk-ins).'},
            bases=['Model'],
        ),
        ops.RunPython(add_seats_check),
    ]
