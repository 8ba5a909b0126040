"""Schedule the sending of alerts every minute (retries wait for their own time), and let those who look
after a branch see its alerts, failed ones included."""

from django.db import migrations

from contactcenter.directory.roles import grant_permissions

TASK = "contactcenter.alerts.send_alerts"


def forwards(apps, schema_editor):
    watchers = ["Supervisor", "Head of department", "Branch manager", "Deputy director"]
    grant_permissions(apps, "alerts", {role: ["view_alert"] for role in watchers})
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Send alerts", defaults={"task": TASK, "interval": every_minute, "enabled": True}
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_initial"),
        ("directory", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
