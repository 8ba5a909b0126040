"""The retention periods shipped (days), made by the data migration and again, where missing, after every
``migrate``; an administrator's edit is never changed."""

from .models import Kind

PERIODS = {
    Kind.OUTBOX_BODIES: 90,
    Kind.CLOSED_CALLBACKS: 365,
    Kind.CLOSED_COMPLAINTS: 5 * 365 + 1,
    Kind.AUDIT_ENTRIES: 5 * 365 + 1,
    Kind.WEBHOOK_DELIVERIES: 30,
}

TASK = "privacy.apply_retention"
TASK_NAME = "Apply retention periods"


def ensure_defaults_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label != "privacy":
        return
    apps = apps or live_apps
    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for kind, days in PERIODS.items():
        RetentionPeriod.objects.get_or_create(kind=str(kind), defaults={"days": days})
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not PeriodicTask.objects.filter(task=TASK).exists():
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        nightly, _created = CrontabSchedule.objects.get_or_create(
            minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.get_or_create(name=TASK_NAME, defaults={"task": TASK, "crontab": nightly, "enabled": True})
