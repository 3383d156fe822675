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
            name='Account',
            fields=[
                ('user_id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('subscription_count', fields.SmallIntField(default=0)),
                ('bookings_synced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_accounts', 'app': 'feeds', 'pk_attr': 'user_id', 'table_description': 'Per-account feed state: subscriptions counted (at most 20) and bookings synced up to when.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Digest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='feed_digests', on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(max_length=10)),
                ('item_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_digests', 'app': 'feeds', 'unique_together': (('user', 'period'),), 'pk_attr': 'id', 'table_description': 'One digest message sent to an account (at most one a day), with the items it listed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Enterprise',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('credit_code', fields.CharField(db_index=True, max_length=18)),
                ('active_code', fields.CharField(null=True, unique=True, max_length=18)),
                ('industry', fields.CharField(max_length=1)),
                ('size', fields.CharField(max_length=8)),
                ('district', fields.CharField(max_length=12)),
                ('contact_name_enc', fields.TextField(null=True, unique=False)),
                ('contact_phone_enc', fields.TextField(null=True, unique=False)),
                ('status', fields.CharField(default='pending', max_length=12)),
                ('reject_reason', fields.CharField(null=True, max_length=200)),
                ('owner', fields.ForeignKeyField('server.User', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='owned_enterprises', on_delete=OnDelete.SET_NULL)),
                ('subscription_count', fields.SmallIntField(default=0)),
                ('reviewed_by', fields.IntField(null=True)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_enterprises', 'app': 'feeds', 'pk_attr': 'id', 'table_description': "A registered enterprise (企业): the contact person's name and phone are encrypted."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('item_id', fields.IntField()),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('channel', fields.SmallIntField(default=3)),
                ('pending_digest', fields.SmallIntField(null=True)),
                ('read', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_entries', 'app': 'feeds', 'unique_together': (('user_id', 'item_id'),), 'indexes': [Index(fields=['user_id', 'published_at', 'item_id']), Index(fields=['user_id', 'read']), Index(fields=['item_id'])], 'pk_attr': 'id', 'table_description': "One delivery: an item in one account's feed (unique per account and item), read or not."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FanOut',
            fields=[
                ('item_id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('cursor', fields.IntField(default=0)),
                ('delivered', fields.IntField(default=0)),
                ('done', fields.BooleanField(default=False)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_fanouts', 'app': 'feeds', 'pk_attr': 'item_id', 'table_description': "Progress of one item's fan-out: accounts up to ``cursor`` are done, so a restart resumes."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FeedItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=10)),
                ('ref_id', fields.IntField()),
                ('owner', fields.ForeignKeyField('server.User', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='feed_booking_items', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=300)),
                ('summary', fields.CharField(default='', max_length=300)),
                ('source', fields.CharField(default='', max_length=64)),
                ('facts', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('words', fields.TextField(null=True, unique=False)),
                ('topic', fields.CharField(null=True, max_length=32)),
                ('industries', fields.CharField(default='', max_length=64)),
                ('sizes', fields.CharField(default='', max_length=64)),
                ('targeted', fields.BooleanField(default=False)),
                ('status', fields.CharField(default='published', max_length=12)),
                ('notify', fields.BooleanField(default=True)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_items', 'app': 'feeds', 'unique_together': (('kind', 'ref_id'),), 'indexes': [Index(fields=['kind', 'status', 'targeted', 'published_at']), Index(fields=['status', 'published_at'])], 'pk_attr': 'id', 'table_description': "Something that can appear in feeds: a gazette document, a notice, or one account's booking."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('enterprise', fields.ForeignKeyField('feeds.Enterprise', source_field='enterprise_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(unique=True, max_length=64)),
                ('created_by', fields.IntField(null=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_by', fields.IntField(null=True)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_invitations', 'app': 'feeds', 'pk_attr': 'id', 'table_description': 'A one-time invitation code (only its hash is kept) an owner shares with a colleague.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Keyword',
            fields=[
                ('keyword', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('anchor', fields.CharField(db_index=True, max_length=64)),
                ('words', fields.TextField(unique=False)),
            ],
            options={'table': 'feed_keywords', 'app': 'feeds', 'pk_attr': 'keyword', 'table_description': 'A keyword used by some list, with the words it needs, looked up by its anchor word.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('enterprise', fields.ForeignKeyField('feeds.Enterprise', source_field='enterprise_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', db_constraint=True, to_field='id', related_name='enterprise_memberships', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharField(max_length=8)),
                ('notify', fields.BooleanField(default=False)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_memberships', 'app': 'feeds', 'unique_together': (('enterprise', 'user'),), 'indexes': [Index(fields=['user_id', 'notify'])], 'pk_attr': 'id', 'table_description': 'A person in an enterprise, the owner or a member, ``notify`` when they opted in to its messages.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=60)),
                ('body', fields.TextField(unique=False)),
                ('hall_id', fields.IntField(null=True, db_index=True)),
                ('source', fields.CharField(default='', max_length=64)),
                ('facts', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharField(default='published', max_length=12)),
                ('author_id', fields.IntField(null=True)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('withdrawn_reason', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'feed_notices', 'app': 'feeds', 'pk_attr': 'id', 'table_description': "A short announcement (通知公告) by an editor or a hall's staff, tagged like documents."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SubscriberList',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=64)),
                ('criteria', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('criteria_count', fields.SmallIntField(db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_lists', 'app': 'feeds', 'pk_attr': 'id', 'table_description': "Canonical criteria shared by every subscription with exactly these criteria (GOV.UK's lists)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ItemList',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('list', fields.ForeignKeyField('feeds.SubscriberList', source_field='list_id', db_constraint=True, to_field='id', related_name='items', on_delete=OnDelete.CASCADE)),
                ('item', fields.ForeignKeyField('feeds.FeedItem', source_field='item_id', db_constraint=True, to_field='id', related_name='lists', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'feed_item_lists', 'app': 'feeds', 'unique_together': (('list', 'item'),), 'indexes': [Index(fields=['item_id'])], 'pk_attr': 'id', 'table_description': 'An item matched a list (written once at publish, or by a backfill).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ListTerm',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('list', fields.ForeignKeyField('feeds.SubscriberList', source_field='list_id', db_constraint=True, to_field='id', related_name='terms', on_delete=OnDelete.CASCADE)),
                ('criterion', fields.CharField(max_length=16)),
                ('value', fields.CharField(max_length=64)),
            ],
            options={'table': 'feed_list_terms', 'app': 'feeds', 'unique_together': (('criterion', 'value', 'list'),), 'pk_attr': 'id', 'table_description': 'One (criterion, value) of a list: the index that publish-time matching reads.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Subscription',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('server.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='feed_subscriptions', on_delete=OnDelete.CASCADE)),
                ('enterprise', fields.ForeignKeyField('feeds.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='subscriptions', on_delete=OnDelete.CASCADE)),
                ('list', fields.ForeignKeyField('feeds.SubscriberList', source_field='list_id', db_constraint=True, to_field='id', related_name='subscriptions', on_delete=OnDelete.CASCADE)),
                ('frequency', fields.CharField(max_length=10)),
                ('rank', fields.SmallIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feed_subscriptions', 'app': 'feeds', 'indexes': [Index(fields=['list_id', 'user_id', 'rank']), Index(fields=['list_id', 'enterprise_id']), Index(fields=['user_id']), Index(fields=['enterprise_id'])], 'pk_attr': 'id', 'table_description': "A person's or an enterprise's subscription: a list and how often to hear about it."},
            bases=['Model'],
        ),
    ]
