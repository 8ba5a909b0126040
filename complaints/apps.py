from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaint register")

    def ready(self):
        from contactcenter.alerts.outbound import SENT_HANDLERS

        from .services import record_forwarding_sent

        if record_forwarding_sent not in SENT_HANDLERS:
            SENT_HANDLERS.append(record_forwarding_sent)
