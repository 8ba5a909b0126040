from django.contrib import admin

from .models import Callback, CallbackReason, ContactAttempt


@admin.register(CallbackReason)
class CallbackReasonAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "code",
        "term",
        "basis",
        "retry_pause",
        "attempts_before_unreachable",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["basis", "unit", "is_active"]
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


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    """Read-only here: attempts, reassignments and cancellations go through the pages and their services."""

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
    list_filter = ["status", "branch", "reason", "priority", "channel"]
    search_fields = ["customer__full_name", "customer__phone", "customer_said"]
    date_hierarchy = "created_at"
    list_select_related = ["customer", "branch", "reason", "assigned_to"]
    autocomplete_fields = ["customer", "assigned_to"]
    inlines = [ContactAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactAttempt)
class ContactAttemptAdmin(admin.ModelAdmin):
    list_display = ["callback", "at", "by", "outcome", "next_contact_at"]
    list_filter = ["outcome"]
    search_fields = ["callback__customer__full_name", "note"]
    date_hierarchy = "at"
    list_select_related = ["callback__customer", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
