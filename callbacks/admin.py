from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contactcenter.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin, action_choice_page
from contactcenter.directory import roles
from contactcenter.directory.models import User
from contactcenter.reference_labels import TranslatedLabelsAdminMixin, translated_labels_form

from . import services
from .models import Callback, CallbackReason, ContactAttempt


@admin.register(CallbackReason)
class CallbackReasonAdmin(TranslatedLabelsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = translated_labels_form(CallbackReason)
    list_display = [
        "label",
        "code",
        "term",
        "basis",
        "retry_pause",
        "vary_time_of_day",
        "attempts_before_unreachable",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["basis", "unit", "vary_time_of_day", "is_active"]
    search_fields = ["label", "code"]

    def has_delete_permission(self, request, obj=None):
        # A default reason would come back at the next migrate; deactivating it is the way to retire it.
        return False


class ContactAttemptInline(admin.TabularInline):
    model = ContactAttempt
    extra = 0
    can_delete = False
    fields = ["at", "by", "outcome", "note", "next_contact_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def operators_of_every_branch(branch_ids):
    """Active operators who work in all of these branches: the ones a mixed selection can be given to."""
    operators = User.objects.holding(roles.OPERATOR)
    for branch_id in branch_ids:
        operators = operators.filter(branches=branch_id)
    return operators.by_name()


class ReassignForm(forms.Form):
    QUEUE = "queue"

    # A choice, not an empty default, for the queue: leaving the field alone must not empty an operator's list.
    to = forms.ChoiceField(
        label=_("Give to"), help_text=_("Operators who work in the branch of every selected callback.")
    )

    def __init__(self, *args, branch_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.operators = list(operators_of_every_branch(branch_ids))
        self.fields["to"].choices = [
            ("", "---------"),
            (self.QUEUE, _("nobody: back to the branch queue")),
            *((str(operator.pk), str(operator)) for operator in self.operators),
        ]

    def clean_to(self):
        value = self.cleaned_data["to"]
        return None if value == self.QUEUE else next(op for op in self.operators if str(op.pk) == value)


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: attempts and cancellations go through the pages and their services; reassigning through
    the action below, which calls the same service as the supervisors' list. Never deleted: its clocks and
    audit trail point at it; it ends by being solved or cancelled."""

    list_display = [
        "pk",
        "customer",
        "branch",
        "reason",
        "status",
        "priority",
        "assigned_to",
        "next_contact_at",
        "created_at",
    ]
    list_filter = [
        "status",
        "branch",
        "reason",
        "priority",
        "channel",
        ("assigned_to", admin.EmptyFieldListFilter),
    ]
    search_fields = [
        "customer__full_name",
        "customer__phone",
        "customer_said",
        "assigned_to__username",
        "assigned_to__last_name",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["customer", "branch", "reason", "assigned_to"]
    inlines = [ContactAttemptInline]
    actions = ["reassign"]

    def has_reassign_permission(self, request):
        return request.user.has_perm("callbacks.reassign_callback")

    @admin.action(description=_("Reassign to…"), permissions=["reassign"])
    def reassign(self, request, queryset):
        """Asks for the operator, then gives them every selected callback, or none if one cannot be given."""
        callbacks = list(queryset.select_related("customer", "branch").order_by("pk"))
        form = ReassignForm(
            request.POST if "apply" in request.POST else None,
            branch_ids=sorted({callback.branch_id for callback in callbacks}),
        )
        if not form.is_valid():
            return self._choice_page(request, callbacks, form)
        to = form.cleaned_data["to"]
        try:
            count = services.callback_reassign(callbacks=callbacks, to=to, by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("Nothing was reassigned: %(reason)s") % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return None
        if to is None:
            message = ngettext(
                "%(count)d callback is back in the branch queue.",
                "%(count)d callbacks are back in the branch queue.",
                count,
            ) % {"count": count}
        else:
            message = ngettext(
                "%(count)d callback given to %(name)s.", "%(count)d callbacks given to %(name)s.", count
            ) % {"count": count, "name": to}
        self.message_user(request, message, messages.SUCCESS)
        return None

    def _choice_page(self, request, callbacks, form):
        note = ""
        if not form.operators:
            note = _(
                "No operator works in the branches of all the selected callbacks: select the callbacks of one "
                "branch to give them to an operator."
            )
        return action_choice_page(
            self,
            request,
            action="reassign",
            objects=callbacks,
            form=form,
            title=_("Reassign callbacks"),
            intro=_("Give these callbacks to another operator of their branch:"),
            note=note,
            submit_label=_("Reassign"),
        )


@admin.register(ContactAttempt)
class ContactAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["callback", "at", "by", "outcome", "next_contact_at"]
    list_filter = ["outcome", "callback__branch"]
    search_fields = [
        "callback__customer__full_name",
        "callback__customer__phone",
        "note",
        "by__username",
        "by__last_name",
    ]
    date_hierarchy = "at"
    list_select_related = ["callback__customer", "by"]
