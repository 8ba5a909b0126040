from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "contactcenter.calendars"
    label = "calendars"
    verbose_name = _("Business calendars")

    def ready(self):
        from contactcenter.directory.services import calendar_basis_changed

        from .services import recompute_after_basis_change

        calendar_basis_changed.connect(recompute_after_basis_change, order=10)
