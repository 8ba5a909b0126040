from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "escalations"
    verbose_name = _("Escalations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.deadlines.names import clock_names
        from contactcenter.deadlines.scan import clocks_flagged
        from contactcenter.deadlines.selectors import attention_at_once
        from contactcenter.deadlines.services import due_moved
        from contactcenter.directory.demo import demo_case_steps
        from contactcenter.directory.history import customer_history_sections
        from contactcenter.navigation import Section, sections

        from . import models
        from .defaults import ensure_defaults_after_migrate
        from .demo import add_demo_escalations
        from .history import escalations_section
        from .selectors import unacknowledged_clocks
        from .services import follow_clock_due, raise_overdue_escalations

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="escalations.ensure_defaults")
        clock_names.connect(models.clock_names, order=30)
        attention_at_once.connect(unacknowledged_clocks, order=20)
        # The raising runs inside the scan's transaction, after the alert outbox (order 10) made the overdue
        # alerts of the level that let the clock run out.
        clocks_flagged.connect(raise_overdue_escalations, order=20)
        due_moved.connect(follow_clock_due, order=10)
        customer_history_sections.connect(escalations_section, order=30)
        demo_case_steps.connect(add_demo_escalations, order=30)
        sections.connect(Section(_("Escalations"), "escalations:list", "escalations.view_escalation"), order=50)
