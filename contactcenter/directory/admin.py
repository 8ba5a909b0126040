import zoneinfo

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Branch, Customer, Team, User, WorkingHours


class BranchAdminForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"), choices=[(name, name) for name in sorted(zoneinfo.available_timezones())]
    )

    class Meta:
        model = Branch
        fields = [
            "code",
            "name",
            "address",
            "time_zone",
            "country",
            "subdivision",
            "manager",
            "deputy_director",
            "is_financial_organisation",
            "allows_live_transfer",
            "is_active",
        ]


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0
    max_num = 7


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "supervisor"]
    autocomplete_fields = ["supervisor"]
    show_change_link = True


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    form = BranchAdminForm
    list_display = [
        "code",
        "name",
        "time_zone",
        "country",
        "subdivision",
        "manager",
        "deputy_director",
        "is_financial_organisation",
        "allows_live_transfer",
        "is_active",
    ]
    list_filter = ["is_active", "is_financial_organisation", "allows_live_transfer", "country", "time_zone"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["manager", "deputy_director"]
    list_select_related = ["manager", "deputy_director"]
    inlines = [WorkingHoursInline, TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "supervisor"]
    list_filter = ["branch"]
    search_fields = ["name", "branch__code", "supervisor__username", "supervisor__last_name"]
    autocomplete_fields = ["branch", "supervisor", "members"]
    list_select_related = ["branch", "supervisor"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Work"), {"fields": ("branches", "language")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Work"), {"fields": ("branches", "groups", "language")}))
    list_display = ["username", "first_name", "last_name", "email", "roles", "branch_codes", "is_active"]
    list_filter = ["groups", "branches", "is_active", "is_staff", "language"]
    filter_horizontal = ["branches", "groups", "user_permissions"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "branches")

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    @admin.display(description=_("branches"))
    def branch_codes(self, user):
        return ", ".join(branch.code for branch in user.branches.all())


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "phone", "email", "branch", "preferred_language", "created_at"]
    list_filter = ["branch", "preferred_language"]
    search_fields = ["full_name", "phone", "email"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["branch", "created_by"]
    list_select_related = ["branch"]
    readonly_fields = ["created_at", "updated_at"]
