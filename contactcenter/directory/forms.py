from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import TIME_ZONE_NAMES, Branch, Customer
from .phones import parse_phone


class CustomerForm(forms.ModelForm):
    """Register or edit a customer; the branch is one of the user's own."""

    time_zone = forms.ChoiceField(
        label=_("time zone"),
        required=False,
        choices=[("", _("the branch's")), *[(name, name) for name in TIME_ZONE_NAMES]],
        help_text=_(
            "Where the customer is, when not in the branch's zone: the time of a callback is written in it, and they "
            "are called only in their calling hours. Left at “the branch's”, a new customer gets the zone their "
            "number tells (a landline's area code; a Russian mobile number tells none)."
        ),
    )

    class Meta:
        model = Customer
        fields = [
            "branch",
            "full_name",
            "phone",
            "email",
            "email_consent",
            "preferred_language",
            "time_zone",
            "notes",
        ]
        widgets = {
            "phone": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "+7 495 123-45-67"}
            ),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"phone": _("Any spelling: 8 (495) 123-45-67, +7 495 1234567…")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.for_user(user).active()
        if self.instance.pk:
            # A customer stays with the branch that registered them.
            self.fields["branch"].disabled = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        cleaned = super().clean()
        branch, phone = cleaned.get("branch"), cleaned.get("phone")
        if branch and phone:
            try:
                cleaned["phone"] = parse_phone(phone, branch.country)
            except ValidationError as error:
                self.add_error("phone", error)
        return cleaned


class CustomerMergeForm(forms.Form):
    """Which of two records of one person is kept, and the supervisor's confirmation."""

    keep = forms.ChoiceField(label=_("Record to keep"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Why (for the audit trail)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I have checked that both records are the same person; move every case to the record kept."),
        error_messages={"required": _("Tick the box to confirm the merge.")},
    )

    def __init__(self, *args, first: Customer, second: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {str(first.pk): first, str(second.pk): second}
        self.fields["keep"].choices = [
            (str(customer.pk), f"{customer.full_name} · {customer.phone_display} (#{customer.pk})")
            for customer in (first, second)
        ]
        self.fields["keep"].initial = str(first.pk)

    def kept_and_removed(self) -> tuple[Customer, Customer]:
        kept = self.records[self.cleaned_data["keep"]]
        removed = next(customer for key, customer in self.records.items() if key != self.cleaned_data["keep"])
        return kept, removed
