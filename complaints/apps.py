from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaint register")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.alerts.outbound import SENT_HANDLERS
        from contactcenter.directory.demo import DEMO_CASE_STEPS

        from .defaults import ensure_defaults_after_migrate
        from .demo import add_demo_complaints
        from .services import record_forwarding_sent

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="complaints.ensure_defaults")
        for hooks, hook in ((SENT_HANDLERS, record_forwarding_sent), (DEMO_CASE_STEPS, add_demo_complaints)):
            if hook not in hooks:
                hooks.append(hook)
