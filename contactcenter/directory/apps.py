from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "contactcenter.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from contactcenter.middleware import remember_reading_zone

        from . import history  # noqa: F401  (how the customer's entries read)
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="directory.sync_roles")
        user_logged_in.connect(remember_reading_zone, dispatch_uid="directory.remember_reading_zone")
