from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from contactcenter.case_pages import check_customer
from contactcenter.directory import roles
from contactcenter.directory.models import Branch, User
from contactcenter.typed_dates import check_day
from contactcenter.widgets import NativeDateInput

from .models import Escalation, EscalationKind


def staff_of(user, *role_names):
    """Active staff with one of these roles in the user's branches."""
    return User.objects.holding(*role_names, branch=Branch.objects.for_user(user)).by_name()


class KindSelect(forms.RadioSelect):
    """Big radio rows that say what follows from each kind (first level, security, whether it names an operator)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        kind = getattr(value, "instance", None)
        if kind is not None:
            option["kind"] = kind
            option["attrs"]["data-names-operator"] = "true" if kind.names_an_operator else "false"
            option["attrs"]["data-allows-transfer"] = "true" if kind.allows_live_transfer else "false"
        return option


class EscalationForm(forms.Form):
    """The operator's short form, filled while the customer is on the line."""

    TRANSFER_NONE = ""
    TRANSFER_DECLINED = "declined"
    TRANSFER_UNANSWERED = "unanswered"
    TRANSFER_ANSWERED = "answered"
    TRANSFER_CHOICES = [
        (TRANSFER_NONE, _("No live transfer: record the request")),
        (TRANSFER_UNANSWERED, _("Transfer tried, nobody answered")),
        (TRANSFER_ANSWERED, _("Transfer answered: handled live")),
        (TRANSFER_DECLINED, _("Transfer offered, the customer did not agree")),
    ]

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), empty_label=_("Choose a branch"))
    customer_phone = forms.CharField(
        label=_("Customer phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "class": "form-control-lg"}),
        help_text=_("Any spelling. A customer not yet known is registered with the name below."),
    )
    customer_name = forms.CharField(label=_("Customer name"), required=False, max_length=200)
    kind = forms.ModelChoiceField(
        label=_("What happened"),
        queryset=EscalationKind.objects.filter(is_active=True),
        widget=KindSelect(attrs={"class": "form-check-input"}),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a kind of escalation from the list.")},
    )
    customer_wants = forms.CharField(
        label=_("What the customer wants, in their words"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    about_operator = forms.ModelChoiceField(
        label=_("Operator complained about"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Me"),
        help_text=_("Only for a complaint about an operator."),
    )
    transfer = forms.ChoiceField(
        label=_("Live transfer"),
        choices=TRANSFER_CHOICES,
        required=False,
        initial=TRANSFER_NONE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    transfer_to = forms.ModelChoiceField(
        label=_("Put through to"), queryset=User.objects.none(), required=False, empty_label=_("— choose —")
    )
    transfer_to_name = forms.CharField(
        label=_("or to (a role)"),
        required=False,
        max_length=200,
        help_text=_("e.g. “senior operator on duty”, when it is not one of the people listed."),
    )
    callback = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    complaint = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        from callbacks.models import Callback
        from complaints.models import Complaint

        super().__init__(*args, **kwargs)
        self.user = user
        branches = Branch.objects.for_user(user).active()
        self.fields["branch"].queryset = branches
        if "branch" not in self.initial and len(branches) == 1:
            self.initial["branch"] = branches[0].pk
        self.fields["about_operator"].queryset = staff_of(user, roles.OPERATOR)
        self.fields["transfer_to"].queryset = staff_of(user, *roles.SENIOR_STAFF)
        self.fields["callback"].queryset = Callback.objects.for_user(user)
        self.fields["complaint"].queryset = Complaint.objects.for_user(user)
        self.transfer_possible = branches.filter(allows_live_transfer=True).exists()
        if not self.transfer_possible:
            for name in ("transfer", "transfer_to", "transfer_to_name"):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("transfer") and not (cleaned.get("transfer_to") or cleaned.get("transfer_to_name", "").strip()):
            self.add_error("transfer_to", _("Say to whom the call was to be put through."))
        branch = cleaned.get("branch")
        source = cleaned.get("callback") or cleaned.get("complaint")
        if source is None:
            check_customer(self, branch)
        elif branch is not None and source.branch_id != branch.pk:
            self.add_error("branch", _("The case belongs to branch %(branch)s.") % {"branch": source.branch.code})
        return cleaned

    @property
    def transfer_flags(self) -> tuple[bool, bool] | None:
        """(customer agreed, answered), or None when no transfer was tried."""
        choice = self.cleaned_data.get("transfer")
        if not choice:
            return None
        return choice != self.TRANSFER_DECLINED, choice == self.TRANSFER_ANSWERED


class TransferForm(forms.Form):
    to_user = forms.ModelChoiceField(
        label=_("Put through to"), queryset=User.objects.none(), required=False, empty_label=_("— choose —")
    )
    to_name = forms.CharField(label=_("or to (a role)"), required=False, max_length=200)
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (EscalationForm.TRANSFER_UNANSWERED, _("nobody answered")),
            (EscalationForm.TRANSFER_ANSWERED, _("answered: handled live")),
            (EscalationForm.TRANSFER_DECLINED, _("the customer did not agree")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, escalation, **kwargs):
        from .selectors import handlers_of

        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = handlers_of(escalation.branch)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("to_user") or cleaned.get("to_name", "").strip()):
            self.add_error("to_user", _("Say to whom the call was to be put through."))
        return cleaned


class ContactForm(forms.Form):
    note = forms.CharField(
        label=_("What was said with the customer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Escalation.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What was done or agreed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed unless it turns into a complaint (then it is added to the complaint's summary)."),
    )
    complaint_category = forms.ChoiceField(
        label=_("Complaint category"), required=False, help_text=_("For “turned into a complaint”.")
    )

    def __init__(self, *args, escalation, **kwargs):
        from complaints.models import Category

        from .services import COMPLAINT_CATEGORY_OF_KIND

        super().__init__(*args, **kwargs)
        self.fields["complaint_category"].choices = Category.choices
        self.fields["complaint_category"].initial = COMPLAINT_CATEGORY_OF_KIND.get(escalation.kind.code, "service")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class FiguresForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=NativeDateInput(), validators=[check_day])
    date_to = forms.DateField(label=_("To"), widget=NativeDateInput(), validators=[check_day])
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.none(), required=False, empty_label=_("All my branches")
    )

    def __init__(self, data=None, *, user):
        branches = Branch.objects.for_user(user)
        today = branches.latest_today()
        initial = {"date_from": today.replace(day=1), "date_to": today}
        if data is not None and not any(data.get(name) for name in ("date_from", "date_to", "branch")):
            data = None  # the page opened without a choice: this month so far
        super().__init__(data, initial=initial)
        self.fields["branch"].queryset = branches

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period must not come before its start."))
        if start and end and (end - start).days > 366:
            self.add_error("date_to", _("Choose a period of at most a year."))
        return cleaned

    def period(self) -> tuple[date, date, Branch | None]:
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return data["date_from"], data["date_to"], data["branch"]
        return self.initial["date_from"], self.initial["date_to"], None
