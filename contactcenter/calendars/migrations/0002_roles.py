"""Managers may look at the calendar overrides; administrators change them."""

from django.db import migrations

from contactcenter.directory.roles import grant_permissions


def forwards(apps, schema_editor):
    grant_permissions(apps, "calendars")


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial"), ("directory", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
