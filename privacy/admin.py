from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcenter.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin, action_choice_page
from contactcenter.directory.admin import CustomerAdmin
from contactcenter.directory.models import Customer

from .customers import ERASE_PERMISSION, EXPORT_PERMISSION, as_json, customer_erase, customer_export, erasure_refusals
from .models import RetentionPeriod, RetentionRun


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "days", "updated_at"]
    readonly_fields = ["updated_at"]
    search_fields = ["kind"]

    def get_readonly_fields(self, request, obj=None):
        # One row per kind, made by the migration: its days are edited, its kind is not.
        return ["kind", *self.readonly_fields] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "figures"]
    date_hierarchy = "started_at"


admin.site.unregister(Customer)


@admin.register(Customer)
class CustomerWithPersonalDataAdmin(CustomerAdmin):
    """The directory's customer admin, with the two requests a customer may make about their data."""

    actions = ["export_personal_data", "erase_personal_data"]

    def has_export_personal_data_permission(self, request):
        return request.user.has_perm(EXPORT_PERMISSION)

    def has_erase_personal_data_permission(self, request):
        return request.user.has_perm(ERASE_PERMISSION)

    @admin.action(description=gettext_lazy("Export their personal data (JSON)"), permissions=["export_personal_data"])
    def export_personal_data(self, request, queryset):
        exports = [customer_export(customer=customer, by=request.user) for customer in queryset.order_by("pk")]
        response = HttpResponse(as_json({"customers": exports}), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=gettext_lazy("Erase their personal data on request"), permissions=["erase_personal_data"])
    def erase_personal_data(self, request, queryset):
        customers = list(queryset.order_by("pk"))
        if request.POST.get("apply") != "yes":
            refusals = [
                f"{customer}: {' '.join(reasons)}" for customer in customers if (reasons := erasure_refusals(customer))
            ]
            return action_choice_page(
                self,
                request,
                action="erase_personal_data",
                objects=customers,
                form=forms.Form(),
                title=_("Erase personal data"),
                intro=_(
                    "The names, phones, e-mail addresses and notes of these customers, the texts of their cases and "
                    "the photos of their complaints will be erased for good; the cases stay, without them, for "
                    "the reports."
                ),
                note=_("Will be refused: %(list)s") % {"list": "; ".join(refusals)} if refusals else "",
                submit_label=_("Erase their personal data"),
            )
        erased = 0
        for customer in customers:
            try:
                customer_erase(customer=customer, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("Nothing was erased of %(customer)s: %(reasons)s")
                    % {"customer": customer, "reasons": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                erased += 1
        if erased:
            self.message_user(request, _("Personal data erased: %(count)d customer(s).") % {"count": erased})
        return None
