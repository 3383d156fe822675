"""Change stamps every process on the database sees, and the log of session revocations."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('server', '0004_account_controls')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ChangeStamp',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('version', fields.BigIntField()),
                ('changed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'change_stamps', 'app': 'server', 'pk_attr': 'name', 'table_description': 'A counter per kind of shared data, bumped by every change, seen by every process.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SessionRevocation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(null=True, max_length=64)),
                ('user_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'session_revocations', 'app': 'server', 'pk_attr': 'id', 'table_description': 'A logout or a change of role or halls, kept while a session cache may still hold what it revoked.'},
            bases=['Model'],
        ),
    ]
