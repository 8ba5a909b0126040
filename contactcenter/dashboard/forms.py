from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch

from .reports import GROUPINGS


class PromisesFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Due from"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Due until"), widget=forms.DateInput(attrs={"type": "date"}))
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), required=False)
    group_by = forms.ChoiceField(label=_("By"), choices=list(GROUPINGS.items()), initial="kind")

    def __init__(self, data=None, *, user):
        today = timezone.localdate()
        defaults = {"date_from": today - timedelta(days=27), "date_to": today, "group_by": "kind"}
        super().__init__({**defaults, **(data.dict() if data else {})})
        self.fields["branch"].queryset = Branch.objects.for_user(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError(_("The start of the period comes after its end."))
        return cleaned
