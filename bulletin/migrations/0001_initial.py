from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('server', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Agency',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('sort_order', fields.IntField(default=1000)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'gazette_agencies', 'app': 'bulletin', 'pk_attr': 'id', 'table_description': 'An issuing agency (发布机构), e.g. 罗湖区发展和改革局, whose code never changes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Issue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField()),
                ('number', fields.IntField()),
                ('total_number', fields.IntField(unique=True)),
                ('title', fields.CharField(max_length=200)),
                ('published_on', fields.DateField()),
                ('sections', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'gazette_issues', 'app': 'bulletin', 'unique_together': (('year', 'number'),), 'pk_attr': 'id', 'table_description': 'One issue of the gazette: 2024年第3期 (总第150期).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Document',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(default='document', max_length=16)),
                ('title', fields.CharField(max_length=300)),
                ('doc_number', fields.CharField(null=True, max_length=64)),
                ('doc_number_norm', fields.CharField(null=True, db_index=True, max_length=64)),
                ('index_number', fields.CharField(null=True, unique=True, max_length=64)),
                ('agency', fields.ForeignKeyField('bulletin.Agency', source_field='agency_id', db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.CASCADE)),
                ('topic', fields.CharField(null=True, max_length=32)),
                ('doc_type', fields.CharField(null=True, max_length=16)),
                ('disclosure', fields.CharField(null=True, max_length=16)),
                ('validity', fields.CharField(default='valid', max_length=16)),
                ('effective_from', fields.DateField(null=True)),
                ('effective_to', fields.DateField(null=True)),
                ('written_on', fields.DateField(null=True)),
                ('published_on', fields.DateField(null=True)),
                ('summary', fields.TextField(default='', unique=False)),
                ('body', fields.TextField(default='', unique=False)),
                ('body_format', fields.CharField(default='markdown', max_length=16)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('body_text', fields.TextField(default='', unique=False)),
                ('status', fields.CharField(default='draft', max_length=16)),
                ('issue', fields.ForeignKeyField('bulletin.Issue', source_field='issue_id', null=True, db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.SET_NULL)),
                ('section', fields.CharField(null=True, max_length=64)),
                ('issue_order', fields.IntField(default=0)),
                ('services', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('pois', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('withdrawn_reason', fields.CharField(null=True, max_length=500)),
                ('created_by', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'gazette_documents', 'app': 'bulletin', 'indexes': [Index(fields=['status', 'published_on']), Index(fields=['issue_id', 'issue_order'])], 'pk_attr': 'id', 'table_description': 'A gazette document or a policy interpretation (政策解读), in any status.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('document', fields.ForeignKeyField('bulletin.Document', source_field='document_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('filename', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=100)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'gazette_attachments', 'app': 'bulletin', 'pk_attr': 'id', 'table_description': 'A file attached to a document, stored under var/attachments by its SHA-256.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DocumentTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('document', fields.ForeignKeyField('bulletin.Document', source_field='document_id', db_constraint=True, to_field='id', related_name='tags', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('value', fields.CharField(max_length=32)),
            ],
            options={'table': 'gazette_document_tags', 'app': 'bulletin', 'unique_together': (('document', 'kind', 'value'),), 'indexes': [Index(fields=['kind', 'value'])], 'pk_attr': 'id', 'table_description': 'What a document concerns, for feeds: a division code, an industry section or a size.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Favorite',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='gazette_favorites', on_delete=OnDelete.CASCADE)),
                ('document', fields.ForeignKeyField('bulletin.Document', source_field='document_id', db_constraint=True, to_field='id', related_name='favorites', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'gazette_favorites', 'app': 'bulletin', 'unique_together': (('user', 'document'),), 'pk_attr': 'id', 'table_description': 'A favourite (收藏) document of a resident.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InterpretationLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('document', fields.ForeignKeyField('bulletin.Document', source_field='document_id', db_constraint=True, to_field='id', related_name='interpretation_links', on_delete=OnDelete.CASCADE)),
                ('interpretation', fields.ForeignKeyField('bulletin.Document', source_field='interpretation_id', db_constraint=True, to_field='id', related_name='interpreted_links', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'gazette_interpretation_links', 'app': 'bulletin', 'unique_together': (('document', 'interpretation'),), 'pk_attr': 'id', 'table_description': 'An interpretation (政策解读) covering a document, many-to-many both ways.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reading',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='gazette_readings', on_delete=OnDelete.CASCADE)),
                ('document', fields.ForeignKeyField('bulletin.Document', source_field='document_id', db_constraint=True, to_field='id', related_name='readings', on_delete=OnDelete.CASCADE)),
                ('position', fields.FloatField(default=0.0)),
                ('first_read_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_read_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'gazette_readings', 'app': 'bulletin', 'unique_together': (('user', 'document'),), 'indexes': [Index(fields=['user_id', 'last_read_at'])], 'pk_attr': 'id', 'table_description': 'One reading history entry of a resident: when they last read a document and how far.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SearchRow',
            fields=[
                ('document_id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('title_tokens', fields.TextField(null=True, unique=False)),
                ('head_tokens', fields.TextField(null=True, unique=False)),
                ('body_tokens', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'gazette_search', 'app': 'bulletin', 'pk_attr': 'document_id', 'table_description': 'Search projection of one published document: only what the engines index.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SearchState',
            fields=[
                ('id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('token', fields.CharField(max_length=32)),
            ],
            options={'table': 'gazette_search_state', 'app': 'bulletin', 'pk_attr': 'id', 'table_description': 'One row: a random token replaced by every change to the search projection (its version).'},
            bases=['Model'],
        ),
    ]
