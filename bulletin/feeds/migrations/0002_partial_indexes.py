"""Partial indexes the ORM cannot declare: entries waiting for a digest (the same SQL on both databases)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

PARTIAL = """
CREATE INDEX feed_entries_pending_digest ON feed_entries (pending_digest, user_id) WHERE pending_digest IS NOT NULL
"""


async def create_partial_indexes(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(PARTIAL)


class Migration(migrations.Migration):
    dependencies = [("feeds", "0001_initial")]

    operations = [ops.RunPython(create_partial_indexes)]
