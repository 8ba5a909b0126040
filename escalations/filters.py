import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.directory import roles
from contactcenter.directory.models import Branch, Customer
from contactcenter.sorting import sort_filter
from contactcenter.typed_dates import DayRangeFilter
from contactcenter.widgets import NativeDateRangeWidget

from .forms import staff_of
from .models import Escalation, EscalationKind, Level


class EscalationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Customer name or phone"), method="filter_customer")
    kind = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=EscalationKind.objects.all())
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Escalation.Status.choices)
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    opened_by = django_filters.ModelChoiceFilter(label=_("Operator"), queryset=Branch.objects.none())
    opened = DayRangeFilter(
        label=_("Opened between"),
        field_name="opened_at",
        widget=NativeDateRangeWidget(),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    ordering = sort_filter(
        ("due_at", "due", _("call back by, soonest first"), _("call back by, latest first")),
        ("opened_at", "opened", _("oldest first"), _("newest first")),
        ("level", "level", _("by level"), _("by level, reversed")),
    )

    class Meta:
        model = Escalation
        fields = ["q", "kind", "level", "status", "branch", "opened_by", "opened", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["branch"].queryset = Branch.objects.for_user(user)
        self.filters["opened_by"].queryset = staff_of(user, roles.OPERATOR)

    def filter_customer(self, queryset, name, value):
        regions = Branch.objects.for_user(self.user).values_list("country", flat=True).distinct()
        return queryset.filter(customer__in=Customer.objects.search(value, regions))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue(timezone.now())
