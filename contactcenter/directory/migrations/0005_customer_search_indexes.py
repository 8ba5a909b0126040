"""What the header search reads by substring gets an index on PostgreSQL: ``pg_trgm`` and GIN trigram indexes on
the customer's name (as ``icontains`` reads it: ``UPPER(full_name) LIKE UPPER('%…%')``) and phone (the last digits:
``phone LIKE '%…%'``), and the upper-cased e-mail that the same search compares (without it, that one branch of
the search's OR would make PostgreSQL read the whole table). ``TrigramExtension`` does nothing on another database
(Django's ``CreateExtension`` checks the vendor); the indexes are made only on PostgreSQL for the same reason,
so they are kept out of the model's Meta: SQLite has no GIN and reads its few rows without them."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = [
    'CREATE INDEX IF NOT EXISTS "customer_name_trgm_idx" ON "directory_customer" '
    'USING gin ((UPPER("full_name"::text)) gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS "customer_phone_trgm_idx" ON "directory_customer" USING gin ("phone" gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS "customer_email_upper_idx" ON "directory_customer" (UPPER("email"::text))',
]
DROP = [
    'DROP INDEX IF EXISTS "customer_name_trgm_idx"',
    'DROP INDEX IF EXISTS "customer_phone_trgm_idx"',
    'DROP INDEX IF EXISTS "customer_email_upper_idx"',
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_branch_allows_live_transfer")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
