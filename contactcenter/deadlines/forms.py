from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PauseReason
from .services import PAUSE_NOTE_MAX_LENGTH


class PauseForm(forms.Form):
    """Why a clock stops: a reason from the admin's list, and words that complete it."""

    reason = forms.ModelChoiceField(label=_("Reason"), queryset=PauseReason.objects.none(), empty_label=None)
    note = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=PAUSE_NOTE_MAX_LENGTH,
        help_text=_("E.g. until when the customer is abroad, which documents are awaited."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = PauseReason.objects.active()
