"""Account controls: password age and history, the first-password change, idle accounts, TOTP and recovery codes."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('server', '0003_audit_logs')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PasswordHistory',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='password_history', on_delete=OnDelete.CASCADE)),
                ('password_hash', fields.CharField(max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'password_history', 'app': 'server', 'pk_attr': 'id', 'table_description': "Argon2 hashes of an account's recent passwords (a new one may not repeat the last five)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='recovery_codes', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(db_index=True, max_length=80)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recovery_codes', 'app': 'server', 'pk_attr': 'id', 'table_description': 'A one-time code that stands in for the authenticator app, kept only as its keyed hash.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='User',
            name='disabled_reason',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='User',
            name='must_change_password',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='User',
            name='password_changed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='totp_confirmed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='totp_last_step',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='totp_secret_enc',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
