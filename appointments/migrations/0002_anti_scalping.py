"""Anti-scalping and retention after account deletion: the account lock rows, the refusals staff review,
and bookings' ``erased_at`` with a partial index for the daily job that clears the hashes it keeps."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# The same SQL on both databases: only erased bookings still holding a hash, by slot start.
RETAINED = """
CREATE INDEX bookings_retained_hash ON bookings (slot_start) WHERE erased_at IS NOT NULL AND id_hash IS NOT NULL
"""


async def create_retained_index(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(RETAINED)


class Migration(migrations.Migration):
    dependencies = [('appointments', '0001_initial'), ('server', '0001_initial')]

    operations = [
        ops.CreateModel(
            name='BookingAccount',
            fields=[
                ('account_id', fields.IntField(primary_key=True, generated=False, unique=True, db_index=True)),
                ('attempts', fields.IntField(default=0)),
            ],
            options={'table': 'booking_accounts', 'app': 'appointments', 'pk_attr': 'account_id', 'table_description': "One row per booking account: locked (before the person's row) while its anti-scalping rules are checked."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SharedIdRefusal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hall', fields.ForeignKeyField('appointments.Hall', source_field='hall_id', db_constraint=True, to_field='id', related_name='shared_id_refusals', on_delete=OnDelete.CASCADE)),
                ('id_hash', fields.CharField(max_length=64)),
                ('month', fields.DateField()),
                ('account_id', fields.IntField()),
                ('id_masked', fields.CharField(max_length=18)),
                ('attempts', fields.IntField(default=1)),
                ('first_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_shared_id_refusals', 'app': 'appointments', 'unique_together': (('hall', 'id_hash', 'month', 'account_id'),), 'indexes': [Index(fields=['hall_id', 'month']), Index(fields=['id_hash', 'month'])], 'pk_attr': 'id', 'table_description': 'A booking refused because its 身份证 was already booked from too many accounts that month.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Booking',
            name='erased_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(create_retained_index),
    ]
