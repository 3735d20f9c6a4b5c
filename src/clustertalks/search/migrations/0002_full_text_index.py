"""The engine-specific full-text structures, kept in step with search_searchdocument by triggers.

SQLite: an FTS5 table over a view that spreads each row's body into the column of its weight
(A-D), so bm25() can weigh a title or a takeaway above a transcript with column weights.
PostgreSQL: unaccent, an unaccenting English text search configuration, a weighted tsvector
column filled by a trigger, a GIN index on it and a partial one on the strong tier (engine.py).
Other databases get nothing (search.engine.get_engine refuses them).
"""

from django.db import migrations

PG_CONFIG = "clustertalks_search"
FTS_COLUMNS = "title, body_a, body_b, body_c, body_d"


def spread(row: str, named: bool = False) -> str:
    """The title and the body of `row` (new or old) in the columns of the FTS5 table."""
    cases = ", ".join(
        f"CASE WHEN {row}.weight = '{letter}' THEN {row}.body ELSE '' END"
        + (f" AS body_{letter.lower()}" if named else "")
        for letter in "ABCD"
    )
    return f"{row}.title, {cases}"


SQLITE_FORWARD = [
    "CREATE VIEW search_fts_source AS SELECT d.id, "
    + spread("d", named=True)
    + " FROM search_searchdocument AS d",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    f"{FTS_COLUMNS}, content='search_fts_source', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {spread('new')}); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) "
    f"VALUES ('delete', old.id, {spread('old')}); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) "
    f"VALUES ('delete', old.id, {spread('old')}); "
    f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {spread('new')}); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    "DROP VIEW IF EXISTS search_fts_source",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # English stemming, with accents removed from words first: "Kovács" and "kovacs" meet.
    f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector",
    f"""CREATE FUNCTION search_document_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.vector :=
        setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.body, '')), NEW.weight::"char");
      RETURN NEW;
    END $$""",
    "CREATE TRIGGER search_document_vector BEFORE INSERT OR UPDATE OF title, body, weight "
    "ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_document_vector()",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (vector)",
    # The strong tier (see engine.py): talks, takeaways, summaries, people, organisations.
    "CREATE INDEX search_document_strong_gin ON search_searchdocument USING gin (vector) "
    "WHERE kind IN ('talk', 'takeaway', 'summary', 'person', 'organisation')",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_strong_gin",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP TRIGGER IF EXISTS search_document_vector ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_vector()",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def run(direction: int):
    def operation(apps, schema_editor):
        statements = STATEMENTS.get(schema_editor.connection.vendor)
        for statement in statements[direction] if statements else ():
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run(0), run(1))]
