from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhrasesConfig(AppConfig):
    name = "phrases"
    verbose_name = _("Standard phrases")

    def ready(self):
        from contactcenter.navigation import Section, sections

        sections.connect(Section(_("Phrases"), "phrases:library", "phrases.view_phrase"), order=75)
