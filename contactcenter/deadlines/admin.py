from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ClockPause, ClockPolicy, Deadline, Recipient


class ClockPolicyForm(forms.ModelForm):
    due_soon_recipients = forms.MultipleChoiceField(
        label=_("told when due soon"), choices=Recipient.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    overdue_recipients = forms.MultipleChoiceField(
        label=_("told when overdue"), choices=Recipient.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    long_overdue_recipients = forms.MultipleChoiceField(
        label=_("told when overdue for long"),
        choices=Recipient.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ClockPolicy
        fields = [
            "kind",
            "label",
            "warn_share",
            "warn_lead",
            "long_overdue_after",
            "remind_every",
            "due_soon_recipients",
            "overdue_recipients",
            "long_overdue_recipients",
        ]


@admin.register(ClockPolicy)
class ClockPolicyAdmin(admin.ModelAdmin):
    form = ClockPolicyForm
    list_display = ["label", "kind", "warn_share", "warn_lead", "long_overdue_after", "remind_every"]
    search_fields = ["label", "kind"]


class ClockPauseInline(admin.TabularInline):
    model = ClockPause
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "ended_at", "reason", "started_by", "ended_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: clocks move only through the case services, which keep the audit trail."""

    list_display = ["title", "kind", "branch", "owner", "state", "due_at", "met_at", "met_late", "paused_at"]
    list_filter = ["state", "kind", "branch", "met_late"]
    search_fields = ["title", "kind", "owner__username", "owner__last_name"]
    date_hierarchy = "due_at"
    list_select_related = ["branch", "owner"]
    inlines = [ClockPauseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
