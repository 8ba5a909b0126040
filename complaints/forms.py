"""The forms of the register. They explain what is wrong; the services decide (and check again)."""

from __future__ import annotations

from functools import partial

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.case_pages import check_customer, show_service_error
from contactcenter.deadlines.forms import PauseForm
from contactcenter.directory.models import Branch
from contactcenter.typed_dates import check_day
from contactcenter.widgets import NativeDateInput, NativeDateTimeInput

from . import photos, selectors, services
from .models import AnswerChannel, Channel, Complaint, LetterTemplate, choice_list


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time with no zone: the form places it in its branch's time zone (``in_zone``)."""

    widget = NativeDateTimeInput
    default_validators = [check_day]

    def to_python(self, value):
        result = super().to_python(value)
        # Django made it aware in the server's zone; take the wall-clock time back.
        return None if result is None else timezone.make_naive(result)


def in_zone(naive, tz):
    return None if naive is None else timezone.make_aware(naive, tz)


def local_now(tz):
    return timezone.localtime(timezone.now(), tz).replace(tzinfo=None, second=0, microsecond=0)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PagePhotosField(forms.FileField):
    """Several photos in one field; each one checked and normalised (``photos.prepare_photos``)."""

    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment", "class": "form-control"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return photos.prepare_photos(uploads)


def _helper(action: str, label, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.form_action = action
    button = Submit("submit", label)
    button.field_classes = f"btn {css}"  # instead of crispy's btn-primary, not beside it
    helper.add_input(button)
    return helper


class ComplaintRegistrationForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), empty_label=_("Choose a branch"))
    received_at = LocalDateTimeField(label=_("Received"), help_text=_("In the branch's local time."))
    channel = forms.ChoiceField(
        label=_("Channel"), choices=partial(choice_list, "channel"), initial=Channel.COMPLAINT_BOOK
    )
    customer_phone = forms.CharField(
        label=_("Customer's phone"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "+7 495 123-45-67"}),
        help_text=_("Any spelling: 8 (495) 123-45-67, +7 495 1234567…"),
    )
    customer_name = forms.CharField(
        label=_("Customer's name"),
        max_length=200,
        required=False,
        help_text=_("Needed only for a customer the branch does not know yet."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=lambda: [("", _("Choose a category")), *choice_list("category")]
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    pages = PagePhotosField(label=_("Photos of the pages"), required=False)
    forward = forms.BooleanField(
        label=_("Forward to the branch's manager now"),
        required=False,
        initial=True,
        help_text=_("The e-mail goes to the direct manager, with a copy to the deputy director."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        branches = Branch.objects.for_user(user).active()
        self.fields["branch"].queryset = branches
        first = branches.first()
        if first is not None:
            self.fields["branch"].initial = first.pk
            self.fields["received_at"].initial = local_now(first.tz)
        self.fields["pages"].help_text = _(
            "Take them with the phone's camera or choose files: JPEG, PNG or WebP, up to %(size)s each."
        ) % {"size": filesizeformat(settings.COMPLAINT_PHOTO_MAX_BYTES)}
        if not user.has_perm("complaints.forward_complaint"):
            del self.fields["forward"]

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch")
        if branch is None:
            return cleaned
        received_at = in_zone(cleaned.get("received_at"), branch.tz)
        cleaned["received_at"] = received_at
        if received_at is not None:
            try:
                services.check_received_at(received_at, branch=branch)
            except ValidationError as error:
                show_service_error(self, error)
        check_customer(self, branch)
        if cleaned.get("channel") == Channel.COMPLAINT_BOOK and "pages" in cleaned and not cleaned["pages"]:
            self.add_error("pages", _("Add a photo of the complaint book's page."))
        if cleaned.get("forward"):
            try:
                services.check_forwarding_possible(branch)
            except ValidationError as error:
                self.add_error(
                    "forward", [*error.messages, _("Untick this box to register the complaint without forwarding.")]
                )
        return cleaned


class AddPagesForm(forms.Form):
    pages = PagePhotosField(label=_("More photos"), required=True)

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("complaints:add-pages", args=[complaint.pk]), _("Add"), "btn-outline-primary")


class CompleteDraftForm(forms.Form):
    """The customer of a draft received by e-mail, read off its photographed page."""

    customer_phone = ComplaintRegistrationForm.base_fields["customer_phone"]
    customer_name = ComplaintRegistrationForm.base_fields["customer_name"]

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.helper = _helper(reverse("complaints:complete-draft", args=[complaint.pk]), _("Save the customer"))

    def clean(self):
        cleaned = super().clean()
        check_customer(self, self.complaint.branch)
        return cleaned


class ComplaintEditForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=partial(choice_list, "category"))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        kwargs.setdefault("initial", {"category": complaint.category, "summary": complaint.summary})
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("complaints:edit", args=[complaint.pk]), _("Save"))


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("Reviewer"), queryset=None, empty_label=_("Choose a reviewer"))

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        super().__init__(*args, **kwargs)
        reviewers = selectors.assignable_reviewers(complaint.branch)
        self.fields["assigned_to"].queryset = reviewers
        self.fields["assigned_to"].initial = complaint.assigned_to_id if complaint.assigned_to_id else user.pk
        self.helper = _helper(reverse("complaints:assign", args=[complaint.pk]), _("Take into review"))


