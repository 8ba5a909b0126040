"""The customer's name is searched by the beginnings of its words (``CustomerQuerySet.search``), which PostgreSQL
reads from a GIN index of the name's words (full-text search with the ``simple`` configuration, written as
``directory.models.NameWords`` writes it). The trigram index of the name that the substring search read is
dropped: nothing reads it any more. On another database nothing is done (SQLite reads its few rows without)."""

from django.db import migrations

CREATE = [
    'CREATE INDEX IF NOT EXISTS "customer_name_words_idx" ON "directory_customer" '
    "USING gin ((to_tsvector('simple'::regconfig, \"full_name\")))",
    'DROP INDEX IF EXISTS "customer_name_trgm_idx"',
]
DROP = [
    'DROP INDEX IF EXISTS "customer_name_words_idx"',
    'CREATE INDEX IF NOT EXISTS "customer_name_trgm_idx" ON "directory_customer" '
    'USING gin ((UPPER("full_name"::text)) gin_trgm_ops)',
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_customer_emails")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
