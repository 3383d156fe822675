"""Full-text search: tsvectors + GIN on PostgreSQL, an FTS5 table kept by triggers on SQLite."""

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES = """
ALTER TABLE gazette_search
    ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN title_tsv tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN head_tsv tsvector NOT NULL DEFAULT ''::tsvector;
-- Any row over 128 bytes moves its tsvectors out of line: the heap keeps about 90 bytes a
-- document, so collecting the ids of tens of thousands of matches reads few pages, and a
-- match on one lexeme never unpacks a tsvector.
ALTER TABLE gazette_search SET (toast_tuple_target = 128);
CREATE INDEX gazette_search_tsv ON gazette_search USING gin (tsv);
CREATE INDEX gazette_search_title_tsv ON gazette_search USING gin (title_tsv);
CREATE INDEX gazette_search_head_tsv ON gazette_search USING gin (head_tsv);
CREATE INDEX gazette_documents_title_prefix ON gazette_documents (title text_pattern_ops);
"""

SQLITE = """
CREATE VIRTUAL TABLE gazette_fts USING fts5(
    title_tokens, head_tokens, body_tokens,
    content='gazette_search', content_rowid='document_id', tokenize='unicode61'
);
CREATE TRIGGER gazette_search_fts_insert AFTER INSERT ON gazette_search BEGIN
    INSERT INTO gazette_fts (rowid, title_tokens, head_tokens, body_tokens)
    VALUES (new.document_id, new.title_tokens, new.head_tokens, new.body_tokens);
END;
CREATE TRIGGER gazette_search_fts_delete AFTER DELETE ON gazette_search BEGIN
    INSERT INTO gazette_fts (gazette_fts, rowid, title_tokens, head_tokens, body_tokens)
    VALUES ('delete', old.document_id, old.title_tokens, old.head_tokens, old.body_tokens);
END;
CREATE TRIGGER gazette_search_fts_update AFTER UPDATE ON gazette_search BEGIN
    INSERT INTO gazette_fts (gazette_fts, rowid, title_tokens, head_tokens, body_tokens)
    VALUES ('delete', old.document_id, old.title_tokens, old.head_tokens, old.body_tokens);
    INSERT INTO gazette_fts (rowid, title_tokens, head_tokens, body_tokens)
    VALUES (new.document_id, new.title_tokens, new.head_tokens, new.body_tokens);
END;
"""


async def create_search(apps, schema_editor) -> None:
    dialect = schema_editor.client.capabilities.dialect
    await schema_editor.client.execute_script(POSTGRES if dialect == "postgres" else SQLITE)


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0001_initial")]

    operations = [ops.RunPython(create_search)]
