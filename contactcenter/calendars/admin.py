from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch

from . import services
from .business_time import BusinessCalendar, DayKind
from .forms import CalendarPreviewForm
from .models import CalendarOverride
from .preview import month_grid, neighbour_months


class BranchListFilter(admin.RelatedFieldListFilter):
    """Names the empty choice: an override without a branch applies to all of them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = gettext("all branches")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "branch_label", "is_working", "opens", "closes", "note"]
    list_filter = [("branch", BranchListFilter), "is_working"]
    date_hierarchy = "date"
    search_fields = ["note"]
    list_select_related = ["branch"]
    autocomplete_fields = ["branch"]
    fields = ["date", "branch", "is_working", "opens", "closes", "note"]

    @admin.display(description=_("branch"), ordering="branch__code")
    def branch_label(self, override):
        return override.branch or gettext("all branches")

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
        """A branch's month as the business-time module sees it: hours, weekends, holidays, overrides."""
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
        branch, first = form.cleaned_data["branch"], form.cleaned_data["month"]
        previous, following = neighbour_months(first)
        context.update(
            branch=branch,
            month=first,
            weeks=month_grid(BusinessCalendar.for_branch(branch), first),
            previous_month=f"{previous:%Y-%m}",
            next_month=f"{following:%Y-%m}",
        )
        return TemplateResponse(request, "admin/calendars/preview.html", context)
