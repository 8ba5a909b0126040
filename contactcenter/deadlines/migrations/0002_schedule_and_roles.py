"""Schedule the scan every minute in django-celery-beat (editable in the admin) and let every role see
the clocks of its branches."""

from django.db import migrations

from contactcenter.directory.roles import ALL_ROLES, grant_permissions

TASK = "contactcenter.deadlines.scan_deadlines"


def forwards(apps, schema_editor):
    grant_permissions(apps, "deadlines", {role: ["view_deadline", "view_clockpause"] for role in ALL_ROLES})
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Scan deadlines", defaults={"task": TASK, "interval": every_minute, "enabled": True}
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("directory", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
