from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "escalations"
    verbose_name = _("Escalations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.deadlines.scan import TRANSITION_HANDLERS
        from contactcenter.deadlines.services import DUE_MOVED_HANDLERS
        from contactcenter.directory.demo import DEMO_CASE_STEPS
        from contactcenter.directory.history import CUSTOMER_HISTORY_PROVIDERS

        from .defaults import ensure_defaults_after_migrate
        from .demo import add_demo_escalations
        from .history import escalations_section
        from .services import follow_clock_due, raise_overdue_escalations

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="escalations.ensure_defaults")
        # The raising runs inside the scan's transaction, after the alert outbox made the overdue alerts of the
        # level that let the clock run out.
        for hooks, hook in (
            (TRANSITION_HANDLERS, raise_overdue_escalations),
            (DUE_MOVED_HANDLERS, follow_clock_due),
            (CUSTOMER_HISTORY_PROVIDERS, escalations_section),
            (DEMO_CASE_STEPS, add_demo_escalations),
        ):
            if hook not in hooks:
                hooks.append(hook)
