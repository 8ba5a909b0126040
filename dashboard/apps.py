from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from contactcenter.navigation import Section, sections

        from .selectors import sees_dashboard

        sections.connect(Section(_("Reports"), "dashboard:reports", sees_dashboard), order=80)
