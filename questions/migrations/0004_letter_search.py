"""Search over published letters with the gazette's machinery, as the 一号答 entries are searched
(0002): a tsvector + GIN on PostgreSQL, an FTS5 table kept by triggers on SQLite. Only published
letters are indexed (their public wording and the reply); letters published before are indexed here."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from bulletin.service import index_text

POSTGRES = """
CREATE TABLE questions_letter_search (
    letter_id INT PRIMARY KEY REFERENCES questions_letters (id) ON DELETE CASCADE,
    tsv tsvector NOT NULL
);
CREATE INDEX questions_letter_search_tsv ON questions_letter_search USING gin (tsv);
"""

SQLITE = """
CREATE TABLE questions_letter_search (
    letter_id INTEGER PRIMARY KEY REFERENCES questions_letters (id) ON DELETE CASCADE,
    tokens TEXT NOT NULL
);
CREATE VIRTUAL TABLE questions_letter_fts USING fts5(
    tokens, content='questions_letter_search', content_rowid='letter_id', tokenize='unicode61'
);
CREATE TRIGGER questions_letter_search_fts_insert AFTER INSERT ON questions_letter_search BEGIN
    INSERT INTO questions_letter_fts (rowid, tokens) VALUES (new.letter_id, new.tokens);
END;
CREATE TRIGGER questions_letter_search_fts_delete AFTER DELETE ON questions_letter_search BEGIN
    INSERT INTO questions_letter_fts (questions_letter_fts, rowid, tokens) VALUES ('delete', old.letter_id, old.tokens);
END;
CREATE TRIGGER questions_letter_search_fts_update AFTER UPDATE ON questions_letter_search BEGIN
    INSERT INTO questions_letter_fts (questions_letter_fts, rowid, tokens) VALUES ('delete', old.letter_id, old.tokens);
    INSERT INTO questions_letter_fts (rowid, tokens) VALUES (new.letter_id, new.tokens);
END;
"""

PUBLISHED = """SELECT id, public_title, public_body, reply FROM questions_letters
WHERE published_at IS NOT NULL AND publish_consent"""


async def create_search(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES if postgres else SQLITE)
    insert = ("INSERT INTO questions_letter_search (letter_id, tsv) VALUES ($1, to_tsvector('simple', $2))" if postgres
              else "INSERT INTO questions_letter_search (letter_id, tokens) VALUES (?, ?)")
    for row in await client.execute_query_dict(PUBLISHED):
        text = "\n".join(row[k] or "" for k in ("public_title", "public_body", "reply"))
        await client.execute_query(insert, [row["id"], index_text(text)])


class Migration(migrations.Migration):
    dependencies = [("questions", "0003_letters")]

    operations = [ops.RunPython(create_search)]
