from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('topic', fields.CharField(max_length=64)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('dedup_key', fields.CharField(null=True, unique=True, max_length=160)),
                ('group_key', fields.CharField(null=True, db_index=True, max_length=64)),
                ('status', fields.CharField(default='pending', max_length=16)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('locked_by', fields.CharField(null=True, max_length=64)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('processed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox', 'app': 'server', 'indexes': [Index(fields=['status', 'due_at'])], 'pk_attr': 'id', 'table_description': 'A side effect (a WeChat message, a fan-out) written in the same transaction as its cause.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushLog',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('purpose', fields.CharField(max_length=32)),
                ('template_id', fields.CharField(max_length=64)),
                ('outcome', fields.CharField(max_length=24)),
                ('outbox_id', fields.BigIntField(null=True, unique=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_log', 'app': 'server', 'pk_attr': 'id', 'table_description': 'Anonymous-enough record of each send attempt: what was sent to whom, for audit and exactly-once checks.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('role', fields.CharField(db_index=True, max_length=16)),
                ('openid', fields.CharField(null=True, unique=True, max_length=64)),
                ('unionid', fields.CharField(null=True, db_index=True, max_length=64)),
                ('username', fields.CharField(null=True, unique=True, max_length=64)),
                ('password_hash', fields.CharField(null=True, max_length=255)),
                ('nickname', fields.CharField(default='', max_length=64)),
                ('phone_enc', fields.TextField(null=True, unique=False)),
                ('phone_hash', fields.CharField(null=True, db_index=True, max_length=64)),
                ('home_lon', fields.FloatField(null=True)),
                ('home_lat', fields.FloatField(null=True)),
                ('halls', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('wechat_session_key_enc', fields.TextField(null=True, unique=False)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'users', 'app': 'server', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='push_grants', on_delete=OnDelete.CASCADE)),
                ('template_id', fields.CharField(max_length=64)),
                ('kind', fields.CharField(max_length=16)),
                ('status', fields.CharField(max_length=16)),
                ('remaining', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_grants', 'app': 'server', 'unique_together': (('user', 'template_id'),), 'pk_attr': 'id', 'table_description': 'What wx.requestSubscribeMessage returned for one template: one-time grants are counted, spent per message.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sessions', 'app': 'server', 'pk_attr': 'id', 'table_description': 'An opaque bearer token, stored only as its SHA-256 hash.'},
            bases=['Model'],
        ),
    ]
