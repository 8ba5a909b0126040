from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from contactcenter.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from contactcenter.reference_labels import TranslatedLabelsAdminMixin, translated_labels_form

from .models import ClockPause, ClockPolicy, Deadline, DueMoveNotice, PauseReason, Recipient, ScanStatus


class ClockPolicyForm(translated_labels_form(ClockPolicy)):
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


def recipient_labels(values) -> str:
    labels = dict(Recipient.choices)
    return "; ".join(str(labels.get(value, value)) for value in values) or "–"


@admin.register(ClockPolicy)
class ClockPolicyAdmin(TranslatedLabelsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = ClockPolicyForm
    list_display = [
        "label",
        "kind",
        "warn_share",
        "warn_lead",
        "long_overdue_after",
        "remind_every",
        "told_when_due_soon",
        "told_when_overdue",
        "told_when_long_overdue",
        "may_pause",
    ]
    list_filter = [("warn_lead", admin.EmptyFieldListFilter)]
    search_fields = ["label", "kind"]

    @admin.display(description=_("told when due soon"))
    def told_when_due_soon(self, policy):
        return recipient_labels(policy.due_soon_recipients)

    @admin.display(description=_("told when overdue"))
    def told_when_overdue(self, policy):
        return recipient_labels(policy.overdue_recipients)

    @admin.display(description=_("told when overdue for long"))
    def told_when_long_overdue(self, policy):
        return recipient_labels(policy.long_overdue_recipients)

    def has_delete_permission(self, request, obj=None):
        # Opening a clock of a kind without a policy fails; the case apps' migrations make the policies they need.
        return False


class ClockPauseInline(admin.TabularInline):
    model = ClockPause
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "ended_at", "reason", "started_by", "ended_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: clocks move only through the case services, which keep the audit trail. There is no
    reassigning action either: a clock's owner follows its case (``reassign_clocks`` is called by the case
    services), so handing over the case, not the clock, is what an administrator does."""

    list_display = [
        "title",
        "case_link",
        "kind",
        "branch",
        "owner",
        "state",
        "due_at",
        "met_at",
        "met_late",
        "paused_at",
    ]
    list_filter = [
        "state",
        "kind",
        "branch",
        "met_late",
        ("owner", admin.EmptyFieldListFilter),
        ("paused_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "kind", "owner__username", "owner__last_name"]
    date_hierarchy = "due_at"
    list_select_related = ["branch", "owner"]
    inlines = [ClockPauseInline]

    @admin.display(description=_("case"))
    def case_link(self, deadline):
        if not deadline.case_url:
            return "–"
        return format_html('<a href="{}">{}</a>', deadline.case_url, _("open"))


@admin.register(ClockPause)
class ClockPauseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, for reports: why clocks stood still and for how long. Pauses are made by the case services."""

    list_display = ["deadline", "started_at", "ended_at", "reason", "started_by", "ended_by"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter), "deadline__kind", "deadline__branch"]
    search_fields = ["reason", "deadline__title"]
    date_hierarchy = "started_at"
    list_select_related = ["deadline", "started_by", "ended_by"]


@admin.register(DueMoveNotice)
class DueMoveNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: which moved moments the customers were told, how and when. The clocks' services make them;
    the case pages and the dashboard record that a customer was told."""

    list_display = ["deadline", "told_due_at", "new_due_at", "cause", "moved_at", "told_at", "told_how", "told_by"]
    list_filter = [("told_at", admin.EmptyFieldListFilter), "told_how", "cause", "deadline__kind", "deadline__branch"]
    search_fields = ["deadline__title"]
    date_hierarchy = "moved_at"
    list_select_related = ["deadline", "told_by"]


# The beat schedules run the scan and the outbox: a change to them is audited like a change to a policy.
for _model, _base in (
    (PeriodicTask, beat_admin.PeriodicTaskAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, type(f"Audited{_base.__name__}", (AuditedAdminMixin, _base), {"__module__": __name__}))


@admin.register(PauseReason)
class PauseReasonAdmin(TranslatedLabelsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """The reasons a supervisor picks from to pause a clock; retire one by deactivating it."""

    form = translated_labels_form(PauseReason)
    list_display = ["label", "needs_note", "is_active", "position"]
    list_editable = ["position"]
    list_filter = ["is_active", "needs_note"]
    search_fields = ["label"]


@admin.register(ScanStatus)
class ScanStatusAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """When the scan last finished: read-only, the scan keeps it."""

    list_display = ["__str__", "finished_at", "duration_seconds", "changed"]
    readonly_fields = [field.name for field in ScanStatus._meta.fields]
