"""Schedule the scan every minute in django-celery-beat (editable in the admin) and let every role see
the clocks of its branches."""

from django.db import migrations

from contactcenter.deadlines.beat import schedule_every_minute, unschedule
from contactcenter.directory.roles import grant_permissions

TASK = "contactcenter.deadlines.scan_deadlines"


def forwards(apps, schema_editor):
    grant_permissions(apps, "deadlines")
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
