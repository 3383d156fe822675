from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('server', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Ask',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry_id', fields.IntField(null=True)),
                ('category', fields.CharField(null=True, max_length=32)),
                ('outcome', fields.CharField(max_length=16)),
                ('user_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'questions_asks', 'app': 'questions', 'pk_attr': 'id', 'table_description': 'One question a resident asked: solved by an entry, not solved, or written as a letter.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('label', fields.CharField(max_length=32)),
                ('position', fields.IntField(default=0)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'questions_categories', 'app': 'questions', 'pk_attr': 'id', 'table_description': 'One of the question categories (a seeded, editable vocabulary): stable code, Chinese label.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Department',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=64)),
                ('reply_days', fields.IntField(default=5)),
                ('categories', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('divisions', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'questions_departments', 'app': 'questions', 'pk_attr': 'id', 'table_description': "A department that answers: its reply deadline and what the dispatcher's suggestion matches."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DepartmentMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('questions.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='departments', on_delete=OnDelete.CASCADE)),
                ('is_head', fields.BooleanField(default=False)),
            ],
            options={'table': 'questions_department_members', 'app': 'questions', 'unique_together': (('department', 'user'),), 'pk_attr': 'id', 'table_description': 'An account answering for a department (role answerer), the head gets escalations.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.CharField(max_length=200)),
                ('answer', fields.TextField(unique=False)),
                ('answer_html', fields.TextField(unique=False)),
                ('answer_text', fields.TextField(unique=False)),
                ('category', fields.CharField(db_index=True, max_length=32)),
                ('department', fields.ForeignKeyField('questions.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.SET_NULL)),
                ('services', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('halls', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('pois', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('documents', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('valid_from', fields.DateField(null=True)),
                ('valid_until', fields.DateField(null=True)),
                ('status', fields.CharField(default='draft', db_index=True, max_length=16)),
                ('views', fields.IntField(default=0)),
                ('solved', fields.IntField(default=0)),
                ('not_solved', fields.IntField(default=0)),
                ('source_letter_id', fields.IntField(null=True, unique=True)),
                ('created_by', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'questions_entries', 'app': 'questions', 'pk_attr': 'id', 'table_description': 'A 一号答 knowledge-base entry: a question and its answer (Markdown source, sanitised HTML).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EntrySearch',
            fields=[
                ('entry_id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('question_tokens', fields.TextField(null=True, unique=False)),
                ('answer_tokens', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'questions_entry_search', 'app': 'questions', 'pk_attr': 'entry_id', 'table_description': "Search projection of a published entry: token columns feed SQLite's FTS5 table, PostgreSQL"},
            bases=['Model'],
        ),
    ]
