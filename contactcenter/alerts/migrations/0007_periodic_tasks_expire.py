"""The every-minute tasks expire after 50 s: a run queued by beat and not started by then is dropped, since the
next one is coming (frozen here: this migration imports no live module)."""

from django.db import migrations

TASKS = ["contactcenter.deadlines.scan_deadlines", "contactcenter.alerts.send_alerts"]


def forwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=TASKS, expire_seconds=None, expires=None).update(expire_seconds=50)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0006_mail_server_status"),
        ("deadlines", "0002_schedule_and_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
