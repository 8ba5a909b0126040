"""For data migrations: the periodic tasks of the deadline engine in django-celery-beat's tables."""


def schedule_every_minute(apps, *, name: str, task: str) -> None:
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _created = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every_minute, "enabled": True})


def unschedule(apps, *, task: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=task).delete()
