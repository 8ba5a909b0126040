from functools import partial

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch
from contactcenter.sorting import sort_filter
from contactcenter.typed_dates import DayFilter
from contactcenter.widgets import NativeDateInput

from .models import Complaint, Status, choice_list

OPEN = "open"
_DATE = NativeDateInput()


class ComplaintFilter(django_filters.FilterSet):
    """The register's filters; the list page and its CSV export share them."""

    q = django_filters.CharFilter(label=_("Number, customer or phone"), method="filter_search")
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(OPEN, _("open (not closed)")), *Status.choices], method="filter_status"
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=partial(choice_list, "channel"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=partial(choice_list, "category"))
    received_after = DayFilter(label=_("Received from"), field_name="received_on", lookup_expr="gte", widget=_DATE)
    received_before = DayFilter(label=_("Received until"), field_name="received_on", lookup_expr="lte", widget=_DATE)
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    assigned_to = django_filters.ModelChoiceFilter(label=_("In review by"), queryset=get_user_model().objects.none())
    ordering = sort_filter(
        ("received_at", "received", _("received, oldest first"), _("received, newest first")),
        ("register_number", "number", _("register number, lowest first"), _("register number, highest first")),
        ("status", "status", _("by status"), _("by status, reversed")),
        ("answer_due_at", "answer_due", _("answer due, soonest first"), _("answer due, latest first")),
        ("branch__code", "branch", _("branch, A to Z"), _("branch, Z to A")),
    )

    class Meta:
        model = Complaint
        fields = [
            "q",
            "branch",
            "status",
            "channel",
            "category",
            "received_after",
            "received_before",
            "overdue",
            "assigned_to",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        branches = Branch.objects.for_user(user)
        self.filters["branch"].queryset = branches
        self.filters["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(assigned_complaints__branch__in=branches)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    @property
    def qs(self):
        queryset = super().qs
        # A stable order whatever was asked for: pages never repeat or skip a row.
        return queryset.order_by(*queryset.query.order_by, "-pk") if queryset.query.order_by else queryset

    def filter_search(self, queryset, name, value):
        regions = Branch.objects.for_user(self.user).values_list("country", flat=True).distinct()
        return queryset.search(value, regions)

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
