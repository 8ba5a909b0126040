from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "contactcenter.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from contactcenter.deadlines.scan import clocks_flagged

        from .customers import record_customer_told
        from .outbound import email_sent
        from .services import create_alerts

        # First: the escalations (order 20) raise a level after the alerts of the level that ran out exist.
        clocks_flagged.connect(create_alerts, order=10)
        # After the case's own receivers: the proof that a customer was told goes on the case's trail.
        email_sent.connect(record_customer_told, order=20)
