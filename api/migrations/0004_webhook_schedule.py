"""Celery beat sends the waiting webhooks every minute (an existing schedule, edited in the admin, stays); a run
not started within 50 s is dropped, the next minute's is coming."""

from django.db import migrations

from contactcenter.deadlines.migrations._frozen_beat import schedule_every_minute, unschedule

TASK = "api.send_webhooks"


def schedule(apps, schema_editor):
    schedule_every_minute(apps, name="Send webhooks", task=TASK)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK, expire_seconds=None).update(
        expire_seconds=50
    )


def backwards(apps, schema_editor):
    unschedule(apps, task=TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, backwards)]
