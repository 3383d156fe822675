"""Corrections and 文号: when a published document was last corrected (the Atom feed's ``updated``),
and every stored 文号 in the standard form of GB/T 9704 (〔2026〕, not [2026]), as editing now stores it."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from bulletin.docnumber import normalize_doc_number


async def standard_doc_numbers(apps, schema_editor) -> None:
    """Rewrite each 文号 typed in another bracket style (or with spaces, 第, full-width digits)."""
    client = schema_editor.client
    update = ("UPDATE gazette_documents SET doc_number = ?1, doc_number_norm = ?1 WHERE id = ?2"
              if client.capabilities.dialect == "sqlite" else
              "UPDATE gazette_documents SET doc_number = $1, doc_number_norm = $1 WHERE id = $2")
    rows = await client.execute_query_dict("SELECT id, doc_number FROM gazette_documents WHERE doc_number IS NOT NULL")
    for row in rows:
        standard = normalize_doc_number(row["doc_number"]) or None
        if standard != row["doc_number"]:
            await client.execute_query(update, [standard, row["id"]])


class Migration(migrations.Migration):
    dependencies = [('bulletin', '0002_search'), ('server', '0001_initial')]

    operations = [
        ops.AddField(
            model_name='Document',
            name='corrected_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(standard_doc_numbers),
    ]
