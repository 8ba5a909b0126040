from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contactcenter.admin_mixins import AuditedAdminMixin
from contactcenter.audit.services import record_audit

from . import services
from .forms import CustomerForm
from .lockout import clear_lockout
from .models import TIME_ZONE_NAMES, Branch, Customer, Team, TeamHours, User, WorkingHours
from .phones import parse_phone


class ActiveStaffForm(forms.ModelForm):
    """Every field that names staff offers active staff only; whoever the row names today stays valid, so
    that an unrelated edit still saves (the alerts already stand in for a deactivated holder)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is User:
                current = self.initial.get(name)
                named = current if isinstance(current, list | tuple) else [current]
                kept = [getattr(person, "pk", person) for person in named if person is not None]
                field.queryset = User.objects.filter(Q(is_active=True) | Q(pk__in=kept))


class BranchAdminForm(ActiveStaffForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=[(name, name) for name in TIME_ZONE_NAMES])

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
            "opened_on",
            "phone",
            "emails_customers",
            "calls_weekdays_from",
            "calls_weekdays_until",
            "calls_weekends_from",
            "calls_weekends_until",
        ]


class WorkingHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(
                _("Enter the hours of at least one working day: the branch's clocks count its working time.")
            )


# What a new branch's page suggests: Monday to Friday at the model's default hours, each row editable and
# removable before the first save.
SUGGESTED_WEEKDAYS = range(WorkingHours.Weekday.MONDAY, WorkingHours.Weekday.SATURDAY)


class WorkingHoursForm(forms.ModelForm):
    class Meta:
        model = WorkingHours
        fields = ["weekday", "opens", "closes", "break_starts", "break_ends"]

    def has_changed(self):
        # A suggested day is kept as shown: Django would otherwise drop a row nobody edited.
        return super().has_changed() or (self.instance.pk is None and self.initial.get("weekday") is not None)


# Working hours have no page of their own: they are edited with their branch, seven rows at most.
class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    form = WorkingHoursForm
    formset = WorkingHoursFormSet
    max_num = 7

    def get_extra(self, request, obj=None, **kwargs):
        return len(SUGGESTED_WEEKDAYS) if obj is None else 0


class TeamInline(admin.TabularInline):
    model = Team
    form = ActiveStaffForm
    extra = 0
    fields = ["name", "supervisor", "schedule", "takes_branch_queue"]
    autocomplete_fields = ["supervisor"]
    show_change_link = True


@admin.register(Branch)
class BranchAdmin(AuditedAdminMixin, admin.ModelAdmin):
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
    list_filter = [
        "is_active",
        "is_financial_organisation",
        "allows_live_transfer",
        "emails_customers",
        "country",
        "time_zone",
    ]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["manager", "deputy_director"]
    list_select_related = ["manager", "deputy_director"]
    inlines = [WorkingHoursInline, TeamInline]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, WorkingHoursInline) and obj.pk is None:
            kwargs["initial"] = [{"weekday": day} for day in SUGGESTED_WEEKDAYS]
        return kwargs

    # The admin saves the branch, then its hours, in one transaction: what the calendar was made of is taken
    # from the branch as it was (read by the audit mixin before the save) and its hours (not saved yet), and
    # compared after the last write, so that the branch's clocks follow a new calendar. It is kept on the
    # form, which belongs to this one request (the admin object serves every request).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            form.calendar_before = services.branch_calendar_basis(form.original)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.branch_calendar_changed(branch=form.instance, before=form.calendar_before, by=request.user)


class TeamHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if self.instance.schedule == Team.Schedule.OWN and not kept:
            raise ValidationError(_("A team on its own schedule needs the hours of at least one working day."))


class TeamHoursInline(admin.TabularInline):
    """A team's own hours per weekday, with a break if it has one; used when its schedule is "its own"."""

    model = TeamHours
    formset = TeamHoursFormSet
    fields = ["weekday", "opens", "closes", "break_starts", "break_ends"]
    extra = 0
    max_num = 7


