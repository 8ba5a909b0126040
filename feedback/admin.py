from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contactcenter.admin_mixins import ReadOnlyAdminMixin

from .models import Questionnaire


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        return queryset


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The customers' answers, as they gave them: read only (the link's secret is not kept, only its hash)."""

    list_display = ["case_number", "kind", "branch", "operator", "sent_at", "answered_at", "solved", "rating"]
    list_filter = ["kind", AnsweredFilter, "solved", "rating", "branch"]
    search_fields = ["case_number", "comment"]
    date_hierarchy = "sent_at"
    list_select_related = ["branch", "operator"]
    exclude = ["token_hash"]
    raw_id_fields = ["callback", "complaint", "escalation", "customer", "operator", "follow_up"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
