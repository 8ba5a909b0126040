from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "callbacks"
    verbose_name = _("Callbacks")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.deadlines.names import clock_names
        from contactcenter.deadlines.selectors import attention_at_once
        from contactcenter.deadlines.services import due_moved
        from contactcenter.directory.demo import demo_case_steps
        from contactcenter.directory.history import customer_history_sections
        from contactcenter.navigation import Section, sections

        from . import history, models  # noqa: F401  (history: how its entries read)
        from .defaults import ensure_defaults_after_migrate
        from .demo import add_demo_callbacks
        from .selectors import callbacks_section, urgent_untaken_clocks
        from .services import follow_clock_due, tell_agreed_time_moved

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="callbacks.ensure_defaults")
        clock_names.connect(models.clock_names, order=10)
        attention_at_once.connect(urgent_untaken_clocks, order=10)
        due_moved.connect(follow_clock_due, order=25)
        due_moved.connect(tell_agreed_time_moved, order=30)
        customer_history_sections.connect(callbacks_section, order=10)
        demo_case_steps.connect(add_demo_callbacks, order=10)
        sections.connect(Section(_("My callbacks"), "callbacks:mine", "callbacks.change_callback"), order=20)
        sections.connect(Section(_("Callbacks"), "callbacks:list", "callbacks.view_callback"), order=30)
