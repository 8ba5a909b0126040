from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    label = "feedback"
    verbose_name = _("Customer ratings")

    def ready(self):
        from contactcenter.directory.services import case_concluded

        from . import history  # noqa: F401  (how its entries read in a case's history)
        from .services import offer_questionnaire

        case_concluded.connect(offer_questionnaire, order=10)
