from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .defaults import ensure_defaults_after_migrate

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="privacy.ensure_defaults")
