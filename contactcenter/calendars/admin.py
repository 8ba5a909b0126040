from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactcenter.admin_mixins import AuditedAdminMixin
from contactcenter.directory.models import Branch

from . import services
from .business_time import BusinessCalendar, DayKind
from .forms import CalendarPreviewForm
from .models import CalendarOverride, CalendarRegion
from .preview import month_grid, neighbour_months


class BranchListFilter(admin.RelatedFieldListFilter):
    """Names the empty choice: an override without a branch applies to all of them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = gettext("all branches")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "branch_label", "region", "is_working", "opens", "closes", "note"]
    list_filter = [("branch", BranchListFilter), "region", "is_working"]
    date_hierarchy = "date"
    search_fields = ["note"]
    list_select_related = ["branch", "region"]
    autocomplete_fields = ["branch"]
    fields = ["date", "branch", "region", "is_working", "opens", "closes", "note"]

    @admin.display(description=_("branch"), ordering="branch__code")
    def branch_label(self, override):
        return override.branch or ("" if override.region_id else gettext("all branches"))

    # Every write goes through the service so that it is audited and the calendar's users hear of it.
    def save_model(self, request, obj, form, change):
        services.override_save(override=obj, by=request.user)

    def delete_model(self, request, obj):
        services.override_delete(override=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset.select_related("branch"):
            services.override_delete(override=override, by=request.user)

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        """A branch's month (or one of its teams') as the business-time module sees it: hours and breaks,
        weekends, holidays (regional ones with their region), shortened eves, overrides."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = request.GET.copy()
        if not data.get("branch"):
            default = Branch.objects.order_by("-is_active", "name").first()
            data["branch"] = default.pk if default else ""
        form = CalendarPreviewForm(data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Calendar preview"),
            "form": form,
            "weekdays": [WEEKDAYS_ABBR[number] for number in range(7)],
            "kinds": DayKind.choices,
        }
        if not form.is_valid():
            return TemplateResponse(request, "admin/calendars/preview.html", context, status=400)
        branch, team, first = form.cleaned_data["branch"], form.cleaned_data["team"], form.cleaned_data["month"]
        previous, following = neighbour_months(first)
        calendar = BusinessCalendar.for_team(team) if team is not None else BusinessCalendar.for_branch(branch)
        context.update(
            branch=branch,
            team=team,
            month=first,
            weeks=month_grid(calendar, first),
            previous_month=f"{previous:%Y-%m}",
            next_month=f"{following:%Y-%m}",
        )
        return TemplateResponse(request, "admin/calendars/preview.html", context)


class RegionalHolidayInline(admin.TabularInline):
    """A region's own days off: overrides of the region's branches, named by their holiday."""

    model = CalendarOverride
    fk_name = "region"
    extra = 1
    fields = ["date", "note"]
    verbose_name = _("regional holiday")
    verbose_name_plural = _("regional holidays")


@admin.register(CalendarRegion)
class CalendarRegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A region's days off, entered by hand each year, and the branches whose calendars add them."""

    list_display = ["name", "branch_codes", "holiday_count"]
    search_fields = ["name", "branches__code"]
    autocomplete_fields = ["branches"]
    inlines = [RegionalHolidayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("branches", "overrides")

    @admin.display(description=_("branches"))
    def branch_codes(self, region):
        return ", ".join(branch.code for branch in region.branches.all())

    @admin.display(description=_("regional holidays"))
    def holiday_count(self, region):
        return len(region.overrides.all())

    # The audit mixin records the edit; the branches' clocks follow the new days off in the admin's transaction
    # (the branches and the holidays are saved with the related rows, after ``save_model``).
    def save_model(self, request, obj, form, change):
        form.region_before = services.region_calendar_basis(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.region_calendar_changed(region=form.instance, before=form.region_before)

    def delete_model(self, request, obj):
        before = services.region_calendar_basis(obj)
        super().delete_model(request, obj)
        for branch in before["branches"].values():
            services.recompute_after_basis_change(branch)

    def delete_queryset(self, request, queryset):
        for region in queryset:
            self.delete_model(request, region)
