"""Schedule the scan every minute in django-celery-beat (editable in the admin) and let every role see
the clocks of its branches."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_roles import grant

from ._frozen_beat import schedule_every_minute, unschedule

TASK = "contactcenter.deadlines.scan_deadlines"
_STAFF = ("Operator", "Supervisor", "Head of department", "Branch manager", "Deputy director", "Security")
DEADLINES = {role: ["view_deadline", "view_clockpause"] for role in _STAFF}


def forwards(apps, schema_editor):
    grant(apps, "deadlines", DEADLINES)
    schedule_every_minute(apps, name="Scan deadlines", task=TASK)


def backwards(apps, schema_editor):
    unschedule(apps, task=TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("directory", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
