from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "contactcenter.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from contactcenter.calendars.services import CALENDAR_CHANGED_HANDLERS

        from .services import recompute_for_calendar_change

        if recompute_for_calendar_change not in CALENDAR_CHANGED_HANDLERS:
            CALENDAR_CHANGED_HANDLERS.append(recompute_for_calendar_change)
