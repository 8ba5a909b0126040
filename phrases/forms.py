from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch

from .models import Place, Situation


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Find a phrase"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=settings.LANGUAGES)
    situation = forms.ChoiceField(
        label=_("Situation"), required=False, choices=[("", _("Every situation")), *Situation.choices]
    )


class UseForm(forms.Form):
    """What the panel's script posts when a phrase is inserted."""

    place = forms.ChoiceField(choices=Place.choices, error_messages={"invalid_choice": _("Unknown form.")})
    branch = forms.ModelChoiceField(queryset=Branch.objects.all(), required=False)
