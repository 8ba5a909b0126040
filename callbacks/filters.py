import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch, Customer
from contactcenter.sorting import sort_filter
from contactcenter.typed_dates import DayRangeFilter
from contactcenter.widgets import NativeDateRangeWidget

from .forms import operators_of
from .models import Callback, CallbackReason


class CallbackFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Customer name or phone"), method="filter_customer")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Callback.Status.choices)
    reason = django_filters.ModelChoiceFilter(label=_("Reason"), queryset=CallbackReason.objects.all())
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Operator"), queryset=Callback.objects.none(), null_label=_("Branch queue")
    )
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    due = DayRangeFilter(
        label=_("Next contact due between"),
        field_name="next_contact_at",
        widget=NativeDateRangeWidget(),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    ordering = sort_filter(
        ("next_contact_at", "due", _("next contact, soonest first"), _("next contact, latest first")),
        ("priority", "priority", _("least urgent first"), _("most urgent first")),
        ("created_at", "registered", _("oldest first"), _("newest first")),
    )

    class Meta:
        model = Callback
        fields = ["q", "status", "reason", "assigned_to", "branch", "due", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["branch"].queryset = Branch.objects.for_user(user)
        self.filters["assigned_to"].queryset = operators_of(user)

    def filter_customer(self, queryset, name, value):
        regions = Branch.objects.for_user(self.user).values_list("country", flat=True).distinct()
        return queryset.filter(customer__in=Customer.objects.search(value, regions))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(status=Callback.Status.OPEN) & Q(next_contact_at__lt=timezone.now()))
