from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch
from contactcenter.typed_dates import check_period
from contactcenter.widgets import NativeDateInput

from .reports import ratings
from .reports.promises import GROUPINGS

# A period longer than this is a mistake more often than a wish: refused with a message rather than computed
# (as are days outside the bounds of every typed date, ``typed_dates.check_day``).
LONGEST_PERIOD_DAYS = 5 * 366


class ReportFilterForm(forms.Form):
    """The period and the branch every report is filtered by; a missing value takes its default, so the
    page opens on the last ``default_days`` without any parameter."""

    default_days = 28
    date_from_label = _("From")
    date_to_label = _("Until")

    date_from = forms.DateField(widget=NativeDateInput())
    date_to = forms.DateField(widget=NativeDateInput())
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.none(), required=False, empty_label=_("All my branches")
    )

    def __init__(self, data=None, *, user):
        branches = Branch.objects.for_user(user).order_by("code")
        super().__init__({**self.defaults(branches.latest_today()), **(data.dict() if data else {})})
        self.fields["date_from"].label = self.date_from_label
        self.fields["date_to"].label = self.date_to_label
        self.fields["branch"].queryset = branches

    def defaults(self, today: date) -> dict:
        return {"date_from": today - timedelta(days=self.default_days - 1), "date_to": today}

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if not (date_from and date_to):
            return cleaned
        check_period(date_from, date_to)
        if date_from > date_to:
            raise forms.ValidationError(_("The start of the period comes after its end."))
        if (date_to - date_from).days >= LONGEST_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return cleaned


class PromisesFilterForm(ReportFilterForm):
    date_from_label = _("Due from")
    date_to_label = _("Due until")

    group_by = forms.ChoiceField(label=_("By"), choices=list(GROUPINGS.items()))

    def defaults(self, today: date) -> dict:
        return {**super().defaults(today), "group_by": "kind"}


class AgeingFilterForm(ReportFilterForm):
    # An open complaint is old news only when it is answered: by default every one received in the
    # longest period a form takes is shown.
    default_days = LONGEST_PERIOD_DAYS
    date_from_label = _("Received from")
    date_to_label = _("Received until")


class CallbackFiguresForm(ReportFilterForm):
    date_from_label = _("Registered from")
    date_to_label = _("Registered until")


class PhraseFiguresForm(ReportFilterForm):
    date_from_label = _("Inserted from")
    date_to_label = _("Inserted until")


class EscalationFiguresForm(ReportFilterForm):
    date_from_label = _("Opened from")
    date_to_label = _("Opened until")


class RatingsFilterForm(ReportFilterForm):
    date_from_label = _("Sent from")
    date_to_label = _("Sent until")

    group_by = forms.ChoiceField(label=_("By"), choices=list(ratings.GROUPINGS.items()))

    def defaults(self, today: date) -> dict:
        return {**super().defaults(today), "group_by": "kind"}
