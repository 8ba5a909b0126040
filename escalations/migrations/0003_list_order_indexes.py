"""An index for the list's default order (``EscalationQuerySet.most_urgent_first``), so that its first page does
not sort every escalation. PostgreSQL only: SQLite refuses NULLS FIRST in an index, and the embedded database's
few rows need none. Kept out of the model's Meta for the same reason."""

from django.db import migrations

CREATE = (
    'CREATE INDEX IF NOT EXISTS "escalation_list_order_idx" ON "escalations_escalation" '
    '("closed_at" ASC NULLS FIRST, "due_at" ASC NULLS LAST, "opened_at" DESC, "id" DESC)'
)
DROP = 'DROP INDEX IF EXISTS "escalation_list_order_idx"'


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("escalations", "0002_kinds_policies_roles")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
