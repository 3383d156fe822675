"""Staff login lock-out in the database (it survives the loss of Redis): see server/lockout.py."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('server', '0001_initial')]

    operations = [
        ops.CreateModel(
            name='LoginGuard',
            fields=[
                ('name_hash', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('t1', fields.FloatField(null=True)),
                ('t2', fields.FloatField(null=True)),
                ('t3', fields.FloatField(null=True)),
                ('t4', fields.FloatField(null=True)),
                ('t5', fields.FloatField(null=True)),
            ],
            options={'table': 'login_guards', 'app': 'server', 'pk_attr': 'name_hash', 'table_description': 'Staff login lock-out: the times of the last five guesses evaluated for one username.'},
            bases=['Model'],
        ),
    ]
