"""The default escalation kinds with their terms, the clock policy of each level (both in
``escalations.defaults``), and the roles' permissions on escalations."""

from django.db import migrations

from contactcenter.directory.roles import grant_permissions
from escalations.defaults import ensure_defaults


def forwards(apps, schema_editor):
    ensure_defaults(apps)
    grant_permissions(apps, "escalations")


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0001_initial"),
        ("deadlines", "0002_schedule_and_roles"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
