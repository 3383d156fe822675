"""The operation and login logs (server/audit.py). On PostgreSQL a trigger refuses every UPDATE of an
entry, and every DELETE except the retention purge's (which sets ``bianmin.audit_purge`` for its
transaction); SQLite has no such guard, and the hash chain is what detects a change there."""

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION bianmin_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('bianmin.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'bianmin: % is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_operations_append_only BEFORE UPDATE OR DELETE ON audit_operations
    FOR EACH ROW EXECUTE FUNCTION bianmin_audit_append_only();
CREATE TRIGGER audit_logins_append_only BEFORE UPDATE OR DELETE ON audit_logins
    FOR EACH ROW EXECUTE FUNCTION bianmin_audit_append_only();
"""


async def append_only(apps, schema_editor) -> None:
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script(APPEND_ONLY)



class Migration(migrations.Migration):
    dependencies = [('server', '0002_login_guards')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditChainStart',
            fields=[
                ('log', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('first_id', fields.BigIntField()),
                ('prev_hash', fields.CharField(max_length=80)),
                ('purged_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('seal', fields.CharField(max_length=80)),
            ],
            options={'table': 'audit_chain_starts', 'app': 'server', 'pk_attr': 'log', 'table_description': "Where a log's chain starts after a retention purge: the first kept entry and the hash it links to,"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginLog',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('username', fields.CharField(db_index=True, max_length=64)),
                ('user_id', fields.IntField(null=True, db_index=True)),
                ('result', fields.CharField(max_length=64)),
                ('ip', fields.CharField(default='', max_length=64)),
                ('user_agent', fields.CharField(default='', max_length=256)),
                ('prev_hash', fields.CharField(max_length=80)),
                ('hash', fields.CharField(max_length=80)),
            ],
            options={'table': 'audit_logins', 'app': 'server', 'pk_attr': 'id', 'table_description': '登录日志: every staff, editor and admin login attempt. Append-only and hash-chained like OperationLog.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OperationLog',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('kind', fields.CharField(max_length=16)),
                ('actor_id', fields.IntField(null=True, db_index=True)),
                ('actor_role', fields.CharField(default='', max_length=16)),
                ('actor_halls', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('method', fields.CharField(default='', max_length=8)),
                ('route', fields.CharField(default='', max_length=200)),
                ('action', fields.CharField(db_index=True, max_length=120)),
                ('target', fields.CharField(default='', db_index=True, max_length=200)),
                ('before', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('after', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('ip', fields.CharField(default='', max_length=64)),
                ('status', fields.IntField(default=0)),
                ('result', fields.CharField(default='', max_length=64)),
                ('prev_hash', fields.CharField(max_length=80)),
                ('hash', fields.CharField(max_length=80)),
            ],
            options={'table': 'audit_operations', 'app': 'server', 'pk_attr': 'id', 'table_description': '操作日志: one write by staff, an editor or an admin, or one reveal of personal data. Append-only,'},
            bases=['Model'],
        ),
        ops.RunPython(append_only),
    ]
