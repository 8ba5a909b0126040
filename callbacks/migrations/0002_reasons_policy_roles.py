"""The default callback reasons with their clocks, the clock policy of a promised contact (both in
``callbacks.defaults``), and the roles' permissions on callbacks."""

from django.db import migrations

from callbacks.defaults import ensure_defaults
from contactcenter.directory.roles import grant_permissions


def forwards(apps, schema_editor):
    ensure_defaults(apps)
    grant_permissions(apps, "callbacks")


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0001_initial"),
        ("deadlines", "0002_schedule_and_roles"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
