from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contactcenter.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin, action_choice_page
from contactcenter.directory.models import User
from contactcenter.reference_labels import TranslatedLabelsAdminMixin, translated_labels_form

from . import letters, selectors, services
from .models import (
    ChoiceLabel,
    Complaint,
    ComplaintForwarding,
    ComplaintPage,
    LetterTemplate,
    ReceivedEmail,
    RegisterCounter,
)


def photo_link(page):
    # Through the access-checked view, never the storage's own URL.
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', page.get_absolute_url(), _("open"))


class ComplaintPageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintPage
    fields = ["position", "photo", "original_name", "size", "width", "height", "duplicate_of", "uploaded_by"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("photo"))
    def photo(self, page):
        return photo_link(page)


class ComplaintForwardingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintForwarding
    fields = ["requested_at", "requested_by", "to", "cc", "photos_attached", "sent_at", "message_id"]
    readonly_fields = fields
    extra = 0


def reviewers_of_every_branch(branch_ids):
    """Who may review complaints in all of these branches: the ones a mixed selection can be given to."""
    reviewers = User.objects.active()
    for branch_id in branch_ids:
        reviewers = reviewers.filter(pk__in=selectors.assignable_reviewers(branch_id).values("pk"))
    return reviewers.by_name()


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=User.objects.none(),
        help_text=_("Staff who may answer complaints in the branch of every selected complaint."),
    )

    def __init__(self, *args, branch_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = reviewers_of_every_branch(branch_ids)


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The register itself is read-only here; the actions forward and assign through the register's services."""

    list_display = [
        "register_number",
        "branch",
        "received_at",
        "channel",
        "category",
        "customer",
        "status",
        "assigned_to",
        "answer_due",
        "legal_term_applies",
    ]
    list_filter = [
        "status",
        "channel",
        "category",
        "legal_term_applies",
        "branch",
        ("assigned_to", admin.EmptyFieldListFilter),
    ]
    search_fields = ["register_number", "customer__full_name", "customer__phone", "summary"]
    date_hierarchy = "received_at"
    list_select_related = ["branch", "customer", "assigned_to"]
    exclude = ["answer_letter"]
    inlines = [ComplaintPageInline, ComplaintForwardingInline]
    actions = ["forward_to_manager", "assign_to"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_clocks()

    @admin.display(description=_("answer due"), ordering="answer_due_at")
    def answer_due(self, complaint):
        return complaint.answer_due_at

    def has_forward_permission(self, request):
        return request.user.has_perm("complaints.forward_complaint")

    def has_assign_permission(self, request):
        # As on the complaint's page: whoever may change complaints may take one into review or hand it on.
        return request.user.has_perm("complaints.change_complaint")

    @admin.action(description=_("Forward to the branch's manager"), permissions=["forward"])
    def forward_to_manager(self, request, queryset):
        """Queues each complaint's forwarding e-mail on its own; says which went and which were refused, and why."""
        queued = []
        for complaint in queryset.select_related("branch__manager", "branch__deputy_director").order_by("pk"):
            try:
                services.check_forwarding_possible(complaint.branch)
                forwarding = services.complaint_forward(complaint=complaint, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(number)s was not forwarded: %(reason)s")
                    % {"number": complaint.register_number, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                queued.append(
                    _("%(number)s to %(to)s") % {"number": complaint.register_number, "to": ", ".join(forwarding.to)}
                )
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d complaint is on its way: %(list)s. The forwarding counts once the mail server has "
                    "accepted it.",
                    "%(count)d complaints are on their way: %(list)s. Each forwarding counts once the mail server "
                    "has accepted it.",
                    len(queued),
                )
                % {"count": len(queued), "list": "; ".join(queued)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Assign to…"), permissions=["assign"])
    def assign_to(self, request, queryset):
        """Asks for the reviewer, then takes each complaint into review by them; says which could not be."""
        complaints = list(queryset.select_related("branch", "customer").order_by("pk"))
        form = AssignForm(
            request.POST if "apply" in request.POST else None,
            branch_ids=sorted({complaint.branch_id for complaint in complaints}),
        )
        if not form.is_valid():
            return self._choice_page(request, complaints, form)
        to = form.cleaned_data["to"]
        assigned = []
        for complaint in complaints:
            try:
                services.complaint_assign(complaint=complaint, to=to, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(number)s was not assigned: %(reason)s")
                    % {"number": complaint.register_number, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                assigned.append(complaint.register_number)
        if assigned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d complaint is in review by %(name)s: %(list)s.",
                    "%(count)d complaints are in review by %(name)s: %(list)s.",
                    len(assigned),
                )
                % {"count": len(assigned), "name": to, "list": ", ".join(assigned)},
                messages.SUCCESS,
            )
        return None

    def _choice_page(self, request, complaints, form):
        note = ""
        if not form.fields["to"].queryset.exists():
            note = _(
                "Nobody may review complaints in the branches of all the selected complaints: select the "
                "complaints of one branch."
            )
        return action_choice_page(
            self,
            request,
            action="assign_to",
            objects=complaints,
            form=form,
            title=_("Assign complaints"),
            intro=_("Take these complaints into review by:"),
            note=note,
            submit_label=_("Assign"),
        )


@admin.register(ComplaintPage)
class ComplaintPageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every photographed page, e.g. to find the photos that were sent twice. The files themselves are shown
    only through the access-checked view, never at the storage's own address."""

    list_display = ["complaint", "position", "photo", "original_name", "size", "duplicate_of", "uploaded_at"]
    list_filter = [("duplicate_of", admin.EmptyFieldListFilter), "complaint__branch"]
    search_fields = ["complaint__register_number", "original_name", "sha256"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["complaint", "duplicate_of__complaint"]
    fields = [
        "complaint",
        "position",
        "photo",
        "original_name",
        "size",
        "width",
        "height",
        "sha256",
        "duplicate_of",
        "uploaded_at",
        "uploaded_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def photo(self, page):
        return photo_link(page)


@admin.register(ComplaintForwarding)
class ComplaintForwardingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["complaint", "requested_at", "requested_by", "recipients", "photos_attached", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "photos_attached", "complaint__branch"]
    search_fields = ["complaint__register_number", "message_id", "to", "cc"]
    date_hierarchy = "requested_at"
    list_select_related = ["complaint", "requested_by"]

    @admin.display(description=_("recipients"))
    def recipients(self, forwarding):
        return ", ".join([*forwarding.to, *forwarding.cc])


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "year", "last_number"]
    list_filter = ["year", "branch"]
    search_fields = ["branch__code", "branch__name"]
    list_select_related = ["branch"]


@admin.register(ReceivedEmail)
class ReceivedEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["arrived_at", "from_address", "subject", "complaint", "dated_at"]
    list_select_related = ["complaint"]
    date_hierarchy = "arrived_at"
    search_fields = ["message_id", "from_address", "subject", "complaint__register_number"]


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["name", "branch", "language", "file", "is_active"]
        # No link to the stored file: the media storage has no public address.
        widgets = {"file": forms.FileInput(attrs={"accept": ".docx"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A Word document (.docx) with placeholders in double braces, such as {{ register_number }}; a template "
            "with any other name, a broken expression or a file that is not a .docx is refused. Placeholders: "
            "%(placeholders)s."
        ) % {"placeholders": letters.placeholder_help()}
        if self.instance.pk:
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            letters.check_template(upload)
            upload.seek(0)
        return upload


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ["name", "branch", "language", "is_active", "uploaded_at", "uploaded_by"]
    list_filter = ["language", "is_active", "branch"]
    list_select_related = ["branch", "uploaded_by"]
    search_fields = ["name"]
    readonly_fields = ["stored_as", "uploaded_at", "uploaded_by"]

    @admin.display(description=_("stored as"))
    def stored_as(self, template):
        return template.file.name if template.file else "—"

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data:
            obj.uploaded_by, obj.uploaded_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ChoiceLabel)
class ChoiceLabelAdmin(TranslatedLabelsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """The names of the register's channels and categories in every language. The codes are the program's (the
    API and the reports name them): a name is edited here, a code is never added or deleted."""

    form = translated_labels_form(ChoiceLabel)
    list_display = ["label", "field", "value"]
    list_filter = ["field"]
    search_fields = ["label", "value"]
    readonly_fields = ["field", "value"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
