from datetime import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.case_pages import check_customer
from contactcenter.directory import roles
from contactcenter.directory.models import Branch, User
from contactcenter.typed_dates import check_day
from contactcenter.widgets import NativeDateTimeInput

from .models import Callback, CallbackReason, ContactAttempt


def local_field(label, required=False, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=NativeDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[check_day],
    )


def in_branch_zone(value: datetime | None, branch: Branch) -> datetime | None:
    """A wall-clock time typed by staff means the branch's local time, whatever the server's zone (the
    form field has already read it in the server's current zone: take the wall clock back from that)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.make_naive(value)
    return value.replace(tzinfo=branch.tz)


def operators_of(user):
    """Staff who may take callbacks in the user's branches."""
    return User.objects.holding(roles.OPERATOR, branch=Branch.objects.for_user(user)).by_name()


class CallbackForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), empty_label=_("Choose a branch"))
    customer_phone = forms.CharField(
        label=_("Customer phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Any spelling. A customer not yet known is registered with the name below."),
    )
    customer_name = forms.CharField(label=_("Customer name"), required=False, max_length=200)
    reason = forms.ModelChoiceField(
        label=_("Reason"), queryset=CallbackReason.objects.filter(is_active=True), empty_label=_("Choose a reason")
    )
    customer_said = forms.CharField(
        label=_("What the customer said"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everything they told us, so that nobody asks them again."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Callback.Channel.choices, initial=Callback.Channel.PHONE)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Callback.Priority.choices, coerce=int, initial=Callback.Priority.NORMAL
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Operator"), queryset=User.objects.none(), required=False, empty_label=_("Branch queue")
    )
    window_start = local_field(_("Customer's time from"), help_text=_("Leave empty to use the reason's term."))
    window_end = local_field(_("until"))
    confirm_outside_hours = forms.BooleanField(label=_("Call outside working or calling hours"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["branch"].queryset = Branch.objects.for_user(user).active()
        self.fields["assigned_to"].queryset = operators_of(user)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Register the callback")))

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch")
        if not branch:
            return cleaned
        for name in ("window_start", "window_end"):
            cleaned[name] = in_branch_zone(cleaned.get(name), branch)
        check_customer(self, branch)
        return cleaned


class DuePreviewForm(forms.Form):
    """What the registration form's preview of the due moment is asked with (the query string)."""

    branch = forms.ModelChoiceField(queryset=Branch.objects.none())
    reason = forms.ModelChoiceField(queryset=CallbackReason.objects.filter(is_active=True))
    assigned_to = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.for_user(user).active()
        self.fields["assigned_to"].queryset = operators_of(user)


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactAttempt.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_contact_at = local_field(_("Next contact agreed for"), help_text=_("For “reached” and “call later”."))
    resolution = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For “solved”."),
    )

    override_reason = forms.CharField(
        label=_("Why log a missed attempt before the planned retry"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Supervisors only, kept on the audit trail: e.g. the customer asked to be called again at once."),
    )

    def __init__(self, *args, callback, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.callback = callback
        if user is None or not user.has_perm("callbacks.log_attempt_before_retry"):
            del self.fields["override_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        cleaned["next_contact_at"] = in_branch_zone(cleaned.get("next_contact_at"), self.callback.branch)
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    callbacks = forms.ModelMultipleChoiceField(queryset=Callback.objects.none(), widget=forms.MultipleHiddenInput)
    to = forms.ModelChoiceField(
        label=_("Give to"), queryset=User.objects.none(), required=False, empty_label=_("Branch queue")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["callbacks"].queryset = Callback.objects.for_user(user)
        self.fields["to"].queryset = operators_of(user)