@admin.register(Team)
class TeamAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ActiveStaffForm
    list_display = ["name", "branch", "supervisor", "schedule", "takes_branch_queue", "calendar_preview"]
    list_filter = ["branch", "schedule"]
    search_fields = ["name", "branch__code", "supervisor__username", "supervisor__last_name"]
    autocomplete_fields = ["branch", "supervisor", "members"]
    list_select_related = ["branch", "supervisor"]
    fields = ["branch", "name", "supervisor", "members", "schedule", "takes_branch_queue", "calendar_preview"]
    inlines = [TeamHoursInline]

    readonly_fields = ["calendar_preview"]

    @admin.display(description=_("calendar"))
    def calendar_preview(self, team):
        if team.pk is None:
            return "–"
        url = reverse("admin:calendars_calendaroverride_preview")
        return format_html('<a href="{}?branch={}&amp;team={}">{}</a>', url, team.branch_id, team.pk, _("preview"))

    # As for a branch's hours: the schedule as it was is read before the save, compared after the last write,
    # and the clocks counted in it follow the new one in the admin's transaction.
    def save_model(self, request, obj, form, change):
        form.schedule_before = services.team_schedule_basis(Team.objects.get(pk=obj.pk) if change else Team())
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.team_schedule_changed(team=form.instance, before=form.schedule_before, by=request.user)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Work"), {"fields": ("branches", "language")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Work"), {"fields": ("branches", "groups", "language")}))
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "branch_codes",
        "language",
        "is_active",
        "last_login",
    ]
    list_filter = ["groups", "branches", "is_active", "is_staff", "is_superuser", "language"]
    date_hierarchy = "date_joined"
    autocomplete_fields = ["branches", "groups"]
    filter_horizontal = ["user_permissions"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "branches")

    def get_search_results(self, request, queryset, search_term):
        # An autocomplete of staff fills a post (a branch's manager, a team's supervisor or members): it offers
        # active staff only. The staff list itself still finds everyone.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    def user_change_password(self, request, id, form_url=""):
        """Django's page for setting someone's password; a password set there is audited (never its value) and
        ends any lockout of the user."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                record_audit(actor=request.user, action="admin.password_set", target=user)
                clear_lockout(user)
        return response

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    @admin.display(description=_("branches"))
    def branch_codes(self, user):
        return ", ".join(branch.code for branch in user.branches.all())


class CustomerAdminForm(forms.ModelForm):
    time_zone = CustomerForm.base_fields["time_zone"]
    # Wider than the stored E.164 number: staff type it in any spelling, as on the customer pages.
    phone = forms.CharField(
        label=_("phone"), max_length=32, help_text=_("Any spelling: 8 (495) 123-45-67, +7 495 1234567…")
    )

    class Meta:
        model = Customer
        fields = [
            "branch",
            "full_name",
            "phone",
            "email",
            "email_consent",
            "preferred_language",
            "time_zone",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch") or (self.instance.branch if self.instance.pk else None)
        phone = cleaned.get("phone")
        if branch is None or not phone:
            return cleaned
        try:
            cleaned["phone"] = parse_phone(phone, branch.country)
        except ValidationError as error:
            self.add_error("phone", error)
            return cleaned
        taken = Customer.objects.filter(branch=branch, phone=cleaned["phone"]).exclude(pk=self.instance.pk).first()
        if taken:
            self.add_error(
                "phone", _("This number already belongs to %(name)s in this branch.") % {"name": taken.full_name}
            )
        return cleaned


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    """Saved through the directory's services, like the customer pages: the number in E.164, an audit entry."""

    form = CustomerAdminForm
    list_display = ["full_name", "phone", "email", "branch", "preferred_language", "created_by", "created_at"]
    list_filter = ["branch", "preferred_language", "email_consent"]
    search_fields = ["full_name", "phone", "email"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["branch"]
    list_select_related = ["branch", "created_by"]
    readonly_fields = ["email_consent_at", "created_by", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A customer stays with the branch that registered them.
        if obj is not None:
            return ["branch", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in services.CUSTOMER_EDITABLE_FIELDS}
        if change:
            # The form has already written the new values on ``obj``; the service compares with the stored row.
            services.customer_update(customer=Customer.objects.get(pk=obj.pk), by=request.user, **values)
        else:
            created = services.customer_create(branch=obj.branch, created_by=request.user, **values)
            obj.pk, obj.created_by = created.pk, created.created_by
