"""Schedule the sending of alerts every minute (retries wait for their own time), and let those who look
after a branch see its alerts, failed ones included."""

from django.db import migrations

from contactcenter.deadlines.migrations._frozen_beat import schedule_every_minute, unschedule
from contactcenter.directory.migrations._frozen_roles import grant

TASK = "contactcenter.alerts.send_alerts"
ALERTS = {role: ["view_alert"] for role in ("Supervisor", "Head of department", "Branch manager", "Deputy director")}


def forwards(apps, schema_editor):
    grant(apps, "alerts", ALERTS)
    schedule_every_minute(apps, name="Send alerts", task=TASK)


def backwards(apps, schema_editor):
    unschedule(apps, task=TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_initial"),
        ("directory", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
