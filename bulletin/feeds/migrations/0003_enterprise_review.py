"""Enterprise review: pending registrations expire, several accounts may claim one code, and a
verified enterprise's profile changes wait for an admin.

Pending registrations stop holding the unique ``active_code`` (only verified ones do) and get an
``expires_at`` 14 days after they were made.
"""

from datetime import datetime, timedelta

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

PENDING_FOR = timedelta(days=14)


async def release_pending_codes(apps, schema_editor) -> None:
    client = schema_editor.client
    await client.execute_query("UPDATE feed_enterprises SET active_code = NULL WHERE status = 'pending'")
    placeholder = "$1" if client.capabilities.dialect == "postgres" else "?"
    _, rows = await client.execute_query("SELECT id, created_at FROM feed_enterprises WHERE status = 'pending'")
    for row in rows:
        created = row["created_at"]
        if isinstance(created, str):  # SQLite keeps the text it was given: write the same format back
            expires: object = (datetime.fromisoformat(created) + PENDING_FOR).isoformat(
                sep="T" if "T" in created else " ")
        else:
            expires = created + PENDING_FOR
        await client.execute_query(f"UPDATE feed_enterprises SET expires_at = {placeholder} WHERE id = {int(row['id'])}",
                                   [expires])


class Migration(migrations.Migration):
    dependencies = [("feeds", "0002_partial_indexes")]

    operations = [
        ops.AddField(model_name="Enterprise", name="expires_at",
                     field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
        ops.AddField(model_name="Enterprise", name="pending_changes",
                     field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
        ops.AddField(model_name="Enterprise", name="changes_requested_at",
                     field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
        ops.RunPython(release_pending_codes),
    ]
