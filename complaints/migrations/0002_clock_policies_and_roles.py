"""The policies of a complaint's three clocks (editable in the admin afterwards) and the roles' permissions."""

from django.db import migrations

from complaints.defaults import POLICIES, ensure_defaults
from contactcenter.directory.roles import grant_permissions


def forwards(apps, schema_editor):
    ensure_defaults(apps)
    grant_permissions(apps, "complaints")


def backwards(apps, schema_editor):
    apps.get_model("deadlines", "ClockPolicy").objects.filter(kind__in=[p["kind"] for p in POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("deadlines", "0002_schedule_and_roles"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
