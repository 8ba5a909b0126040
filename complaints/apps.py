from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaint register")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.alerts.outbound import email_sent
        from contactcenter.deadlines.names import clock_names
        from contactcenter.deadlines.services import due_moved
        from contactcenter.directory.demo import demo_case_steps
        from contactcenter.directory.history import customer_history_sections
        from contactcenter.navigation import Section, sections

        from . import models
        from .defaults import ensure_defaults_after_migrate
        from .demo import add_demo_complaints
        from .history import complaints_section
        from .services import record_forwarding_sent
        from .services.customer_told import tell_answer_moved

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="complaints.ensure_defaults")
        clock_names.connect(models.clock_names, order=20)
        email_sent.connect(record_forwarding_sent, order=10)
        due_moved.connect(tell_answer_moved, order=20)
        customer_history_sections.connect(complaints_section, order=20)
        demo_case_steps.connect(add_demo_complaints, order=20)
        sections.connect(Section(_("Complaints"), "complaints:list", "complaints.view_complaint"), order=40)
