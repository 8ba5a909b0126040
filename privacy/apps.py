from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import customers  # noqa: F401  (how its entries read in a customer's history)
        from .defaults import ensure_defaults_after_migrate

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="privacy.ensure_defaults")
