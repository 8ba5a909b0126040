from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "contactcenter.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.calendars.services import calendar_changed

        from . import history  # noqa: F401  (how the clocks' entries read)
        from .beat import ensure_schedules_after_migrate
        from .defaults import ensure_defaults_after_migrate
        from .services import recompute_for_calendar_change

        post_migrate.connect(ensure_schedules_after_migrate, dispatch_uid="deadlines.ensure_schedules")
        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="deadlines.ensure_defaults")
        calendar_changed.connect(recompute_for_calendar_change, order=10)
