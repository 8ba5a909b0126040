from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "contactcenter.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from contactcenter.deadlines.scan import TRANSITION_HANDLERS

        from .services import create_alerts

        if create_alerts not in TRANSITION_HANDLERS:
            TRANSITION_HANDLERS.append(create_alerts)
