from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "contactcenter.calendars"
    label = "calendars"
    verbose_name = _("Business calendars")

    def ready(self):
        from contactcenter.directory.services import BRANCH_CALENDAR_CHANGED_HANDLERS

        from .services import recompute_after_basis_change

        if recompute_after_basis_change not in BRANCH_CALENDAR_CHANGED_HANDLERS:
            BRANCH_CALENDAR_CHANGED_HANDLERS.append(recompute_after_basis_change)
