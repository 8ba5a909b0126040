"""The retention periods shipped, and the nightly run in django-celery-beat's tables (02:30 UTC).

A frozen copy of ``privacy.defaults`` as it was when written: editing the defaults never changes what this
migration does; after every ``migrate`` the live defaults make what is missing.
"""

from django.db import migrations

PERIODS = {
    "outbox_email_bodies": 90,
    "closed_callbacks": 365,
    "closed_complaints": 1826,
    "audit_entries": 1826,
}
TASK = "privacy.apply_retention"
TASK_NAME = "Apply retention periods"


def forwards(apps, schema_editor):
    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for kind, days in PERIODS.items():
        RetentionPeriod.objects.get_or_create(kind=kind, defaults={"days": days})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(name=TASK_NAME, defaults={"task": TASK, "crontab": nightly, "enabled": True})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
