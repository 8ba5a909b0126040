from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "contactcenter.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.calendars.services import CALENDAR_CHANGED_HANDLERS

        from .beat import ensure_schedules_after_migrate

        post_migrate.connect(ensure_schedules_after_migrate, dispatch_uid="deadlines.ensure_schedules")

        from .services import recompute_for_calendar_change

        if recompute_for_calendar_change not in CALENDAR_CHANGED_HANDLERS:
            CALENDAR_CHANGED_HANDLERS.append(recompute_for_calendar_change)
