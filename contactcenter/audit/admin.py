from django.contrib import admin

from contactcenter.admin_mixins import ReadOnlyAdminMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is evidence and is never edited by hand."""

    list_display = ["at", "actor", "action", "target_repr", "branch"]
    list_filter = ["action", "branch", "content_type"]
    search_fields = ["target_repr", "note", "actor__username", "actor__last_name"]
    date_hierarchy = "at"
    list_select_related = ["actor", "branch"]
