from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from contactcenter.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import Phrase, PhraseUse


@admin.register(Phrase)
class PhraseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "situation", "language", "position", "is_active", "use_count"]
    list_editable = ["position", "is_active"]
    list_filter = ["language", "situation", "is_active"]
    search_fields = ["title", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("uses"))

    @admin.display(description=_("times inserted"), ordering="use_count")
    def use_count(self, phrase):
        return phrase.use_count


@admin.register(PhraseUse)
class PhraseUseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["used_at", "phrase", "place", "branch", "used_by"]
    list_filter = ["place", "branch", "phrase__language"]
    list_select_related = ["phrase", "branch", "used_by"]
    date_hierarchy = "used_at"
