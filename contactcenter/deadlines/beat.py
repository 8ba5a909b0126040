"""The periodic tasks of the deadline engine in django-celery-beat's tables: made by the data migrations
and made again, where missing, after every ``migrate`` (an existing schedule, edited in the admin, is kept)."""

SCHEDULES = {
    "contactcenter.deadlines.scan_deadlines": "Scan deadlines",
    "contactcenter.alerts.send_alerts": "Send alerts",
}


# A run queued by beat and not started within this time is dropped: the next minute's run is coming, and
# a burst of stale runs after a stall would only repeat it.
EXPIRE_SECONDS = 50


def schedule_every_minute(apps, *, name: str, task: str) -> None:
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _created = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=name,
        defaults={"task": task, "interval": every_minute, "enabled": True, "expire_seconds": EXPIRE_SECONDS},
    )


def unschedule(apps, *, task: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=task).delete()


def ensure_schedules_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label == "alerts":  # the last of the two apps to migrate
        for task, name in SCHEDULES.items():
            if (
                not (apps or live_apps)
                .get_model("django_celery_beat", "PeriodicTask")
                .objects.filter(task=task)
                .exists()
            ):
                schedule_every_minute(apps or live_apps, name=name, task=task)
