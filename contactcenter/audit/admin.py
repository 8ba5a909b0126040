from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence and is never edited by hand."""

    list_display = ["at", "actor", "action", "target_repr", "branch"]
    list_filter = ["action", "branch", "content_type"]
    search_fields = ["target_repr", "note", "actor__username", "actor__last_name"]
    date_hierarchy = "at"
    list_select_related = ["actor", "branch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
