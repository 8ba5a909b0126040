from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Complaint, ComplaintForwarding, ComplaintPage, RegisterCounter


class ReadOnlyAdminMixin:
    """The register changes only through its services (numbers, clocks, audit); the admin looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ComplaintPageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintPage
    fields = ["position", "photo", "original_name", "size", "width", "height", "duplicate_of", "uploaded_by"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("photo"))
    def photo(self, page):
        # Through the access-checked view, never the storage's own URL.
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', page.get_absolute_url(), _("open"))


class ComplaintForwardingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintForwarding
    fields = ["requested_at", "requested_by", "to", "cc", "photos_attached", "sent_at", "message_id"]
    readonly_fields = fields
    extra = 0


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["register_number", "branch", "received_at", "channel", "category", "customer", "status"]
    list_filter = ["status", "channel", "category", "legal_term_applies", "branch"]
    search_fields = ["register_number", "customer__full_name", "customer__phone", "summary"]
    date_hierarchy = "received_at"
    list_select_related = ["branch", "customer"]
    exclude = ["answer_letter"]
    inlines = [ComplaintPageInline, ComplaintForwardingInline]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "year", "last_number"]
    list_filter = ["year", "branch"]
    list_select_related = ["branch"]
