from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "callbacks"
    verbose_name = _("Callbacks")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contactcenter.directory.demo import DEMO_CASE_STEPS
        from contactcenter.directory.history import CUSTOMER_HISTORY_PROVIDERS

        from .defaults import ensure_defaults_after_migrate
        from .demo import add_demo_callbacks
        from .selectors import callbacks_section

        post_migrate.connect(ensure_defaults_after_migrate, dispatch_uid="callbacks.ensure_defaults")
        for hooks, hook in ((CUSTOMER_HISTORY_PROVIDERS, callbacks_section), (DEMO_CASE_STEPS, add_demo_callbacks)):
            if hook not in hooks:
                hooks.append(hook)