class AnswerForm(forms.Form):
    answer_text = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the customer was told. Write it, attach the letter, or both."),
    )
    letter = forms.FileField(
        label=_("Answer letter"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,image/*"}),
    )
    answer_channel = forms.ChoiceField(
        label=_("Answered by"), choices=[("", _("Choose how the customer was answered")), *AnswerChannel.choices]
    )
    answered_at = LocalDateTimeField(label=_("Answered"), help_text=_("In the branch's local time."))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.fields["letter"].help_text = _("PDF, Word (DOCX) or a photo or scan, up to %(size)s.") % {
            "size": filesizeformat(settings.COMPLAINT_LETTER_MAX_BYTES)
        }
        self.fields["answered_at"].initial = local_now(complaint.branch.tz)
        if complaint.legal_term_applies:
            self.fields["answer_channel"].choices = [
                ("", "---------"),
                *[(value, label) for value, label in AnswerChannel.choices if value in AnswerChannel.written()],
            ]
            self.fields["answer_channel"].help_text = _("A written answer: the legal term applies.")
        self.helper = _helper(reverse("complaints:answer", args=[complaint.pk]), _("Record the answer"))
        # "Prepare the letter" posts this form's answer text elsewhere, with buttons outside it (form=…).
        self.helper.form_id = "answer-form"

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        return photos.prepare_letter(letter) if letter else None

    def clean(self):
        cleaned = super().clean()
        cleaned["answered_at"] = in_zone(cleaned.get("answered_at"), self.complaint.branch.tz)
        if not (cleaned.get("answer_text") or "").strip() and not cleaned.get("letter") and "letter" not in self.errors:
            raise ValidationError(_("Write the answer or attach the letter that was sent."))
        return cleaned


class PrepareLetterForm(forms.Form):
    """What "Prepare the letter" posts: the answer form's text, the template chosen and the output."""

    answer_text = forms.CharField(required=False)
    letter_template = forms.ModelChoiceField(
        label=_("Letter template"),
        queryset=LetterTemplate.objects.none(),
        error_messages={
            "required": _("Choose a letter template."),
            "invalid_choice": _("This template is not offered for the complaint's branch."),
        },
    )
    output = forms.ChoiceField(choices=[("docx", "docx"), ("print", "print")])

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter_template"].queryset = LetterTemplate.objects.offered_for(complaint.branch)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("complaints:close", args=[complaint.pk]), _("Close"), "btn-outline-success")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reopened?"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required.")
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("complaints:reopen", args=[complaint.pk]), _("Reopen"), "btn-outline-danger")


class ExtendLegalTermForm(forms.Form):
    days = forms.IntegerField(
        label=_("Extend by (working days)"),
        min_value=1,
        max_value=services.LEGAL_EXTENSION_MAX_DAYS,
        initial=services.LEGAL_EXTENSION_MAX_DAYS,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    customer_told_on = forms.DateField(
        label=_("Customer told on"),
        widget=NativeDateInput(),
        validators=[check_day],
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_told_on"].initial = local_now(complaint.branch.tz).date()
        self.helper = _helper(
            reverse("complaints:extend", args=[complaint.pk]), _("Extend the legal term"), "btn-outline-warning"
        )


class BranchRegisterForm(forms.Form):
    """Which branch and which days the printable register covers."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), empty_label=_("Choose a branch"))
    start = forms.DateField(label=_("From"), widget=NativeDateInput(), validators=[check_day])
    end = forms.DateField(label=_("To"), widget=NativeDateInput(), validators=[check_day])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.for_user(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise ValidationError(_("The first day must not come after the last one."))
        if start and end and (end - start).days > 366:
            raise ValidationError(_("Print at most one year at a time."))
        return cleaned


class PauseAnswerClockForm(PauseForm):
    """Pause the answer's clock (never the legal term's)."""

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
