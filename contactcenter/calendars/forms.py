from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch, Team

# Far enough for any real planning, and prev/next links never leave what ``date`` can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2199


class CalendarPreviewForm(forms.Form):
    """Which branch and month the admin's calendar preview shows; both come from the query string."""

    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.order_by("name"),
        empty_label=None,
        error_messages={"invalid_choice": _("There is no branch with this id.")},
    )
    # Chosen from the team's admin page ("calendar preview" link), so the form lists no teams: kept as it is.
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.select_related("branch"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("There is no team with this id.")},
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def clean_month(self) -> date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        try:
            first = datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a month; write it as YYYY-MM, e.g. 2026-11."), params={"value": value}
            ) from None
        if not FIRST_YEAR <= first.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a month between %(first)s and %(last)s."), params={"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return first

    def clean(self):
        cleaned = super().clean()
        branch, team = cleaned.get("branch"), cleaned.get("team")
        if branch is not None and team is not None and team.branch_id != branch.pk:
            self.add_error("team", _("This team belongs to another branch."))
        if branch is not None and "month" in cleaned and cleaned["month"] is None:
            cleaned["month"] = branch.local_now().date().replace(day=1)
        return cleaned
