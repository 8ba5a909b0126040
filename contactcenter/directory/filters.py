import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Branch, Customer


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or phone"), method="filter_search")
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("full_name", "name"), ("created_at", "created"), ("branch__code", "branch")),
        field_labels={"full_name": _("Name"), "created_at": _("Created"), "branch__code": _("Branch")},
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
