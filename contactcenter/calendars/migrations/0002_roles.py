"""Managers may look at the calendar overrides; administrators change them."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_roles import grant

CALENDARS = {"Branch manager": ["view_calendaroverride"], "Deputy director": ["view_calendaroverride"]}


def forwards(apps, schema_editor):
    grant(apps, "calendars", CALENDARS)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial"), ("directory", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
