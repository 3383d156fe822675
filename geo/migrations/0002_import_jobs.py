"""Console import jobs: their state and counts, and the per-feature report."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('geo', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImportItem',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job_id', fields.IntField()),
                ('index', fields.IntField()),
                ('name', fields.CharField(default='', max_length=128)),
                ('result', fields.CharField(max_length=16)),
                ('reason', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'geo_import_items', 'app': 'geo', 'unique_together': (('job_id', 'index'),), 'pk_attr': 'id', 'table_description': "One feature's line of an import job's report: its index in the file, name, result and why it was refused."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImportJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('filename', fields.CharField(default='', max_length=200)),
                ('coord', fields.CharField(default='wgs84', max_length=8)),
                ('status', fields.CharField(default='queued', max_length=16)),
                ('total', fields.IntField(default=0)),
                ('created', fields.IntField(default=0)),
                ('updated', fields.IntField(default=0)),
                ('unchanged', fields.IntField(default=0)),
                ('rejected', fields.IntField(default=0)),
                ('error', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'geo_import_jobs', 'app': 'geo', 'pk_attr': 'id', 'table_description': "A GeoJSON import started from the console: its state and counts, read by every worker's progress page."},
            bases=['Model'],
        ),
    ]
