import django_filters
from django.utils.translation import gettext_lazy as _

from contactcenter.sorting import sort_filter

from .models import Branch, Customer


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or phone"), method="filter_search")
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    ordering = sort_filter(
        ("full_name", "name", _("name, A to Z"), _("name, Z to A")),
        ("created_at", "created", _("oldest first"), _("newest first")),
        ("branch__code", "branch", _("branch, A to Z"), _("branch, Z to A")),
    )

    class Meta:
        model = Customer
        fields = ["q", "branch", "preferred_language"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["branch"].queryset = Branch.objects.for_user(user)

    def filter_search(self, queryset, name, value):
        regions = Branch.objects.for_user(self.user).values_list("country", flat=True).distinct()
        return queryset.search(value, regions)
