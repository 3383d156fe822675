"""Letters to the district: columns, 人民建议 campaigns, photos, letters and their steps."""

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('questions', '0002_search'), ('server', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Campaign',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=100)),
                ('description', fields.TextField(default='', unique=False)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'questions_campaigns', 'app': 'questions', 'pk_attr': 'id', 'table_description': 'A 人民建议 campaign: residents submit suggestions to it between its dates.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Column',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=32)),
                ('description', fields.TextField(default='', unique=False)),
                ('kind', fields.CharField(default='letter', max_length=16)),
                ('position', fields.IntField(default=0)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'questions_columns', 'app': 'questions', 'pk_attr': 'id', 'table_description': 'A letter column residents write to (书记信箱, 区长信箱, ...), configurable by admins.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Letter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('column', fields.ForeignKeyField('questions.Column', source_field='column_id', db_constraint=True, to_field='id', related_name='letters', on_delete=OnDelete.CASCADE)),
                ('user_id', fields.IntField(null=True, db_index=True)),
                ('title', fields.CharField(max_length=100)),
                ('body', fields.TextField(unique=False)),
                ('category', fields.CharField(null=True, max_length=32)),
                ('lon', fields.FloatField(null=True)),
                ('lat', fields.FloatField(null=True)),
                ('division', fields.CharField(null=True, max_length=12)),
                ('publish_consent', fields.BooleanField(default=False)),
                ('phone_enc', fields.TextField(null=True, unique=False)),
                ('phone_hash', fields.CharField(null=True, db_index=True, max_length=64)),
                ('status', fields.CharField(db_index=True, max_length=16)),
                ('department_id', fields.IntField(null=True, db_index=True)),
                ('suggested_department_id', fields.IntField(null=True)),
                ('due_on', fields.DateField(null=True)),
                ('reply', fields.TextField(null=True, unique=False)),
                ('replied_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('rating', fields.CharField(null=True, max_length=24)),
                ('reopens', fields.IntField(default=0)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('overdue_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('escalated_to', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('public_title', fields.CharField(null=True, max_length=100)),
                ('public_body', fields.TextField(null=True, unique=False)),
                ('campaign_id', fields.IntField(null=True, db_index=True)),
                ('adopted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('adoption_note', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'questions_letters', 'app': 'questions', 'pk_attr': 'id', 'table_description': "A resident's letter to the district and where it stands (see questions/model.py for its life)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LetterStep',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('letter', fields.ForeignKeyField('questions.Letter', source_field='letter_id', db_constraint=True, to_field='id', related_name='steps', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('actor_id', fields.IntField(null=True)),
                ('department_id', fields.IntField(null=True)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'questions_letter_steps', 'app': 'questions', 'pk_attr': 'id', 'table_description': "One step in a letter's life, shown to the resident as its timeline."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Photo',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('letter_id', fields.IntField(null=True, db_index=True)),
                ('sha256', fields.CharField(max_length=64)),
                ('content_type', fields.CharField(max_length=32)),
                ('size', fields.IntField()),
                ('check', fields.CharField(default='passed', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'questions_photos', 'app': 'questions', 'pk_attr': 'id', 'table_description': 'An image a resident attached to a letter (checked by WeChat, kept by its SHA-256).'},
            bases=['Model'],
        ),
    ]
