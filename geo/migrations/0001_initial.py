from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Category',
            fields=[
                ('code', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('name', fields.CharField(max_length=64)),
                ('parent_code', fields.CharField(null=True, max_length=64)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'geo_categories', 'app': 'geo', 'pk_attr': 'code', 'table_description': 'One node of the category tree (reference data from geo/categories.py).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Division',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=64)),
                ('level', fields.CharField(max_length=16)),
                ('parent_code', fields.CharField(null=True, db_index=True, max_length=32)),
                ('geometry', fields.TextField(unique=False)),
                ('min_lon', fields.FloatField()),
                ('min_lat', fields.FloatField()),
                ('max_lon', fields.FloatField()),
                ('max_lat', fields.FloatField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'geo_divisions', 'app': 'geo', 'pk_attr': 'id', 'table_description': 'An administrative area: district (区), street (街道) or community (社区).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Poi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=128)),
                ('category', fields.CharField(db_index=True, max_length=64)),
                ('address', fields.CharField(default='', max_length=256)),
                ('phone', fields.CharField(default='', max_length=64)),
                ('lon', fields.FloatField()),
                ('lat', fields.FloatField()),
                ('opening_hours', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharField(default='open', db_index=True, max_length=24)),
                ('accessibility', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('tags', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('source_id', fields.CharField(null=True, unique=True, max_length=128)),
                ('hall_id', fields.IntField(null=True, db_index=True)),
                ('search_key', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'geo_pois', 'app': 'geo', 'pk_attr': 'id', 'table_description': 'A service point (服务点). Closed points stay, so imports and halls keep their ids.'},
            bases=['Model'],
        ),
    ]
