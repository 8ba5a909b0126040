from django.contrib import admin

from contactcenter.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from contactcenter.reference_labels import TranslatedLabelsAdminMixin, translated_labels_form

from .models import Escalation, EscalationKind, TransferAttempt


@admin.register(EscalationKind)
class EscalationKindAdmin(TranslatedLabelsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = translated_labels_form(EscalationKind)
    list_display = [
        "label",
        "code",
        "term",
        "first_level",
        "tells_security_at_once",
        "allows_live_transfer",
        "names_an_operator",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = [
        "first_level",
        "tells_security_at_once",
        "allows_live_transfer",
        "names_an_operator",
        "basis",
        "is_active",
    ]
    search_fields = ["label", "code"]

    def has_delete_permission(self, request, obj=None):
        # A default kind would come back at the next migrate; deactivating it is the way to retire it.
        return False


class TransferAttemptInline(admin.TabularInline):
    model = TransferAttempt
    extra = 0
    can_delete = False
    fields = ["at", "by", "to_name", "to_user", "customer_agreed", "answered", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: escalations change through their pages and services, which keep the clocks and the
    audit trail. There is no reassigning action: an escalation is taken by acknowledging it on its page, and no
    service hands it to someone else."""

    list_display = [
        "pk",
        "customer",
        "branch",
        "kind",
        "level",
        "status",
        "outcome",
        "opened_by",
        "opened_at",
        "due_at",
    ]
    list_filter = [
        "status",
        "level",
        "outcome",
        "kind",
        "branch",
        "source",
        ("about_operator", admin.EmptyFieldListFilter),
    ]
    search_fields = [
        "customer__full_name",
        "customer__phone",
        "customer_wants",
        "opened_by__username",
        "opened_by__last_name",
        "about_operator__username",
        "about_operator__last_name",
    ]
    date_hierarchy = "opened_at"
    list_select_related = ["customer", "branch", "kind", "opened_by"]
    inlines = [TransferAttemptInline]


@admin.register(TransferAttempt)
class TransferAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["escalation", "at", "by", "to_name", "customer_agreed", "answered"]
    list_filter = ["answered", "customer_agreed", "escalation__branch"]
    search_fields = ["escalation__customer__full_name", "to_name", "note", "by__username", "by__last_name"]
    date_hierarchy = "at"
    list_select_related = ["escalation__customer", "by"]
