from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from contactcenter import case_events
        from contactcenter.alerts.outbound import email_sent
        from contactcenter.deadlines.scan import clocks_flagged

        from .webhooks import events

        # The webhook events, in the transaction of the change, after the case apps' own receivers.
        case_events.case_opened.connect(events.case_opened, order=10)
        case_events.case_closed.connect(events.case_closed, order=10)
        clocks_flagged.connect(events.clocks_flagged, order=30)
        email_sent.connect(events.complaint_forwarded, order=30)
