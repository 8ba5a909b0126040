"""Frozen for the data migrations of deadlines and alerts: a task every minute in django-celery-beat's tables.

A copy of ``deadlines.beat`` as it was when the migrations were written (Django skips migration modules whose
name starts with "_"). Never edit it; after every ``migrate`` the live ``beat.ensure_schedules_after_migrate``
makes a missing schedule again.
"""


def schedule_every_minute(apps, *, name: str, task: str) -> None:
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _created = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every_minute, "enabled": True})


def unschedule(apps, *, task: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=task).delete()
