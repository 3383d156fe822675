"""Search over 一号答 entries, as the gazette searches: tsvectors + GIN on PostgreSQL (the question
alone, and question + answer), an FTS5 table kept by triggers on SQLite."""

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES = """
ALTER TABLE questions_entry_search
    ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN question_tsv tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX questions_entry_search_tsv ON questions_entry_search USING gin (tsv);
CREATE INDEX questions_entry_search_question_tsv ON questions_entry_search USING gin (question_tsv);
CREATE INDEX questions_entries_question_prefix ON questions_entries (question text_pattern_ops);
"""

SQLITE = """
CREATE VIRTUAL TABLE questions_entry_fts USING fts5(
    question_tokens, answer_tokens,
    content='questions_entry_search', content_rowid='entry_id', tokenize='unicode61'
);
CREATE TRIGGER questions_entry_search_fts_insert AFTER INSERT ON questions_entry_search BEGIN
    INSERT INTO questions_entry_fts (rowid, question_tokens, answer_tokens)
    VALUES (new.entry_id, new.question_tokens, new.answer_tokens);
END;
CREATE TRIGGER questions_entry_search_fts_delete AFTER DELETE ON questions_entry_search BEGIN
    INSERT INTO questions_entry_fts (questions_entry_fts, rowid, question_tokens, answer_tokens)
    VALUES ('delete', old.entry_id, old.question_tokens, old.answer_tokens);
END;
CREATE TRIGGER questions_entry_search_fts_update AFTER UPDATE ON questions_entry_search BEGIN
    INSERT INTO questions_entry_fts (questions_entry_fts, rowid, question_tokens, answer_tokens)
    VALUES ('delete', old.entry_id, old.question_tokens, old.answer_tokens);
    INSERT INTO questions_entry_fts (rowid, question_tokens, answer_tokens)
    VALUES (new.entry_id, new.question_tokens, new.answer_tokens);
END;
"""


async def create_search(apps, schema_editor) -> None:
    dialect = schema_editor.client.capabilities.dialect
    await schema_editor.client.execute_script(POSTGRES if dialect == "postgres" else SQLITE)


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = [ops.RunPython(create_search)]
