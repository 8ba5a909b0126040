"""The default reasons for a pause. Written out here as they were when this migration was made, rather than read
from ``deadlines.defaults`` (which ``post_migrate`` uses to make them again after a flush): a migration must
not change when the live code does."""

from django.db import migrations

PAUSE_REASONS = [
    ("Waiting for the customer's documents", False),
    ("Customer abroad until…", True),
]


def add_pause_reasons(apps, schema_editor):
    PauseReason = apps.get_model("deadlines", "PauseReason")
    for position, (label, needs_note) in enumerate(PAUSE_REASONS):
        PauseReason.objects.get_or_create(label=label, defaults={"needs_note": needs_note, "position": position})


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0004_pause_reasons")]

    operations = [migrations.RunPython(add_pause_reasons, migrations.RunPython.noop)]
